"""The one door to the rapid review's own records: every "may this person see or do this" below the
case (an agency's summary, the meeting page and its papers, the review document, the shared
summaries) is answered here, and nowhere else.

The case door comes first: a page loads the case with `get_case_for_user` (404 for a case the person
may not see, 403 for an action they may not take). Then `ReviewChecker(user, case)` answers for the
review's records. It is one object per person and case, and reads their roles and agencies once,
whatever it is asked. Selectors filter with it, views refuse with it, panels show with it.

Who sees what:
- the coordinator runs the review and sees every agency's summary, draft or not;
- an agency safeguarding lead sees their own agency's summary (draft or not) and writes it while it
  is open;
- once the coordinator shares the summaries, the meeting's members and the people who decide and
  oversee (the partner delegates, the scrutineer and the chair) read every agency's submitted and
  accepted summary, never another agency's draft. The LA notifier, whose part ends with the SIN,
  reads them only as a meeting member;
- the meeting page is for the coordinator, the partners, the scrutineer, the chair and the people
  asked to the meeting; its papers, once the summaries are shared, for the same people;
- the review document is read by those who run, sign off and oversee the review, and by those
  who read the shared summaries;
- the reviewer commissioned for the case's local review reads nothing of it until the partners
  share the summaries and the merged chronology with that review; then its submitted and accepted
  summaries and the chronology (never a draft, the meeting, its papers or the review document);
- the partner delegates sign the review off, each for their partner; the scrutineer and the chair
  comment on it (`sign_off_roles`, `signs_off_as`, `comments_as`).

The home page asks, for one person across every case they see (`RapidReviewsChecker(user)`): whether
they write summaries (an agency's lead), which partners they sign off for, whether they comment.
"""

from functools import cached_property

from accounts.models import Membership, User
from accounts.roles import COMMENTERS, COMMENTING_ROLES, DELEGATE_ROLES, PARTNER_DELEGATES, SHARED_SUMMARY_READERS, Role
from accounts.selectors import agency_ids_with_role, roles_of
from cases.models import Case
from cases.policies import CaseAction, can, case_roles, commissioned_for
from rapidreviews.models import AgencySummary, RapidReview

# The case actions that make someone one of the review's own people (the coordinator, the partner
# delegates, the scrutineer and the chair): they see the review's pages of the whole review.
STAFF_ACTIONS = (CaseAction.RUN_RAPID_REVIEW, CaseAction.SIGN_OFF, CaseAction.COMMENT)


class ReviewChecker:
    """What one person may see and do in one case's rapid review. Assumes they can see the case."""

    def __init__(self, user: User, case: Case) -> None:
        self.user = user
        self.case = case

    @cached_property
    def roles(self) -> set[Role]:
        return case_roles(self.user, self.case)

    @cached_property
    def runs_review(self) -> bool:
        """The coordinator: sees every summary and every page of the review."""
        return can(self.user, CaseAction.RUN_RAPID_REVIEW, self.case)

    @cached_property
    def is_staff(self) -> bool:
        """Runs, signs off or oversees the review."""
        return any(can(self.user, action, self.case) for action in STAFF_ACTIONS)

    @cached_property
    def lead_agency_ids(self) -> set[int]:
        """The agencies this person is safeguarding lead for in the case's partnership."""
        return agency_ids_with_role(self.user, self.case.partnership_id, Role.AGENCY_LEAD)

    def leads(self, agency_id: int) -> bool:
        return agency_id in self.lead_agency_ids

    def is_meeting_member(self, review: RapidReview) -> bool:
        """A member of the meeting who still holds a role in the partnership."""
        meeting = getattr(review, "meeting", None)
        if meeting is None or not meeting.members.filter(pk=self.user.pk).exists():
            return False
        return Membership.objects.active().filter(user=self.user, partnership_id=self.case.partnership_id).exists()

    def sees_shared_summaries(self, review: RapidReview) -> bool:
        """Reads every agency's submitted and accepted summary, once the coordinator has shared them."""
        if review.summaries_shared_at is None:
            return False
        if self.roles & SHARED_SUMMARY_READERS:
            return True
        return self.is_meeting_member(review)

    def reads_as_local_reviewer(self, review: RapidReview) -> bool:
        """The reviewer commissioned for the case's local review reads every agency's submitted and
        accepted summary (never a draft) and the merged chronology, once the partners have shared
        them with the review. Not the meeting, its papers or the review document."""
        return review.shared_with_local_review_at is not None and commissioned_for(self.user, self.case)

    def can_read_document(self) -> bool:
        """The rapid review document holds every agency's submitted summary."""
        if self.is_staff:
            return True
        review = RapidReview.objects.filter(case=self.case).first()
        return review is not None and self.sees_shared_summaries(review)

    def can_view_meeting(self, review: RapidReview) -> bool:
        """The meeting page and its papers: the review's own people and the meeting's members."""
        return self.is_staff or self.is_meeting_member(review)

    def can_read_papers(self, review: RapidReview) -> bool:
        """The papers hold the shared summaries: ready for a member once they are shared."""
        return self.runs_review or self.sees_shared_summaries(review)

    def can_edit_summary(self, agency_summary: AgencySummary) -> bool:
        """Only the agency's own leads write its summary, and only while it is open."""
        return agency_summary.is_editable and self.leads(agency_summary.request.agency_id)

    @cached_property
    def sign_off_roles(self) -> list[Role]:
        """The roles in which this person takes part in sign-off: the partner(s) they are delegate
        for, then scrutineer or chair."""
        return [role for role in (*DELEGATE_ROLES, *COMMENTING_ROLES) if role in self.roles]

    @property
    def signs_off_as(self) -> Role | None:
        """The partner they approve the review for (the first, for someone delegate for several)."""
        return next((role for role in self.sign_off_roles if role in PARTNER_DELEGATES), None)

    @property
    def comments_as(self) -> Role | None:
        """Scrutineer or chair: they comment on the review; they do not sign it off."""
        return next((role for role in self.sign_off_roles if role in COMMENTERS), None)


class RapidReviewsChecker:
    """What one person is asked to do across the rapid reviews of every case they see (the home
    page's sections). Reads their roles once (`roles_of`, kept on the person for the request)."""

    def __init__(self, user: User) -> None:
        self.user = user

    @cached_property
    def roles(self) -> set[Role]:
        return roles_of(self.user)

    @property
    def writes_summaries(self) -> bool:
        """An agency's safeguarding lead somewhere: asked for their agency's summaries."""
        return Role.AGENCY_LEAD in self.roles

    @property
    def signs_off_for(self) -> set[Role]:
        """The partners they are delegate for: each one's approval is asked of them."""
        return self.roles & PARTNER_DELEGATES

    @property
    def comments(self) -> bool:
        """The scrutineer or the chair: asked for their comments on each decided review."""
        return bool(self.roles & COMMENTERS)


def lead_agency_ids(user: User, case: Case) -> set[int]:
    """For queries and services that ask only this (the checker reads it the same way)."""
    return ReviewChecker(user, case).lead_agency_ids


def may_read_review_document(user: User, case: Case) -> bool:
    """For the case's document topics (the stage asks with a person and a case)."""
    return ReviewChecker(user, case).can_read_document()
