"""The workflow engine on its own, with a small table of its own over the case's row (three invented
states that no stage holds): what it refuses, what it writes, and that a step's effects commit or
roll back with it."""

from collections.abc import Mapping
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from audit.models import AuditEvent, Verb
from cases.models import Case, StateChange
from cases.workflow_engine import ConcurrentChange, Step, TransitionError, Workflow, take

pytestmark = pytest.mark.django_db

OPEN, READY, DONE = "tiny_open", "tiny_ready", "tiny_done"


class Table:
    """A table whose guard, permission and effects a test can steer, and which records what ran."""

    def __init__(self) -> None:
        self.ran: list[tuple[str, dict[str, Any]]] = []
        self.blocked_because: str | None = None
        self.allowed = True
        self.fail_in: str = ""

    def effect(self, name: str) -> Any:
        def run(case: Case, actor: Any, context: Mapping[str, Any]) -> None:
            self.ran.append((name, dict(context)))
            # Something the effect writes, to see whether it outlives a failing step.
            StateChange.objects.create(case=case, transition=f"effect:{name}", from_state="", to_state="", actor=actor)
            if self.fail_in == name:
                raise RuntimeError(f"{name} failed")

        return run

    @staticmethod
    def history(case: Case, step: Step[Case], from_state: str, actor: Any, note: str) -> None:
        StateChange.objects.create(
            case=case, transition=step.name, from_state=from_state, to_state=step.target, actor=actor, note=note
        )

    def workflow(self) -> Workflow[Case]:
        steps = {
            "prepare": Step(
                "prepare",
                "Prepare it",
                frozenset({OPEN}),
                READY,
                may=lambda actor, case: self.allowed,
                guards=(lambda case: None, lambda case: self.blocked_because),
                writes=lambda case, actor, context: {"title": context.get("title", case.title)},
                effects=(self.effect("prepared"),),
            ),
            "finish": Step("finish", "Finish it", frozenset({READY}), DONE, refused="Not while it is {state}"),
        }
        return Workflow(
            model=Case,
            steps=lambda: steps,
            history=self.history,
            describe=lambda case, step, from_state, note: {"summary": step.label, "from": from_state},
            case_of=lambda case: case,
            on_enter={READY: (self.effect("entered ready"),)},
            state_label=lambda value: {OPEN: "Open", READY: "Ready", DONE: "Done"}.get(value, value),
            clash="Changed meanwhile",
        )


@pytest.fixture
def case(world: Any) -> Case:
    case: Case = world.cases["north"]
    Case.objects.filter(pk=case.pk).update(state=OPEN)
    case.refresh_from_db()
    return case


def nothing_written(case: Case, version: int | None = None) -> None:
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.state, fresh.version) == (OPEN, case.version if version is None else version)
    assert not StateChange.objects.filter(case=case).exists()
    assert not AuditEvent.objects.filter(case=case, verb=Verb.TRANSITION).exists()


def test_a_step_writes_the_state_the_version_its_fields_the_history_and_the_ledger_then_runs_its_effects(
    world: Any, case: Case
) -> None:
    table = Table()
    coordinator = world.people["coordinator"]
    version = case.version
    returned = take(
        table.workflow(),
        case,
        "prepare",
        actor=coordinator,
        expected_version=version,
        note="Ready now",
        details={"extra": 1},
        context={"title": "Child Q"},
    )
    assert returned is case and (case.state, case.version, case.title) == (READY, version + 1, "Child Q")
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.state, fresh.version, fresh.title) == (READY, version + 1, "Child Q")
    [history] = StateChange.objects.filter(case=case, transition="prepare")
    assert (history.from_state, history.to_state, history.actor, history.note) == (
        OPEN,
        READY,
        coordinator,
        "Ready now",
    )
    [event] = AuditEvent.objects.filter(case=case, verb=Verb.TRANSITION)
    assert event.details == {"summary": "Prepare it", "from": OPEN, "extra": 1}
    # What entering the state does, then the step's own effects, each told the note and the context.
    assert table.ran == [
        ("entered ready", {"note": "Ready now", "title": "Child Q"}),
        ("prepared", {"note": "Ready now", "title": "Child Q"}),
    ]


def test_an_unknown_step_is_refused(world: Any, case: Case) -> None:
    with pytest.raises(TransitionError, match="There is no step called 'vanish'"):
        take(Table().workflow(), case, "vanish", actor=world.people["coordinator"], expected_version=case.version)
    nothing_written(case)


def test_a_step_from_the_wrong_state_is_refused_in_its_own_words(world: Any, case: Case) -> None:
    with pytest.raises(TransitionError, match=r"^Not while it is Open$") as refused:
        take(Table().workflow(), case, "finish", actor=world.people["coordinator"], expected_version=case.version)
    assert not isinstance(refused.value, ConcurrentChange)
    nothing_written(case)


def test_a_guard_refuses_with_its_reason_and_nothing_runs(world: Any, case: Case) -> None:
    table = Table()
    table.blocked_because = "The partners have not signed it off"
    workflow = table.workflow()
    assert workflow.available(world.people["coordinator"], case) == []
    with pytest.raises(TransitionError, match="The partners have not signed it off"):
        take(workflow, case, "prepare", actor=world.people["coordinator"], expected_version=case.version)
    assert table.ran == []
    nothing_written(case)


def test_someone_who_may_not_take_the_step_is_refused_before_anything_is_read(world: Any, case: Case) -> None:
    table = Table()
    table.allowed = False
    workflow = table.workflow()
    assert workflow.available(world.people["lead_school"], case) == []
    with pytest.raises(PermissionDenied, match="You cannot prepare it"):
        take(workflow, case, "prepare", actor=world.people["lead_school"], expected_version=case.version)
    assert table.ran == []
    nothing_written(case)


def test_a_change_made_meanwhile_is_a_clash_not_an_overwrite(world: Any, case: Case) -> None:
    table = Table()
    seen = case.version
    Case.objects.filter(pk=case.pk).update(version=seen + 1)  # someone else's change
    with pytest.raises(ConcurrentChange, match="Changed meanwhile"):
        take(table.workflow(), case, "prepare", actor=world.people["coordinator"], expected_version=seen)
    assert table.ran == []
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.state, fresh.version) == (OPEN, seen + 1)
    assert not StateChange.objects.filter(case=case).exists()


def test_a_failing_effect_takes_the_whole_step_back_with_what_earlier_effects_wrote(world: Any, case: Case) -> None:
    table = Table()
    table.fail_in = "prepared"  # the step's own effect, after "entered ready" has written its row
    with pytest.raises(RuntimeError, match="prepared failed"):
        take(table.workflow(), case, "prepare", actor=world.people["coordinator"], expected_version=case.version)
    assert [name for name, _ in table.ran] == ["entered ready", "prepared"]
    nothing_written(case)


def test_a_step_taken_inside_the_callers_transaction_goes_back_with_it(world: Any, case: Case) -> None:
    """A page that records its data and takes the step in one transaction loses neither alone."""
    table = Table()
    version = case.version
    with pytest.raises(RuntimeError, match="the page's own save failed"), transaction.atomic():
        take(table.workflow(), case, "prepare", actor=world.people["coordinator"], expected_version=version)
        raise RuntimeError("the page's own save failed")
    nothing_written(case, version)


def test_available_lists_the_steps_that_can_be_taken_now(world: Any, case: Case) -> None:
    workflow = Table().workflow()
    assert [s.name for s in workflow.available(world.people["coordinator"], case)] == ["prepare"]
    take(workflow, case, "prepare", actor=world.people["coordinator"], expected_version=case.version)
    assert [s.name for s in workflow.available(world.people["coordinator"], case)] == ["finish"]
