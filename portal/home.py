"""What each person has to do next, from their roles.

Stages add their own sections as `home_panels` (cases.stage_registry): a provider is a function
(user) -> a dict with `template` (an include) and its context, or None.
"""

from typing import Any

from django.db.models import Count, Window

from accounts.roles import CASE_LIST_ROLES, INVITING_ROLES, Role
from accounts.selectors import roles_of
from cases.policies import cases_visible_to
from cases.stage_registry import home_panels

# Why someone has nothing to do, by role: the home page says so rather than showing empty sections.
NOTHING_WAITING: dict[Role, str] = {
    Role.COORDINATOR: "No referral, deadline or rapid review step is waiting for you on your partnership's cases.",
    Role.LA_NOTIFIER: "No notification is waiting to be recorded. You will be asked here and by email when the "
    "partners decide to notify.",
    Role.DELEGATE_LA: "Nothing is waiting for the partners' decision or your sign-off. You will be asked here and by "
    "email when a referral needs a decision or a rapid review needs your approval.",
    Role.DELEGATE_ICB: "Nothing is waiting for the partners' decision or your sign-off. You will be asked here and by "
    "email when a referral needs a decision or a rapid review needs your approval.",
    Role.DELEGATE_POLICE: "Nothing is waiting for the partners' decision or your sign-off. You will be asked here and "
    "by email when a referral needs a decision or a rapid review needs your approval.",
    Role.SCRUTINEER: "No rapid review is waiting for your comments.",
    Role.CHAIR: "No rapid review is waiting for your comments.",
    Role.AGENCY_LEAD: "No information request is open for your agency. You will be asked here and by email when "
    "the review coordinator needs your agency's summary.",
    Role.PRACTITIONER: "You have no referral in draft.",
}


def nothing_to_do(roles: set[Role], case_count: int) -> list[str]:
    """Why there is nothing to do, in words for each of the person's roles."""
    reasons = []
    if Role.REVIEWER in roles:
        if case_count:
            reasons.append(
                "Local child safeguarding practice reviews are not run in this service yet, so there is nothing for "
                "you to do here: the partnership's business unit will contact you about the review you are "
                "commissioned for."
            )
        else:
            reasons.append(
                "As a commissioned reviewer you see a case here once a partnership commissions you to review a case "
                "and shares it with you. No case has been shared with you yet."
            )
    reasons += sorted({NOTHING_WAITING[r] for r in roles if r in NOTHING_WAITING})
    return reasons


def home_context(user: Any) -> dict[str, Any]:
    roles = roles_of(user)
    # The five most recent cases and how many there are in all, in one query.
    recent = list(
        cases_visible_to(user)
        .select_related("partnership")
        .annotate(total=Window(Count("pk")))
        .order_by("-created_at", "-pk")[:5]
    )
    case_count = recent[0].total if recent else 0
    tasks: list[dict[str, str]] = []
    if roles & INVITING_ROLES:
        tasks.append({"label": "Invite people and manage their roles", "url_name": "accounts:invitations"})
    if case_count and roles & CASE_LIST_ROLES:
        tasks.append({"label": "See the cases you are involved in", "url_name": "cases:list"})
    panels = [panel for p in home_panels() if (panel := p.provider(user))]
    # A section lists things to do (`todo`), or news and oversight beside them (messages, the
    # partnership's deadlines for those who watch rather than act on them): the things to do come first.
    panels.sort(key=lambda panel: not panel.get("todo", True))
    has_todo = any(panel.get("todo", True) for panel in panels)
    return {
        "roles": sorted(r.label for r in roles),
        "is_admin_only": roles == {Role.ADMIN},
        "case_count": case_count,
        "recent_cases": recent,
        "tasks": tasks,
        "home_panels": panels,
        "nothing_to_do": [] if has_todo or roles == {Role.ADMIN} else nothing_to_do(roles, case_count),
    }
