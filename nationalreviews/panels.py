"""The national reviews' section of the case page."""

from typing import Any

from accounts.http import AuthenticatedHttpRequest
from cases.models import Case
from cases.policies import CaseAction, can
from nationalreviews.selectors import EDIT, panel_said_national_review, reviews_on_page


def case_panel(request: AuthenticatedHttpRequest, case: Case) -> dict[str, Any] | None:
    """Shown when the case is linked to a national review, or when the Panel said it will hold one
    and nothing is recorded yet (then the coordinator is offered to record it)."""
    if not can(request.user, CaseAction.VIEW_RECORD, case):
        return None
    said = panel_said_national_review(case)
    reviews = reviews_on_page(case)
    if not reviews and not said:
        return None
    return {
        "template": "nationalreviews/_case_panel.html",
        "nr_reviews": reviews,
        "nr_said": said,
        "nr_can_edit": can(request.user, EDIT, case),
    }
