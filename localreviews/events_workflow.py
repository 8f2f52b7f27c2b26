"""A practitioner learning event's own transition table, on the workflow engine
(cases/workflow_engine.py): planned (changed as often as need be, each change with the version
check, a history row and an audit event) -> held, when the organiser records who attended, once the
day has come. Attendance and notes may be corrected afterwards."""

from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from accounts.models import User
from cases.workflow_engine import Step, Workflow
from localreviews.events_models import EventStatus, LearningEvent
from localreviews.models import LocalReviewEvent
from localreviews.policies import LocalReviewChecker

PLANNED, HELD = EventStatus.PLANNED, EventStatus.HELD


def _organises(actor: User, event: LearningEvent) -> bool:
    return LocalReviewChecker(actor, event.review.case).may_organise_events


def _not_yet(event: LearningEvent) -> str | None:
    if event.date > timezone.localdate():
        return f"Record who attended once the event has taken place on {event.date:%-d %B %Y}"
    return None


def _content(event: LearningEvent, actor: User, context: Mapping[str, Any]) -> dict[str, Any]:
    return {**context.get("content", {}), "updated_by": actor, "updated_at": timezone.now()}


STEPS: Mapping[str, Step[LearningEvent]] = {
    s.name: s
    for s in (
        Step(
            "event_change",
            "Change the learning event",
            frozenset({PLANNED}),
            PLANNED,
            _organises,
            writes=_content,
            refused="The learning event has been held: record its attendance and notes instead",
        ),
        Step(
            "event_held",
            "Record who attended the learning event",
            frozenset({PLANNED}),
            HELD,
            _organises,
            guards=(_not_yet,),
            writes=_content,
        ),
        Step(
            "event_attendance",
            "Correct the learning event's attendance and notes",
            frozenset({HELD}),
            HELD,
            _organises,
            writes=_content,
        ),
    )
}


def _history(event: LearningEvent, step: Step[LearningEvent], from_status: str, actor: User, note: str) -> None:
    LocalReviewEvent.objects.create(
        review_id=event.review_id,
        step=step.name,
        from_status=from_status,
        to_status=step.target,
        actor=actor,
        note=note,
    )


def _describe(event: LearningEvent, step: Step[LearningEvent], from_status: str, note: str) -> dict[str, Any]:
    details: dict[str, Any] = {
        "summary": f"Local review: {step.label[0].lower()}{step.label[1:]} ({event.title})",
        "step": step.name,
        "from": from_status,
        "to": step.target,
    }
    if note:
        details["note"] = note
    return details


def _label(value: str) -> str:
    try:
        return str(EventStatus(value).label).lower()
    except ValueError:
        return value


EVENT_WORKFLOW: Workflow[LearningEvent] = Workflow(
    model=LearningEvent,
    steps=lambda: STEPS,
    history=_history,
    describe=_describe,
    case_of=lambda event: event.review.case,
    state_field="status",
    state_label=_label,
    clash="Someone else changed the learning event while you were working on it. Check it and try again.",
)
