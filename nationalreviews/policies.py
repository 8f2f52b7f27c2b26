"""The one door to a case's national reviews: every "may this person see or do this" about them is
answered here.

A national review is reached only through a case linked to it, and the case door comes first
(`cases.policies.get_case_for_user`: 404 for a case the person may not see, so each read is
audited). Then:
- everyone who reads the case's record (`CaseAction.VIEW_RECORD`) reads its national reviews;
- the review coordinator records and changes them: the action that runs the case's review
  (`CaseAction.RUN_RAPID_REVIEW`) until national reviews have a case action of their own;
- a national review the case is not linked to does not exist for the page (404).

`NationalReviewChecker(user, case)` answers for the case page's section and the pages' links; the
pages load with `get_case_for_national_reviews` and `get_national_review_for_case`. The URL walk's
rows (nationalreviews/tests/url_rules.py) name the same two actions.
"""

from functools import cached_property

from django.shortcuts import get_object_or_404

from accounts.models import User
from cases.models import Case
from cases.policies import CaseAction, can, get_case_for_user
from nationalreviews.models import NationalReview

READ = CaseAction.VIEW_RECORD
EDIT = CaseAction.RUN_RAPID_REVIEW


class NationalReviewChecker:
    """What one person may see and do with one case's national reviews. Assumes they can see the case."""

    def __init__(self, user: User, case: Case) -> None:
        self.user = user
        self.case = case

    @cached_property
    def can_view(self) -> bool:
        return can(self.user, READ, self.case)

    @cached_property
    def can_edit(self) -> bool:
        """Record a national review, link the case to one, record its scope, report and contributions."""
        return can(self.user, EDIT, self.case)


def get_case_for_national_reviews(user: User, reference: str, *, edit: bool = False) -> Case:
    """The case whose national reviews a page shows (404 if the person may not see it; 403 if they
    may not read its record, or, to change them, may not record national reviews)."""
    return get_case_for_user(user, reference, EDIT if edit else READ)


def get_national_review_for_case(case: Case, pk: int) -> NationalReview:
    """The national review, if this case is linked to it (else 404)."""
    return get_object_or_404(NationalReview.objects.filter(partnership_id=case.partnership_id, links__case=case), pk=pk)
