"""Reminders before a deadline and escalation of overdue ones, sent by the tick.

Each message carries a dedupe key naming the clock, the kind of reminder and the due date it is
about, so it is recorded (and sent) once: ticking again, or two schedulers ticking at once, sends
nothing more. An extension gives a new due date and so, rightly, new reminders.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models.functions import Coalesce
from django.urls import reverse

from accounts.models import Membership, User
from accounts.roles import Role
from clocks.calendar import holiday_dates, settings_for
from clocks.models import RUNNING_STATUSES, Clock, ClockSettings
from clocks.rules import registered_rules
from clocks.selectors import due_date_text
from core.workdays import add_working_days, subtract_working_days, working_days_between
from notifications.emails import Email, email_render
from notifications.models import Message, MessageKind
from notifications.services import message_send

MAX_OFFSET = 20  # working days: a bound on how early a reminder may be configured


class Chase(NamedTuple):
    """Someone whose own work a deadline waits for: told with a link to that work."""

    user: User
    link: str
    what: str  # for example "the Individual Agency Summary from Northshire Police"


def chases_for(clock: Clock) -> list[Chase]:
    """Who is chased for the clock's deadline besides its owner: the stage that owns the rule says
    (its `chasers`; the rapid review chases the leads of agencies whose returns are outstanding).
    clocks imports no such app."""
    from cases.stage_registry import chaser

    f = chaser(clock.rule)
    return f(clock) if f is not None else []


def tick_jobs_run() -> int:
    """The stages' idempotent work for the scheduler's `tick` (their `tick_jobs`; each returns how
    many things it did), for what ends on time rather than on a click. clocks imports no such app."""
    from cases.stage_registry import tick_jobs

    return sum(job() for job in tick_jobs())


@dataclass
class _Plan:
    clock: Clock
    recipients: list[Any]
    email: Email
    overdue: bool
    when: str  # "today", "in 3 working days" (empty once overdue)
    key: str
    kind: MessageKind
    link: str = ""
    what: str = ""  # a chased person's own part of the deadline


def reminder_offsets(clock_settings: ClockSettings) -> list[int]:
    """The partnership's offsets (working days before the due date), valid and soonest last."""
    raw = clock_settings.reminder_offsets or []
    offsets = {int(o) for o in raw if str(o).lstrip("-").isdigit() and 0 <= int(o) <= MAX_OFFSET}
    return sorted(offsets)


def reminder_due(due: date, offsets: list[int], today: date, holidays: Any) -> int | None:
    """The reminder to send today: the smallest offset whose day has come, None before any has."""
    if today > due:
        return None
    for offset in offsets:
        if subtract_working_days(due, offset, holidays) <= today:
            return offset
    return None


def _case_link(clock: Clock) -> str:
    return settings.SERVICE_URL.rstrip("/") + reverse("cases:detail", args=[clock.case.reference])


def _words(plan: _Plan, today: date) -> tuple[str, str]:
    clock = plan.clock
    return email_render(
        plan.email,
        {
            "clock": clock,
            "case": clock.case,
            "rule": clock.get_rule_display(),
            "what": plan.what,
            "overdue": plan.overdue,
            "when": plan.when,
            "due": f"{due_date_text(clock.effective_due, today)} {clock.effective_due.year}",
            "link": plan.link,
            "case_url": _case_link(clock),
        },
    )


def reminders_send(*, today: date) -> list[Message]:
    """Send the reminders and escalations due today; returns the messages recorded (each is emailed
    after its commit; one that did not go is tried again by `messages_send`)."""
    holidays = holiday_dates()
    horizon = add_working_days(today, MAX_OFFSET, holidays)
    clocks = (
        Clock.objects.filter(status__in=RUNNING_STATUSES)
        .exclude(rule__in=[r.name for r in registered_rules() if r.informational])
        .annotate(effective=Coalesce("extended_to", "due_date"))
        .filter(effective__lte=horizon)
        .select_related("case", "owner")
        .order_by("effective", "id")
    )
    settings_cache: dict[int, ClockSettings] = {}
    coordinators: dict[int, list[Any]] = {}

    def coordinators_of(partnership_id: int) -> list[Any]:
        if partnership_id not in coordinators:
            coordinators[partnership_id] = [
                m.user
                for m in Membership.objects.active()
                .filter(partnership_id=partnership_id, role=Role.COORDINATOR, user__is_active=True)
                .select_related("user")
            ]
        return coordinators[partnership_id]

    plans: list[_Plan] = []
    for clock in clocks:
        p_id = clock.case.partnership_id
        if p_id not in settings_cache:
            settings_cache[p_id] = settings_for(p_id)
        clock_settings = settings_cache[p_id]
        due = clock.effective_due
        if due < today:
            if not clock_settings.escalate_overdue:
                continue
            recipients = coordinators_of(p_id)
            key, kind = f"clock:{clock.pk}:overdue:{due.isoformat()}", MessageKind.ESCALATION
            overdue, when = True, ""
        else:
            offset = reminder_due(due, reminder_offsets(clock_settings), today, holidays)
            if offset is None:
                continue
            recipients = [clock.owner] if clock.owner and clock.owner.is_active else coordinators_of(p_id)
            # The offset picks the reminder (and its dedupe key); the words say how near it really is,
            # which is less when the reminder goes late (a tick missed, a clock started close to its day).
            left = working_days_between(today, due, holidays)
            when = "today" if left <= 0 else f"in {left} working day{'s' if left != 1 else ''}"
            key, kind = f"clock:{clock.pk}:remind{offset}:{due.isoformat()}", MessageKind.REMINDER
            overdue = False
        plans.append(_Plan(clock, recipients, Email.DEADLINE, overdue, when, key, kind))
        for chase in chases_for(clock):
            if not chase.user.is_active:
                continue
            plans.append(
                _Plan(clock, [chase.user], Email.DEADLINE_CHASE, overdue, when, key, kind, chase.link, chase.what)
            )

    # Skip, in one query per 500, the reminders every recipient already has (message_send checks again).
    wanted = {f"{plan.key}|{r.email.lower()}" for plan in plans for r in plan.recipients}
    existing: set[str] = set()
    keys = sorted(wanted)
    for i in range(0, len(keys), 500):
        existing.update(
            k
            for k in Message.objects.filter(dedupe_key__in=keys[i : i + 500]).values_list("dedupe_key", flat=True)
            if k
        )
    recorded: list[Message] = []
    for plan in plans:
        todo = [r for r in plan.recipients if f"{plan.key}|{r.email.lower()}" not in existing]
        existing.update(f"{plan.key}|{r.email.lower()}" for r in todo)  # a chased owner is told once
        if todo:
            subject, body = _words(plan, today)
            recorded += message_send(
                recipients=todo,
                subject=subject,
                body=body,
                case=plan.clock.case,
                kind=plan.kind,
                dedupe_key=plan.key,
            )
    return recorded
