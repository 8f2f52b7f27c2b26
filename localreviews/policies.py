"""The one door to a local review's own records: every "may this person see or do this" below the
case is answered here.

The case door comes first (`cases.policies.get_case_for_user`: 404 for a case the person may not
see). Then `LocalReviewChecker(user, case)` answers for the review; it reads the person's roles on the
case once (a commissioned reviewer's grant included), whatever it is asked.

Who sees what:
- the coordinator runs the review: opens it, sends the notices, appoints the reviewer;
- the partner delegates, the scrutineer, the chair and the LA notifier (who see every case of their
  partnership) read it;
- a commissioned reviewer reads the review of the case they were commissioned for, and nothing
  else: their role gives them no case, and their grant is for this case alone;
- the family involvement log is for the reviewer, the coordinator and the partners only (the
  reviewer and the coordinator write it); everyone else is told it is not there;
- the practitioner learning events are planned, and their attendance recorded, by the coordinator
  or the reviewer, and read by everyone who reads the review.
- the final report is approved by the three partners' delegates, and the scrutineer and the chair
  comment on it; the coordinator puts it forward, sends it ahead and records the publication decision.
- the report is written by the commissioned reviewer(s) and the coordinator, and read by every
  reader of the review.
- the coordinator and the partner delegates monitor it (regulation 14): they ask the reviewer in
  writing and record the progress checkpoints; the reviewer answers the written requests;
- a factual accuracy round's draft is read by the leads of the agencies it was sent to; each agency
  comments on it, and reads its own comments only: never another agency's;
- the terms of reference are generated as documents by those who draft them and the partners who
  approve them; a partnership's list of methodologies is kept by its coordinator and administrator
  (`methodologies_kept_by`);
- the home page's reviewer section is for someone who holds the reviewer role (`reviews_anywhere`).
"""

from functools import cached_property

from django.core.exceptions import PermissionDenied

from accounts.models import Membership, User
from accounts.roles import (
    ACCURACY_ANSWERERS,
    COMMENTING_ROLES,
    DELEGATE_ROLES,
    EVENT_ORGANISERS,
    FAMILY_LOG_KEEPERS,
    FAMILY_LOG_READERS,
    LOCAL_REVIEW_MONITORS,
    LOCAL_REVIEW_READERS,
    METHODOLOGY_KEEPERS,
    PARTNER_DELEGATES,
    REPORT_WRITERS,
    Role,
)
from accounts.selectors import agency_ids_with_role, roles_of
from cases.models import Case
from cases.policies import commissioned_for
from core.request_context import remembered
from partnerships.models import Partnership


class LocalReviewChecker:
    """What one person may see and do in one case's local review. Assumes they can see the case."""

    def __init__(self, user: User, case: Case) -> None:
        self.user = user
        self.case = case

    @cached_property
    def roles(self) -> set[Role]:
        return remembered(("local_review_roles", self.user.pk, self.case.pk), self._read_roles)

    def _read_roles(self) -> set[Role]:
        """Their roles in the partnership, where the reviewer role counts only with this case's
        grant: a reviewer commissioned for another case (who might see this one some other way, as
        an agency's lead) is no reviewer here."""
        roles = roles_of(self.user, self.case.partnership_id) - {Role.REVIEWER}
        if commissioned_for(self.user, self.case):
            roles.add(Role.REVIEWER)
        return roles

    @property
    def may_view(self) -> bool:
        return bool(self.roles & LOCAL_REVIEW_READERS)

    @property
    def may_run(self) -> bool:
        return Role.COORDINATOR in self.roles

    @property
    def is_reviewer(self) -> bool:
        return Role.REVIEWER in self.roles

    @property
    def may_read_family_log(self) -> bool:
        return bool(self.roles & FAMILY_LOG_READERS)

    @property
    def report_sign_off_roles(self) -> list[Role]:
        """The roles in which this person takes part in the final report's sign-off: a partner's
        delegate approves or asks for changes, the scrutineer and the chair comment."""
        return [r for r in (*DELEGATE_ROLES, *COMMENTING_ROLES) if r in self.roles]

    @property
    def report_sign_off_role(self) -> Role | None:
        """The role this person signs the final report off in (a partner's before a commenter's)."""
        roles = self.report_sign_off_roles
        return roles[0] if roles else None

    @property
    def comments_on_report(self) -> bool:
        """Takes part in the final report's sign-off as the scrutineer or the chair: comments only."""
        return self.report_sign_off_role in COMMENTING_ROLES

    @property
    def may_write_report(self) -> bool:
        """Writes the report: its sections, its kept versions, its findings and recommendations."""
        return bool(self.roles & REPORT_WRITERS)

    @property
    def may_keep_family_log(self) -> bool:
        return bool(self.roles & FAMILY_LOG_KEEPERS)

    @property
    def may_organise_events(self) -> bool:
        return bool(self.roles & EVENT_ORGANISERS)

    @property
    def may_monitor(self) -> bool:
        """Asks the reviewer in writing and records the progress checkpoints (regulation 14)."""
        return bool(self.roles & LOCAL_REVIEW_MONITORS)

    # Factual accuracy rounds (localreviews/accuracy_*.py)

    @property
    def may_answer_accuracy(self) -> bool:
        """Sends the draft to agencies, replies to their comments, accepts or declines them, closes
        the round: the reviewer and the coordinator."""
        return bool(self.roles & ACCURACY_ANSWERERS)

    @cached_property
    def lead_agency_ids(self) -> set[int]:
        """The agencies this person is safeguarding lead for in the case's partnership."""
        return agency_ids_with_role(self.user, self.case.partnership_id, Role.AGENCY_LEAD)

    def may_comment(self, agency_id: int, round_agency_ids: set[int]) -> bool:
        """Comments for this agency on a round: one of its leads, when the round was sent to it."""
        return agency_id in round_agency_ids and agency_id in self.lead_agency_ids

    def commenting_agencies(self, round_agency_ids: set[int]) -> set[int]:
        """The round's agencies this person comments for."""
        return round_agency_ids & self.lead_agency_ids

    def may_read_round(self, round_agency_ids: set[int]) -> bool:
        """The round's draft: the review's readers and the leads of the agencies it was sent to."""
        return self.may_view or bool(self.commenting_agencies(round_agency_ids))

    def may_read_thread(self, agency_id: int, replied: bool) -> bool:
        """One agency's thread: its own leads, the reviewer and the coordinator; once the review side
        has answered it, the review's other readers too. Never another agency's leads."""
        if self.may_answer_accuracy or agency_id in self.lead_agency_ids:
            return True
        return replied and self.may_view

    @property
    def may_generate_terms(self) -> bool:
        """The coordinator and the reviewer, who draft the terms, and the partners, who approve them."""
        return self.may_run or self.is_reviewer or bool(self.roles & PARTNER_DELEGATES)


def reviews_anywhere(user: User) -> bool:
    """Holds the commissioned reviewer's role in some partnership (the home page's section)."""
    return Role.REVIEWER in roles_of(user)


def methodologies_kept_by(user: User) -> Partnership:
    """The partnership whose list of methodologies this person keeps (their own, never another's)."""
    membership = (
        Membership.objects.active()
        .filter(user_id=int(user.pk or 0), role__in=METHODOLOGY_KEEPERS)
        .select_related("partnership")
        .order_by("partnership__name")
        .first()
    )
    if membership is None:
        raise PermissionDenied("Only review coordinators and administrators keep the list of methodologies")
    return membership.partnership
