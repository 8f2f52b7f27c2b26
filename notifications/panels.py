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
