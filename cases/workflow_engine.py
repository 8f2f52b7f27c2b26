"""The workflow engine: how any record (the case, an agency's summary, and later a local review's
drafts, a publication, an action) moves between its states.

A record's `Workflow` is its transition table, declared as data: each `Step` names the states it
leaves from, the state it enters, who may take it (`may`), what blocks it (`guards`), what else it
writes on the record (`writes`) and what taking it does (`effects`); the table adds what entering a
state does, whichever step enters it (`on_enter`: start or stop a clock, send a message), how a
step is written in the record's history (`history`) and how it reads in the audit ledger
(`describe`, on the case `case_of` gives).

`take()` is the one way through: permission, then under the row's lock the optimistic version
check, the state the step leaves from and its guards; then the new state and version, the history
row, the audit event, the state's and the step's effects, all in one transaction, so a failing
effect leaves nothing behind.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from audit.models import Verb
from audit.services import audit_record

type Guard[R] = Callable[[R], str | None]  # why the step cannot be taken now, or None
type Effect[R] = Callable[[R, Any, Mapping[str, Any]], None]  # effect(record, actor, context)
type Writes[R] = Callable[[R, Any, Mapping[str, Any]], dict[str, Any]]  # other fields the step sets


class TransitionError(Exception):
    """The step cannot be taken: unknown, the wrong state, or blocked by a guard."""


class ConcurrentChange(TransitionError):
    """Someone else changed the record first; reload and try again."""


@dataclass(frozen=True)
class Step[R: models.Model]:
    """A row of a record's transition table. `refused` is what to say when the record is in a state
    the step does not leave from ({label} and {state} are filled in)."""

    name: str
    label: str
    sources: frozenset[str]
    target: str
    may: Callable[[Any, R], bool] | None = None
    guards: tuple[Guard[R], ...] = ()
    writes: Writes[R] | None = None
    effects: tuple[Effect[R], ...] = ()
    refused: str = "You cannot {label} while it is '{state}'"


@dataclass(frozen=True)
class Workflow[R: models.Model]:
    """A record's transition table. `steps` is called each time (a table may be assembled from the
    installed stages, as the case's is). `history(record, step, from_state, actor, note)` writes the
    record's own history row; `describe(record, step, from_state, note)` gives the audit event's
    details (its "summary" first); `case_of(record)` is the case the event belongs to."""

    model: type[R]
    steps: Callable[[], Mapping[str, Step[R]]]
    history: Callable[[R, Step[R], str, Any, str], None]
    describe: Callable[[R, Step[R], str, str], dict[str, Any]]
    case_of: Callable[[R], Any]
    state_field: str = "state"
    version_field: str = "version"
    on_enter: Mapping[str, tuple[Effect[R], ...]] = field(default_factory=dict)
    state_label: Callable[[str], str] = str
    clash: str = "Someone else changed this while you were working on it. Check it and try again."

    def step(self, name: str) -> Step[R]:
        found = self.steps().get(name)
        if found is None:
            raise TransitionError(f"There is no step called {name!r}")
        return found

    def blocked(self, step: Step[R], record: R) -> str | None:
        """The first reason one of the step's guards gives, or None."""
        return next((reason for guard in step.guards if (reason := guard(record))), None)

    def allowed(self, step: Step[R], actor: Any, record: R) -> bool:
        return step.may is None or step.may(actor, record)

    def available(self, actor: Any, record: R) -> list[Step[R]]:
        """The steps this person could take on the record now (what drives a page's buttons)."""
        state = getattr(record, self.state_field)
        return [
            s
            for s in self.steps().values()
            if state in s.sources and self.allowed(s, actor, record) and self.blocked(s, record) is None
        ]


def take[R: models.Model](
    workflow: Workflow[R],
    record: R,
    name: str,
    *,
    actor: Any,
    expected_version: int,
    note: str = "",
    details: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
) -> R:
    """Takes the step `name` on `record`, or raises (TransitionError, ConcurrentChange,
    PermissionDenied) having changed nothing. Joins the caller's transaction when there is one, so
    the data a step records on its own page commits or rolls back with the step.

    `note` goes into the history row; `details` are added to the audit event; `context` is what the
    step knows that its writes and effects may need, not recorded (with the note, as "note"). Returns `record`, with its new
    state, version and the fields the step wrote."""
    step = workflow.step(name)
    if not workflow.allowed(step, actor, record):
        raise PermissionDenied(f"You cannot {step.label.lower()}")
    context = {"note": note, **(context or {})}
    with transaction.atomic():
        current = workflow.model._default_manager.select_for_update().get(pk=record.pk)
        if getattr(current, workflow.version_field) != expected_version:
            raise ConcurrentChange(workflow.clash)
        from_state = getattr(current, workflow.state_field)
        if from_state not in step.sources:
            raise TransitionError(step.refused.format(label=step.label.lower(), state=workflow.state_label(from_state)))
        if reason := workflow.blocked(step, current):
            raise TransitionError(reason)
        changes = {
            **(step.writes(current, actor, context) if step.writes is not None else {}),
            workflow.state_field: step.target,
            workflow.version_field: expected_version + 1,
        }
        updated = workflow.model._default_manager.filter(
            pk=record.pk, **{workflow.version_field: expected_version}
        ).update(**changes)
        if updated != 1:
            raise ConcurrentChange(workflow.clash)
        for attribute, value in changes.items():
            setattr(current, attribute, value)
        workflow.history(current, step, from_state, actor, note)
        audit_record(
            actor=actor,
            verb=Verb.TRANSITION,
            target=current,
            case=workflow.case_of(current),
            details={**workflow.describe(current, step, from_state, note), **(details or {})},
        )
        for effect in (*workflow.on_enter.get(step.target, ()), *step.effects):
            effect(current, actor, context)
    for attribute, value in changes.items():
        setattr(record, attribute, value)
    return record
