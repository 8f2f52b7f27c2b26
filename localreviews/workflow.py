"""The local review's own transition table, on the workflow engine (cases/workflow_engine.py).

The case's state says only that the local review holds it (`local_review`, see stage.py); where the
review stands is its own `status`, moved by `take(LOCAL_REVIEW_WORKFLOW, review, step, ...)` with the
version check, a LocalReviewEvent history row and one audit event. What each kind of review requires
is `plan.PLAN`; the steps' guards read it.
"""

from collections.abc import Mapping
from typing import Any

from accounts.models import User
from cases.workflow_engine import Step, Workflow
from localreviews.models import LocalReview, LocalReviewEvent, LocalReviewStatus
from localreviews.policies import LocalReviewChecker


def _coordinates(actor: User, review: LocalReview) -> bool:
    return LocalReviewChecker(actor, review.case).may_run


def _no_reviewer(review: LocalReview) -> str | None:
    if not review.reviewers.exists():
        return "Record the reviewer's appointment first"
    return None


STEPS: Mapping[str, Step[LocalReview]] = {
    s.name: s
    for s in (
        Step(
            "appoint_reviewer",
            "Record the reviewer's appointment",
            frozenset({LocalReviewStatus.COMMISSIONED}),
            LocalReviewStatus.REVIEWER_APPOINTED,
            may=_coordinates,
            guards=(_no_reviewer,),
            refused="The reviewer has already been appointed",
        ),
    )
}


def _steps() -> Mapping[str, Step[LocalReview]]:
    """The table: the review's own steps, then the final report's (localreviews/signoff_workflow.py)."""
    from localreviews.signoff_workflow import steps as signoff_steps

    return {**STEPS, **{s.name: s for s in signoff_steps()}}


def _history(review: LocalReview, step: Step[LocalReview], from_status: str, actor: User, note: str) -> None:
    LocalReviewEvent.objects.create(
        review=review, step=step.name, from_status=from_status, to_status=step.target, actor=actor, note=note
    )


def _describe(review: LocalReview, step: Step[LocalReview], from_status: str, note: str) -> dict[str, Any]:
    details: dict[str, Any] = {
        "summary": f"Local review: {step.label.lower()}",
        "step": step.name,
        "from": from_status,
        "to": step.target,
    }
    if note:
        details["note"] = note
    return details


def _label(value: str) -> str:
    try:
        return str(LocalReviewStatus(value).label)
    except ValueError:
        return value


LOCAL_REVIEW_WORKFLOW: Workflow[LocalReview] = Workflow(
    model=LocalReview,
    steps=_steps,
    history=_history,
    describe=_describe,
    case_of=lambda review: review.case,
    state_field="status",
    state_label=_label,
    clash="Someone else changed the local review while you were working on it. Check it and try again.",
)
