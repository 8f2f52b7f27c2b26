"""What every table of a local review's own records shares (the terms, accuracy rounds, learning
events, written requests and delays): each step is one row of the review's history, the audit
event says which step it was in the same words, and a status reads as its label."""

from collections.abc import Callable
from typing import Any

from django.db import models

from accounts.models import User
from cases.workflow_engine import Step
from localreviews.models import LocalReviewEvent


def history_row(record: Any, step: Step[Any], from_status: str, actor: User, note: str) -> None:
    """The step as a row of the review's history (`record` belongs to the review by `review_id`)."""
    LocalReviewEvent.objects.create(
        review_id=record.review_id,
        step=step.name,
        from_status=from_status,
        to_status=step.target,
        actor=actor,
        note=note,
    )


def step_details(step: Step[Any], from_status: str, note: str, about: str = "", **extra: Any) -> dict[str, Any]:
    """The audit event's details for a step: "Local review: <step>" (with what it is about), the
    states it left and entered, the note, and anything the table adds."""
    summary = f"Local review: {step.label[0].lower()}{step.label[1:]}" + (f" ({about})" if about else "")
    details: dict[str, Any] = {"summary": summary, "step": step.name, "from": from_status, "to": step.target, **extra}
    if note:
        details["note"] = note
    return details


def status_words(choices: type[models.TextChoices]) -> Callable[[str], str]:
    """A status as it reads in a sentence ("you cannot ... while it is 'held'")."""

    def words(value: str) -> str:
        try:
            return str(choices(value).label).lower()
        except ValueError:
            return value

    return words
