"""The case page's list of every message the service sent about the case (coordinators only)."""

from typing import Any

from django.db.models import Q

from accounts.roles import Role
from accounts.selectors import roles_of
from cases.models import CaseState
from notifications.models import Message, MessageKind

PANEL_LIMIT = 50


def messages_panel(request: Any, case: Any) -> dict[str, Any] | None:
    if Role.COORDINATOR not in roles_of(request.user, case.partnership_id):
        return None
    messages = list(Message.objects.filter(case=case).select_related("recipient")[: PANEL_LIMIT + 1])
    return {
        "template": "notifications/_case_panel.html",
        "case_messages": messages[:PANEL_LIMIT],
        "case_messages_more": len(messages) > PANEL_LIMIT,
    }


HOME_UNREAD_LIMIT = 5

# A message about a case is listed on the home page only while it still concerns open work: a request
# to sign off, to send a summary or to come to a meeting, or a reminder, is stale once the case has
# moved past it. A decision (the partners', the outcome sent with the rapid review) stays news until
# the case closes. Every message stays in "Your messages", and in the count of new ones.
WORKING_STAGES = (CaseState.REFERRED, CaseState.TO_NOTIFY, CaseState.NOTIFIED, CaseState.RAPID_REVIEW)
STILL_CURRENT = (
    Q(case__isnull=True)
    | Q(case__state__in=WORKING_STAGES)
    | Q(case__state=CaseState.RAPID_REVIEW_SUBMITTED, kind=MessageKind.DECISION)
)


def home_messages_panel(user: Any) -> dict[str, Any] | None:
    """New messages on the home page: the outcome of a review, a request, a reminder."""
    from notifications.selectors import messages_for

    unread = messages_for(user).filter(read_at__isnull=True)
    count = unread.count()
    if not count:
        return None
    return {
        "template": "notifications/_home_messages.html",
        "unread": list(unread.filter(STILL_CURRENT)[:HOME_UNREAD_LIMIT]),
        "unread_count": count,
        "todo": False,  # news, not a task: the tasks are listed from what is open now
    }
