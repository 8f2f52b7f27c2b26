"""What each person has to do next: the sections, tasks and reasons their home page's door
(portal.policies.HomeChecker) gives them.

Stages add their own sections as `home_panels` (cases.stage_registry): a provider is a function
(user) -> a dict with `template` (an include) and its context, or None.
"""

from typing import Any

from django.db.models import Count, Window

from cases.policies import cases_visible_to
from cases.stage_registry import home_panels
from portal.policies import Idle, home_checker

# Why someone has nothing to do, in words: the home page says so rather than showing empty sections.
NOTHING_WAITING: dict[Idle, str] = {
    Idle.REVIEWER_WITH_A_CASE: "Local child safeguarding practice reviews are not run in this service yet, so there "
    "is nothing for you to do here: the partnership's business unit will contact you about the review you are "
    "commissioned for.",
    Idle.REVIEWER_WITHOUT_A_CASE: "As a commissioned reviewer you see a case here once a partnership commissions you "
    "to review a case and shares it with you. No case has been shared with you yet.",
    Idle.COORDINATOR: "No referral, deadline or rapid review step is waiting for you on your partnership's cases.",
    Idle.LA_NOTIFIER: "No notification is waiting to be recorded. You will be asked here and by email when the "
    "partners decide to notify.",
    Idle.PARTNER: "Nothing is waiting for the partners' decision or your sign-off. You will be asked here and by "
    "email when a referral needs a decision or a rapid review needs your approval.",
    Idle.COMMENTER: "No rapid review is waiting for your comments.",
    Idle.AGENCY_LEAD: "No information request is open for your agency. You will be asked here and by email when "
    "the review coordinator needs your agency's summary.",
    Idle.PRACTITIONER: "You have no referral in draft.",
}
# A commissioned reviewer's reason comes first; the others follow in alphabetical order.
FIRST = frozenset({Idle.REVIEWER_WITH_A_CASE, Idle.REVIEWER_WITHOUT_A_CASE})


def nothing_to_do(reasons: list[Idle]) -> list[str]:
    """Why there is nothing to do, in words, each once."""
    first = [NOTHING_WAITING[reason] for reason in reasons if reason in FIRST]
    return first + sorted({NOTHING_WAITING[reason] for reason in reasons if reason not in FIRST})


def home_context(user: Any) -> dict[str, Any]:
    who = home_checker(user)
    # The five most recent cases and how many there are in all, in one query.
    recent = list(
        cases_visible_to(user)
        .select_related("partnership")
        .annotate(total=Window(Count("pk")))
        .order_by("-created_at", "-pk")[:5]
    )
    case_count = recent[0].total if recent else 0
    tasks: list[dict[str, str]] = []
    if who.invites:
        tasks.append({"label": "Invite people and manage their roles", "url_name": "accounts:invitations"})
    if case_count and who.has_case_list:
        tasks.append({"label": "See the cases you are involved in", "url_name": "cases:list"})
    panels = [panel for p in home_panels() if (panel := p.provider(user))]
    # A section lists things to do (`todo`), or news and oversight beside them (messages, the
    # partnership's deadlines for those who watch rather than act on them): the things to do come first.
    panels.sort(key=lambda panel: not panel.get("todo", True))
    has_todo = any(panel.get("todo", True) for panel in panels)
    return {
        "roles": who.role_labels,
        "is_admin_only": who.is_admin_only,
        "case_count": case_count,
        "recent_cases": recent,
        "tasks": tasks,
        "home_panels": panels,
        "nothing_to_do": [] if has_todo or who.is_admin_only else nothing_to_do(who.idle_reasons(case_count)),
    }
