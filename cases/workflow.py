"""The case workflow as data: every state change is a row of the table (`transitions()`) and goes through
`case_transition`, which checks who may, the guard and an optimistic version, then writes the
new state, the status history and the audit event in one transaction.

The steps are the stages' own (each Stage's `transitions`, built with `step(...)`), with the
platform's "close" from every state a stage marks closable. Stages add to a step too: `guards` (the first
reason given blocks it), `effects` (what taking the step starts, such as the next stage's clocks,
run in the step's transaction) and `on_close` (what closing the case stops).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.utils import timezone

from accounts.models import User
from cases import stage_registry
from cases.models import Case, CaseState, StateChange
from cases.policies import CaseAction, can
from cases.workflow_engine import ConcurrentChange, Effect, Step, TransitionError, Workflow, take

__all__ = ["ConcurrentChange", "TransitionError"]  # the engine's, raised by case_transition

Guard = Callable[[Case], str | None]  # returns why the transition is blocked, or None


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    action: CaseAction
    guard: Guard | None = None

    @property
    def target_label(self) -> str:
        return state_label(self.target)


def step(name: str, label: str, sources: set[str], target: str, action: CaseAction) -> Transition:
    """A row of the table, as a stage declares it in its `transitions`."""
    return Transition(name=name, label=label, sources=frozenset(sources), target=target, action=action)


# The platform's own step: the coordinator closes the case from any state a stage marks closable.
CLOSE = step("close", "Close the case", set(), CaseState.CLOSED, CaseAction.RUN_RAPID_REVIEW)


def transitions() -> dict[str, Transition]:
    """The workflow table: every stage's steps, in the order the stages are installed, then "close"."""
    table = {t.name: t for t in stage_registry.transitions()}
    closable = frozenset(st.value for st in stage_registry.states() if st.closable)
    table[CLOSE.name] = replace(CLOSE, sources=closable)
    return table


def state_label(value: str) -> str:
    registered = stage_registry.state(value)
    return registered.label if registered is not None else value


def _blocked(transition: Transition, case: Case) -> str | None:
    """The first reason given by the step's own guard or a stage's (the rapid review: sent only once
    the three partners have signed it off), so the case page offers a step only when it can be taken."""
    guards = [transition.guard] if transition.guard is not None else []
    return next((reason for g in [*guards, *stage_registry.guards(transition.name)] if (reason := g(case))), None)


def blocked_reason(name: str, case: Case) -> str | None:
    """Why the step cannot be taken on this case now, from its guards (None if nothing blocks it)."""
    return _blocked(transitions()[name], case)


def closes_the_case(transition: Transition) -> bool:
    """Closing needs a reason and a confirmation, and is never the page's main button by default."""
    return transition.target == CaseState.CLOSED


def stopped_by_closing(case: Case) -> list[str]:
    """What closing the case would stop, for the confirmation page: each stage's `on_close` pairs a
    `stop(case, actor, reason)`, run in the closing transaction, with `describe(case)`, the names of
    what it would stop (the clocks: the case's open deadlines)."""
    return [name for _, describe in stage_registry.on_close() for name in describe(case)]


def available_transitions(user: Any, case: Case) -> list[Transition]:
    """The transitions this person could take now: what drives the buttons on the case page."""
    return [
        t
        for t in transitions().values()
        if case.state in t.sources and can(user, t.action, case) and _blocked(t, case) is None
    ]


def case_transition(
    *,
    case: Case,
    name: str,
    actor: User,
    expected_version: int,
    note: str = "",
    details: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
) -> Case:
    """Moves the case on, through the workflow engine. Call inside the same transaction as the data
    the step records.

    `context` is what the step knows that its effects may need (the notification's date and whether
    it requires a rapid review); it is passed to every stage's effect for the step, not recorded."""
    return take(
        CASE_WORKFLOW,
        case,
        name,
        actor=actor,
        expected_version=expected_version,
        note=note,
        details=details,
        context=context,
    )


def _engine_step(transition: Transition) -> Step[Case]:
    """A row of the case's table as the engine takes it: its action is who may, its guards are its
    own and the stages', its effects the stages' for the step."""
    action = transition.action
    return Step(
        name=transition.name,
        label=transition.label,
        sources=transition.sources,
        target=transition.target,
        may=lambda actor, case: can(actor, action, case),
        guards=(*([transition.guard] if transition.guard is not None else []), *stage_registry.guards(transition.name)),
        writes=lambda case, actor, context: {"updated_at": timezone.now()},
        effects=tuple(_stage_effect(e) for e in stage_registry.effects(transition.name)),
        refused="You cannot {label} while the case is '{state}'",
    )


def _stage_effect(effect: stage_registry.Effect) -> Effect[Case]:
    def run(case: Case, actor: Any, context: Mapping[str, Any]) -> None:
        effect(case=case, actor=actor, context=context)

    return run


def _stop_on_close(case: Case, actor: Any, context: Mapping[str, Any]) -> None:
    """Entering "closed" stops what each stage's `on_close` stops (the clocks), with the step's note."""
    for stop, _ in stage_registry.on_close():
        stop(case, actor, context.get("note", ""))


def _record_state_change(case: Case, step: Step[Case], from_state: str, actor: Any, note: str) -> None:
    StateChange.objects.create(
        case=case, transition=step.name, from_state=from_state, to_state=step.target, actor=actor, note=note
    )


CASE_WORKFLOW: Workflow[Case] = Workflow(
    model=Case,
    steps=lambda: {name: _engine_step(t) for name, t in transitions().items()},
    history=_record_state_change,
    describe=lambda case, step, from_state, note: {"summary": step.label, "from": from_state, "to": str(step.target)},
    case_of=lambda case: case,
    on_enter={CaseState.CLOSED: (_stop_on_close,)},
    state_label=state_label,
    clash="Someone else changed this case while you were working on it. Check it and try again.",
)


def workflow_diagram() -> str:
    """The table as a Mermaid state diagram, for the docs."""
    lines = ["stateDiagram-v2"]
    for t in transitions().values():
        for source in sorted(t.sources):
            lines.append(f"    {source} --> {t.target}: {t.label} ({t.action})")
    return "\n".join(lines)
