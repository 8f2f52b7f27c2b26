"""The case workflow as data: every state change is a row of the table (`transitions()`) and goes through
`case_transition`, which checks who may, the guard and an optimistic version, then writes the
new state, the status history and the audit event in one transaction.

The steps are the stages' own (each Stage's `transitions`, built with `step(...)`), with the
platform's "close" from every state a stage marks closable. Stages add to a step too: `guards` (the first
reason given blocks it), `effects` (what taking the step starts, such as the next stage's clocks,
run in the step's transaction) and `on_close` (what closing the case stops).
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from audit.models import Verb
from audit.services import audit_record
from cases import stage_registry
from cases.models import Case, CaseState, StateChange
from cases.policies import CaseAction, can

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


class TransitionError(Exception):
    """The transition cannot happen: wrong state, blocked by its guard, or unknown."""


class ConcurrentChange(TransitionError):
    """Someone else changed the case first; reload and try again."""


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
    actor: Any,
    expected_version: int,
    note: str = "",
    details: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
) -> Case:
    """Moves the case on. Call inside the same transaction as the data the step records.

    `context` is what the step knows that its effects may need (the notification's date and whether
    it requires a rapid review); it is passed to every stage's effect for the step, not recorded."""
    transition = transitions().get(name)
    if transition is None:
        raise TransitionError(f"There is no step called {name!r}")
    if not can(actor, transition.action, case):
        raise PermissionDenied(f"You cannot {transition.label.lower()}")
    with transaction.atomic():
        current = Case.objects.select_for_update().get(pk=case.pk)
        if current.version != expected_version:
            raise ConcurrentChange(
                "Someone else changed this case while you were working on it. Check it and try again."
            )
        if current.state not in transition.sources:
            raise TransitionError(
                f"You cannot {transition.label.lower()} while the case is '{state_label(current.state)}'"
            )
        if reason := _blocked(transition, current):
            raise TransitionError(reason)
        from_state = current.state
        updated = Case.objects.filter(pk=case.pk, version=expected_version).update(
            state=transition.target, version=expected_version + 1, updated_at=timezone.now()
        )
        if updated != 1:
            raise ConcurrentChange(
                "Someone else changed this case while you were working on it. Check it and try again."
            )
        StateChange.objects.create(
            case=current, transition=name, from_state=from_state, to_state=transition.target, actor=actor, note=note
        )
        audit_record(
            actor=actor,
            verb=Verb.TRANSITION,
            target=current,
            case=current,
            details={"summary": transition.label, "from": from_state, "to": str(transition.target), **(details or {})},
        )
        if transition.target == CaseState.CLOSED:
            for stop, _ in stage_registry.on_close():
                stop(current, actor, note)
        for effect in stage_registry.effects(name):
            effect(case=current, actor=actor, context=context or {})
    case.state = transition.target
    case.version = expected_version + 1
    return case


def workflow_diagram() -> str:
    """The table as a Mermaid state diagram, for the docs."""
    lines = ["stateDiagram-v2"]
    for t in transitions().values():
        for source in sorted(t.sources):
            lines.append(f"    {source} --> {t.target}: {t.label} ({t.action})")
    return "\n".join(lines)
