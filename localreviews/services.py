"""Opening the local review on a case: the review's record, the case moved on through its workflow
step (`open_local_review`, whose effect starts the 6 months), one transaction."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from cases.models import Case
from cases.workflow import case_transition
from cases.workflow_engine import ConcurrentChange, TransitionError
from localreviews.models import DecidedWhen, LocalReview, ReviewKind


class LocalReviewError(Exception):
    """What stops the step, in words for the page."""


def decision_date_error(case: Case, decided_on: dt.date, started_on: dt.date | None) -> str | None:
    """A decision date is a day that has happened, not before the rapid review began."""
    if decided_on > timezone.localdate():
        return "The date of the decision must be today or in the past"
    if started_on is not None and decided_on < started_on:
        return f"The date of the decision must be on or after the rapid review began ({started_on:%-d %B %Y})"
    return None


def local_review_open(
    *,
    case: Case,
    actor: User,
    kind: ReviewKind,
    alternative_type: str,
    decided_on: dt.date,
    decided_when: DecidedWhen,
    rationale: str,
    expected_version: int,
    started_on: dt.date | None = None,
) -> LocalReview:
    """Opens the review: its record and the case's step, or neither."""
    if kind == ReviewKind.ALTERNATIVE and not alternative_type.strip():
        raise LocalReviewError("Enter the type of alternative learning review")
    if refused := decision_date_error(case, decided_on, started_on):
        raise LocalReviewError(refused)
    try:
        with transaction.atomic():
            review = LocalReview.objects.create(
                case=case,
                kind=kind,
                alternative_type=alternative_type.strip() if kind == ReviewKind.ALTERNATIVE else "",
                decided_on=decided_on,
                decided_when=decided_when,
                rationale=rationale.strip(),
                opened_by=actor,
            )
            case_transition(
                case=case,
                name="open_local_review",
                actor=actor,
                expected_version=expected_version,
                note=rationale.strip(),
                details={"kind": str(kind), "decided_on": decided_on.isoformat()},
                context={"decided_on": decided_on, "local_review": review},
            )
    except IntegrityError:
        raise LocalReviewError("The local review has already been opened on this case") from None
    except ConcurrentChange:
        raise LocalReviewError(
            "Someone else changed this case while you were working on it. Check it and try again."
        ) from None
    except TransitionError as error:
        raise LocalReviewError(str(error)) from None
    return review
