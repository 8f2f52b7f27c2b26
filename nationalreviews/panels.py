"""The national reviews' section of the case page."""

from typing import Any

from accounts.http import AuthenticatedHttpRequest
from cases.models import Case
from nationalreviews.policies import NationalReviewChecker
from nationalreviews.selectors import panel_said_national_review, reviews_on_page


def case_panel(request: AuthenticatedHttpRequest, case: Case) -> dict[str, Any] | None:
    """Shown when the case is linked to a national review, or when the Panel said it will hold one
    and nothing is recorded yet (then the coordinator is offered to record it)."""
    checker = NationalReviewChecker(request.user, case)
    if not checker.can_view:
        return None
    said = panel_said_national_review(case)
    reviews = reviews_on_page(case)
    if not reviews and not said:
        return None
    return {
        "template": "nationalreviews/_case_panel.html",
        "nr_reviews": reviews,
        "nr_said": said,
        "nr_can_edit": checker.can_edit,
    }
