"""The case page's list of every message the service sent about the case (coordinators only)."""

from typing import Any

from accounts.roles import Role
from accounts.selectors import roles_of
from notifications.models import Message

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


def home_messages_panel(user: Any) -> dict[str, Any] | None:
    """New messages on the home page: the outcome of a review, a request, a reminder."""
    from notifications.selectors import messages_for

    unread = list(messages_for(user).filter(read_at__isnull=True)[: HOME_UNREAD_LIMIT + 1])
    if not unread:
        return None
    count = len(unread) if len(unread) <= HOME_UNREAD_LIMIT else messages_for(user).filter(read_at__isnull=True).count()
    return {
        "template": "notifications/_home_messages.html",
        "unread": unread[:HOME_UNREAD_LIMIT],
        "unread_count": count,
    }
