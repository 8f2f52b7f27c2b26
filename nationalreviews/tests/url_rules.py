"""The national reviews' rows of the URL-access table (core/tests/url_access.py merges them).

The walk's Northshire case is linked to a thematic national review, so the pages that take the
review's id are reached past their own door rather than stopping at "not found"."""

from typing import Any

from core.tests.url_access import Rule, case_action
from nationalreviews import policies
from nationalreviews.models import NationalReview, NationalReviewCase, NationalReviewKind

# Who reaches each page is the door's answer (nationalreviews/policies.py).
READ = case_action(policies.READ)
EDIT = case_action(policies.EDIT)


def _review(ctx: Any) -> dict[str, Any]:
    def make() -> NationalReview:
        review = NationalReview.objects.create(
            partnership=ctx.case.partnership,
            title="Infants and men in the household",
            kind=NationalReviewKind.THEMATIC,
            created_by=ctx.world.people["coordinator"],
        )
        NationalReviewCase.objects.create(review=review, case=ctx.case, linked_by=ctx.world.people["coordinator"])
        return review

    return {"pk": ctx.once("national_review", make).pk}


RULES: dict[str, Rule] = {
    "nationalreviews:case": Rule(READ),
    "nationalreviews:start": Rule(EDIT),
    "nationalreviews:link": Rule(EDIT),
    "nationalreviews:scope": Rule(EDIT, kwargs=_review),
    "nationalreviews:report": Rule(EDIT, kwargs=_review),
    "nationalreviews:contribution_new": Rule(EDIT, kwargs=_review),
}
