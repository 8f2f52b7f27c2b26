"""The one door to the home page and the service navigation: which sections, tasks and links a
person gets, and why they have nothing to do, answered from their roles and nowhere else.

`home_checker(user)` is one `HomeChecker` per person for a page that only reads (remembered for the
request, `core.request_context`), so the navigation and the home page ask the same object, and the
person's roles are read once (`roles_of`). A stage's own home sections ask their own stage's door
(`rapidreviews.policies.RapidReviewsChecker`, `localreviews.policies.reviews_anywhere`...); the
cases a person sees are the case door's (`cases.policies.cases_visible_to`).
"""

from enum import StrEnum
from functools import cached_property

from accounts.models import User
from accounts.roles import CASE_LIST_ROLES, INVITING_ROLES, Role
from accounts.selectors import roles_of
from core.request_context import remembered
from referrals.policies import can_refer


class Idle(StrEnum):
    """Why someone has nothing to do, one reason for each kind of work (the home page words each)."""

    REVIEWER_WITH_A_CASE = "reviewer_with_a_case"  # commissioned, and a case is shared with them
    REVIEWER_WITHOUT_A_CASE = "reviewer_without_a_case"
    COORDINATOR = "coordinator"
    LA_NOTIFIER = "la_notifier"
    PARTNER = "partner"  # a partner's delegate: decides on referrals, signs off reviews
    COMMENTER = "commenter"  # the scrutineer or the chair
    AGENCY_LEAD = "agency_lead"
    PRACTITIONER = "practitioner"


# The reason each role has nothing waiting (the reviewer's depends on the cases shared with them;
# an administrator is told what they do instead).
IDLE_BY_ROLE: dict[Role, Idle] = {
    Role.COORDINATOR: Idle.COORDINATOR,
    Role.LA_NOTIFIER: Idle.LA_NOTIFIER,
    Role.DELEGATE_LA: Idle.PARTNER,
    Role.DELEGATE_ICB: Idle.PARTNER,
    Role.DELEGATE_POLICE: Idle.PARTNER,
    Role.SCRUTINEER: Idle.COMMENTER,
    Role.CHAIR: Idle.COMMENTER,
    Role.AGENCY_LEAD: Idle.AGENCY_LEAD,
    Role.PRACTITIONER: Idle.PRACTITIONER,
}


class HomeChecker:
    """What one person's home page and navigation offer them."""

    def __init__(self, user: User) -> None:
        self.user = user

    @cached_property
    def roles(self) -> set[Role]:
        return roles_of(self.user)

    @property
    def role_labels(self) -> list[str]:
        """Their roles, as the home page names them under their name."""
        return sorted(role.label for role in self.roles)

    @property
    def is_admin_only(self) -> bool:
        """An administrator and nothing else: manages people, agencies and calendars, sees no case."""
        return self.roles == {Role.ADMIN}

    @property
    def invites(self) -> bool:
        """Invites people and manages their roles."""
        return bool(self.roles & INVITING_ROLES)

    @property
    def has_case_list(self) -> bool:
        """Has a list of cases (the cases on it are the case door's answer)."""
        return bool(self.roles & CASE_LIST_ROLES)

    @cached_property
    def refers(self) -> bool:
        """Refers serious incidents, and so has their referrals (the referral's door answers)."""
        return can_refer(self.user)

    def idle_reasons(self, case_count: int) -> list[Idle]:
        """Why nothing is waiting for them, one reason for each kind of work they do; `case_count`,
        the cases they see, tells a reviewer commissioned for one from one still waiting."""
        reasons = []
        if Role.REVIEWER in self.roles:
            reasons.append(Idle.REVIEWER_WITH_A_CASE if case_count else Idle.REVIEWER_WITHOUT_A_CASE)
        reasons += sorted({IDLE_BY_ROLE[role] for role in self.roles if role in IDLE_BY_ROLE})
        return reasons


def home_checker(user: User) -> HomeChecker:
    """The person's checker, one for a page that only reads (the navigation and the page ask it)."""
    return remembered(("home_checker", user.pk), lambda: HomeChecker(user))
