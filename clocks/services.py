"""Writing clocks. Keyword-only, typed, each change audited in the same transaction.

Errors a person can fix raise `ClockError` with a GOV.UK-style message.
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F

from accounts.models import User
from audit.models import Verb
from audit.services import audit_record
from cases.models import Case
from clocks.calendar import holiday_dates, settings_for
from clocks.models import ACTIVE_STATUSES, Clock, ClockStatus
from clocks.rules import compute_due, rule_spec
from core.workdays import add_working_days, working_days_between


class ClockError(ValueError):
    """A change to a clock that cannot be made; the message is for the person."""


def _audit(clock: Clock, actor: User | None, verb: Verb, summary: str, **details: Any) -> None:
    audit_record(
        actor=actor,
        verb=verb,
        target=clock,
        case=clock.case,
        details={"summary": summary, "rule": clock.rule, "due": clock.effective_due.isoformat(), **details},
        actor_label=None if getattr(actor, "is_authenticated", False) else "The service",
    )


def _save(clock: Clock, *fields: str) -> None:
    clock.version = F("version") + 1  # type: ignore[assignment]
    clock.save(update_fields=[*fields, "version", "updated_at"])
    clock.refresh_from_db(fields=["version"])


def _active(case: Case, rule: str) -> Clock | None:
    return Clock.objects.select_for_update().filter(case=case, rule=rule, status__in=ACTIVE_STATUSES).first()


def _check_version(clock: Clock, version: int | None) -> None:
    if version is not None and clock.version != version:
        raise ClockError("Someone else changed this deadline while you were looking at it. Check it and try again")


def clock_start(
    *,
    case: Case,
    rule: str,
    start_date: date,
    actor: User | None,
    owner: Any = None,
    owner_agency: Any = None,
) -> Clock:
    """Start the rule's clock on `start_date` (day 0). If it is already running from another date,
    it is restarted from the new one (a corrected date); from the same date, nothing changes."""
    spec = rule_spec(rule)
    rule = spec.name
    with transaction.atomic():
        due = compute_due(rule, start_date, settings_for(case.partnership_id), holiday_dates())
        clock = _active(case, rule)
        if clock is not None:
            if clock.start_date == start_date:
                return clock
            previous = clock.start_date
            clock.start_date, clock.due_date = start_date, due
            clock.owner = owner or clock.owner
            clock.owner_agency = owner_agency or clock.owner_agency
            _save(clock, "start_date", "due_date", "owner", "owner_agency")
            _audit(clock, actor, Verb.UPDATE, f"{spec.label}: start moved from {previous} to {start_date}")
            return clock
        clock = Clock.objects.create(
            case=case, rule=rule, start_date=start_date, due_date=due, owner=owner, owner_agency=owner_agency
        )
        _audit(clock, actor, Verb.CREATE, f"{spec.label} due {due:%-d %B %Y}", start=start_date.isoformat())
    return clock


def clock_meet(*, case: Case, rule: str, on: date, actor: User | None, late_reason: str = "") -> Clock:
    """Mark the rule's clock met on `on`; after its due date it is met late and needs a reason."""
    spec = rule_spec(rule)
    rule = spec.name
    late_reason = late_reason.strip()
    with transaction.atomic():
        clock = _active(case, rule)
        if clock is None:
            raise ClockError(f"There is no open deadline for {spec.label.lower()} on this case")
        if on < clock.start_date:
            raise ClockError("Date it was done must be on or after the date the clock started")
        late = on > clock.effective_due
        if late and not clock.is_informational and not late_reason:
            raise ClockError("Enter why it was late")
        clock.status = ClockStatus.LATE if late and not clock.is_informational else ClockStatus.MET
        clock.met_on = on
        if late_reason:
            clock.reason = late_reason
        _save(clock, "status", "met_on", "reason")
        summary = f"{spec.label} {'met late' if clock.status == ClockStatus.LATE else 'met'} on {on:%-d %B %Y}"
        _audit(clock, actor, Verb.UPDATE, summary, met_on=on.isoformat(), reason=clock.reason)
    return clock


def clock_extend(
    *, clock: Clock, new_due: date, reason: str, agreed_by: str, actor: User | None, version: int | None = None
) -> Clock:
    """Extend a running clock to an agreed later date."""
    reason, agreed_by = reason.strip(), agreed_by.strip()
    with transaction.atomic():
        clock = Clock.objects.select_for_update().select_related("case").get(pk=clock.pk)
        _check_version(clock, version)
        if clock.status not in (ClockStatus.OPEN, ClockStatus.EXTENDED):
            raise ClockError("Only an open deadline can be extended")
        if new_due <= clock.effective_due:
            raise ClockError(f"New due date must be after {clock.effective_due:%-d %B %Y}")
        if not reason:
            raise ClockError("Enter why the deadline is extended")
        if not agreed_by:
            raise ClockError("Enter who agreed the extension")
        previous = clock.effective_due
        clock.status, clock.extended_to, clock.reason, clock.agreed_by = (
            ClockStatus.EXTENDED,
            new_due,
            reason,
            agreed_by,
        )
        _save(clock, "status", "extended_to", "reason", "agreed_by")
        _audit(
            clock,
            actor,
            Verb.UPDATE,
            f"{clock.get_rule_display()} extended from {previous:%-d %B %Y} to {new_due:%-d %B %Y}",
            reason=reason,
            agreed_by=agreed_by,
        )
    return clock


def clock_pause(*, clock: Clock, on: date, reason: str, actor: User | None, version: int | None = None) -> Clock:
    """Stop a clock counting (for example while a criminal investigation holds the review)."""
    reason = reason.strip()
    with transaction.atomic():
        clock = Clock.objects.select_for_update().select_related("case").get(pk=clock.pk)
        _check_version(clock, version)
        if clock.status not in (ClockStatus.OPEN, ClockStatus.EXTENDED):
            raise ClockError("Only an open deadline can be paused")
        if not reason:
            raise ClockError("Enter why the deadline is paused")
        clock.status, clock.paused_on, clock.reason = ClockStatus.PAUSED, on, reason
        _save(clock, "status", "paused_on", "reason")
        _audit(clock, actor, Verb.UPDATE, f"{clock.get_rule_display()} paused on {on:%-d %B %Y}", reason=reason)
    return clock


def clock_resume(*, clock: Clock, on: date, actor: User | None, version: int | None = None) -> Clock:
    """Restart a paused clock; the due date moves on by the working days it was paused."""
    with transaction.atomic():
        clock = Clock.objects.select_for_update().select_related("case").get(pk=clock.pk)
        _check_version(clock, version)
        if clock.status != ClockStatus.PAUSED or clock.paused_on is None:
            raise ClockError("Only a paused deadline can be resumed")
        if on < clock.paused_on:
            raise ClockError("Date it restarts must be on or after the date it was paused")
        holidays = holiday_dates()
        days = max(0, working_days_between(clock.paused_on, on, holidays))
        clock.paused_days += days
        clock.due_date = add_working_days(clock.due_date, days, holidays)
        if clock.extended_to:
            clock.extended_to = add_working_days(clock.extended_to, days, holidays)
        clock.status = ClockStatus.EXTENDED if clock.extended_to else ClockStatus.OPEN
        clock.paused_on = None
        _save(clock, "status", "paused_on", "paused_days", "due_date", "extended_to")
        _audit(
            clock,
            actor,
            Verb.UPDATE,
            f"{clock.get_rule_display()} restarted on {on:%-d %B %Y}, now due {clock.effective_due:%-d %B %Y}",
            paused_working_days=days,
        )
    return clock


def clock_cancel(*, clock: Clock, reason: str, actor: User | None, version: int | None = None) -> Clock:
    """Stop a clock for good (the step no longer applies)."""
    reason = reason.strip()
    with transaction.atomic():
        clock = Clock.objects.select_for_update().select_related("case").get(pk=clock.pk)
        _check_version(clock, version)
        if not clock.is_active:
            raise ClockError("This deadline is already closed")
        if not reason:
            raise ClockError("Enter why the deadline is cancelled")
        clock.status, clock.reason = ClockStatus.CANCELLED, reason
        _save(clock, "status", "reason")
        _audit(clock, actor, Verb.UPDATE, f"{clock.get_rule_display()} cancelled", reason=reason)
    return clock


def clocks_start(
    *, case: Case, rules: list[str], start_date: date, actor: User | None, owner: Any = None
) -> list[Clock]:
    """Start several rules' clocks from one day 0 (a stage's timetable), in one transaction."""
    with transaction.atomic():
        return [clock_start(case=case, rule=rule, start_date=start_date, actor=actor, owner=owner) for rule in rules]


def clocks_recompute(*, actor: User | None, partnership_id: int | None = None) -> list[Clock]:
    """Recompute the due date of every open clock (after a calendar change, or of one partnership's
    after its settings changed); returns those changed, each with an audit event."""
    changed: list[Clock] = []
    with transaction.atomic():
        holidays = holiday_dates()
        settings_cache: dict[int, Any] = {}
        clocks = Clock.objects.select_for_update().select_related("case").filter(status__in=ACTIVE_STATUSES)
        if partnership_id is not None:
            clocks = clocks.filter(case__partnership_id=partnership_id)
        for clock in clocks:
            p_id = clock.case.partnership_id
            if p_id not in settings_cache:
                settings_cache[p_id] = settings_for(p_id)
            due = compute_due(clock.rule, clock.start_date, settings_cache[p_id], holidays)
            due = add_working_days(due, clock.paused_days, holidays)
            if due == clock.due_date:
                continue
            previous = clock.due_date
            clock.due_date = due
            _save(clock, "due_date")
            _audit(
                clock,
                actor,
                Verb.RECOMPUTE,
                f"{clock.get_rule_display()} now due {due:%-d %B %Y} (was {previous:%-d %B %Y})",
                previous_due=previous.isoformat(),
            )
            changed.append(clock)
    return changed


def clocks_stop_on_close(case: Case, actor: User | None, reason: str) -> None:
    """A case closed: its open deadlines stop, each with the reason the case was closed."""
    why = f"The case was closed: {reason}" if reason.strip() else "The case was closed"
    for clock in Clock.objects.filter(case=case, status__in=ACTIVE_STATUSES):
        clock_cancel(clock=clock, reason=why, actor=actor)


def clocks_open_on(case: Case) -> list[str]:
    """The names of the case's open deadlines (what closing it would stop)."""
    return [str(c.get_rule_display()) for c in Clock.objects.filter(case=case, status__in=ACTIVE_STATUSES)]
