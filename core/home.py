"""What each person has to do next, from their roles.

Journeys add their own sections with `register_home_panel(provider)` in their AppConfig.ready():
a provider is a function (user) -> a dict with `template` (an include) and its context, or None.
"""

from collections.abc import Callable
from typing import Any

from accounts.roles import INVITING_ROLES, PARTNERSHIP_WIDE_CASE_ROLES, Role
from accounts.selectors import memberships_of, roles_of
from cases.policies import cases_visible_to

HomePanelProvider = Callable[[Any], dict[str, Any] | None]
_providers: list[tuple[int, HomePanelProvider]] = []


def register_home_panel(provider: HomePanelProvider, *, order: int = 50) -> None:
    if all(p is not provider for _, p in _providers):
        _providers.append((order, provider))
        _providers.sort(key=lambda item: item[0])


def home_context(user: Any) -> dict[str, Any]:
    roles = roles_of(user)
    visible = cases_visible_to(user)
    tasks: list[dict[str, str]] = []
    if roles & INVITING_ROLES:
        tasks.append({"label": "Invite people and manage their roles", "url_name": "accounts:invitations"})
    if roles & (PARTNERSHIP_WIDE_CASE_ROLES | {Role.AGENCY_LEAD, Role.PRACTITIONER, Role.REVIEWER}):
        tasks.append({"label": "See the cases you are involved in", "url_name": "cases:list"})
    panels = [panel for _, provider in _providers if (panel := provider(user))]
    return {
        "roles": sorted(r.label for r in roles),
        "memberships": memberships_of(user),
        "is_admin_only": roles == {Role.ADMIN},
        "case_count": visible.count(),
        "recent_cases": list(visible.select_related("partnership")[:5]),
        "tasks": tasks,
        "home_panels": panels,
    }
