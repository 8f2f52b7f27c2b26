from typing import Any

from cases.models import Case
from cases.policies import CaseAction
from nationalreviews.models import NationalReview

# Who records a case's part in a national review: the review coordinator, whose action on a case
# this is today (cases.policies; ADDING_A_STAGE.md, "Not yet").
EDIT = CaseAction.RUN_RAPID_REVIEW


def reviews_of(case: Case) -> list[NationalReview]:
    """The national reviews this case is linked to, oldest first (one query)."""
    return list(
        NationalReview.objects.filter(partnership_id=case.partnership_id, links__case=case).order_by("created_at", "id")
    )


def panel_said_national_review(case: Case) -> bool:
    """Whether the Panel's reply to the rapid review said it will hold a national review. Read off
    the rapid review's own record, which the case page reads with the case, so no stage imports
    another (the stages are independent layers)."""
    review: Any = getattr(case, "rapid_review", None)
    return bool(getattr(review, "national_review", False))
