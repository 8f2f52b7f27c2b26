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
from localreviews.policies import LocalReviewChecker
from localreviews.tables import history_row, status_words, step_details

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


EVENT_WORKFLOW: Workflow[LearningEvent] = Workflow(
    model=LearningEvent,
    steps=lambda: STEPS,
    history=history_row,
    describe=lambda event, step, from_status, note: step_details(step, from_status, note, event.title),
    case_of=lambda event: event.review.case,
    state_field="status",
    state_label=status_words(EventStatus),
    clash="Someone else changed the learning event while you were working on it. Check it and try again.",
)
