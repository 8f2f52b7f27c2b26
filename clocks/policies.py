"""The one door to the deadlines and the calendars they count: every "may this person see or do
this" about a clock, a partnership's closure days and settings, and the service's bank holidays.

- A case's deadlines are read with the case's record (the case door, VIEW_RECORD) and changed by
  its coordinator (MANAGE_CLOCKS): `ClockChecker(user, case)`.
- "What's due" (`DueChecker(user)`): someone who works for one agency (a safeguarding lead, a
  referrer) sees the deadlines they or their agency answer for; the partnership-wide roles see every
  deadline of the cases they may see; the coordinator's, and a lead's own, are theirs to act on,
  while a partner, the scrutineer or the chair watches them. An administrator has no deadlines of
  their own: only the calendars they keep.
- A partnership's closure days and deadline settings are kept by its coordinator and its
  administrator (`partnership_kept_by`), in their own partnership only.
- The England and Wales bank holidays move every partnership's deadlines: they are the service
  administrator's (`may_keep_bank_holidays`), never one partnership's administrator's.

Each checker reads the person's roles once (`roles_of`, remembered for the request).
"""

from functools import cached_property

from django.core.exceptions import PermissionDenied

from accounts.models import Membership, User
from accounts.roles import CLOSURE_ROLES, PARTNERSHIP_WIDE_CASE_ROLES, Role, is_service_admin
from accounts.selectors import roles_of
from cases.models import Case
from cases.policies import CaseAction, can
from partnerships.models import Partnership


class ClockChecker:
    """What one person may do with one case's deadlines. Assumes they can see the case."""

    def __init__(self, user: User, case: Case) -> None:
        self.user = user
        self.case = case

    @cached_property
    def can_manage(self) -> bool:
        """Extend, pause, restart, cancel or record as done: the case's coordinator."""
        return can(self.user, CaseAction.MANAGE_CLOCKS, self.case)


class DueChecker:
    """What one person's "what's due" shows them, and which calendars they keep."""

    def __init__(self, user: User) -> None:
        self.user = user

    @cached_property
    def roles(self) -> set[Role]:
        return roles_of(self.user)

    @cached_property
    def is_coordinator(self) -> bool:
        return Role.COORDINATOR in self.roles

    @cached_property
    def keeps_partnership_calendar(self) -> bool:
        """A partnership's administrator keeps its closure days (its coordinator too, from the
        deadlines they see)."""
        return Role.ADMIN in self.roles

    @cached_property
    def keeps_service_calendar(self) -> bool:
        return may_keep_bank_holidays(self.user)

    @cached_property
    def has_deadlines(self) -> bool:
        """Holds a role that works on cases (an administrator alone sees no case's deadlines)."""
        return bool(self.roles - {Role.ADMIN})

    @cached_property
    def own_only(self) -> bool:
        """Sees only the deadlines they or their agency answer for (works for one agency)."""
        return not (self.roles & PARTNERSHIP_WIDE_CASE_ROLES)

    @cached_property
    def acts_on_due(self) -> bool:
        """The deadlines shown are theirs to act on, not only to watch."""
        return self.own_only or self.is_coordinator


def may_keep_bank_holidays(user: User) -> bool:
    return is_service_admin(user)


def require_bank_holiday_keeper(user: User) -> None:
    if not may_keep_bank_holidays(user):
        raise PermissionDenied("Only the service administrator can change the bank holiday calendar")


def partnership_kept_by(user: User) -> Partnership:
    """The partnership whose closure days and deadline settings this person keeps (as its
    coordinator or administrator: their own, never another's); 403 for anyone else."""
    membership = (
        Membership.objects.active()
        .filter(user_id=int(user.pk or 0), role__in=CLOSURE_ROLES)
        .select_related("partnership")
        .order_by("partnership__name")
        .first()
    )
    if membership is None:
        raise PermissionDenied("Only review coordinators and administrators can record closure days")
    return membership.partnership
