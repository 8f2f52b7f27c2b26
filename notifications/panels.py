"""The case page's list of every message the service sent about the case (coordinators only)."""

from typing import Any

from django.db.models import Q

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from cases.models import Case, CaseState
from notifications.models import Message, MessageKind
from notifications.policies import may_read_case_messages

PANEL_LIMIT = 50


def messages_panel(request: AuthenticatedHttpRequest, case: Case) -> dict[str, Any] | None:
    if not may_read_case_messages(request.user, case):
        return None
    messages = list(Message.objects.filter(case=case).select_related("recipient")[: PANEL_LIMIT + 1])
    return {
        "template": "notifications/_case_panel.html",
        "case_messages": messages[:PANEL_LIMIT],
        "case_messages_more": len(messages) > PANEL_LIMIT,
    }


HOME_UNREAD_LIMIT = 5

# The home page lists what is still open for the person from the state of the work itself (sign-offs,
# summaries, decisions to record, deadlines), never from the messages that once asked for it, which go
# stale. Of the new messages it lists the news that is still current: a decision or an outcome about a
# case that is not closed, and messages about no case. Every message stays in "Your messages" and is
# counted among the new ones.
STILL_CURRENT = Q(case__isnull=True) | (Q(kind=MessageKind.DECISION) & ~Q(case__state=CaseState.CLOSED))


def home_messages_panel(user: User) -> dict[str, Any] | None:
    """New messages on the home page: the outcome of a review, a request, a reminder."""
    from notifications.selectors import messages_for, unread_count

    unread = messages_for(user).filter(read_at__isnull=True)
    count = unread_count(user)
    if not count:
        return None
    return {
        "template": "notifications/_home_messages.html",
        "unread": list(unread.filter(STILL_CURRENT)[:HOME_UNREAD_LIMIT]),
        "unread_count": count,
        "todo": False,  # news, not a task: the tasks are listed from what is open now
    }
