"""Reminders before a deadline and escalation of overdue ones, sent by the tick.

Each message carries a dedupe key naming the clock, the kind of reminder and the due date it is
about, so it is recorded (and sent) once: ticking again, or two schedulers ticking at once, sends
nothing more. An extension gives a new due date and so, rightly, new reminders.
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.db.models.functions import Coalesce
from django.urls import reverse

from accounts.models import Membership
from accounts.roles import Role
from clocks.calendar import holiday_dates, settings_for
from clocks.models import INFORMATIONAL_RULES, RUNNING_STATUSES, Clock, ClockSettings
from clocks.selectors import due_date_text
from core.workdays import add_working_days, subtract_working_days
from notifications.models import Message, MessageKind
from notifications.services import notify

MAX_OFFSET = 20  # working days: a bound on how early a reminder may be configured


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


def _body(clock: Clock, opening: str, today: date) -> str:
    return (
        f"{opening}\n\n"
        f"Case: {clock.case.reference} ({clock.case.title})\n"
        f"Deadline: {clock.get_rule_display()}\n"
        f"Due: {due_date_text(clock.effective_due, today)} {clock.effective_due.year}\n\n"
        f"See the case: {_case_link(clock)}\n"
    )


def reminders_send(*, today: date) -> int:
    """Send the reminders and escalations due today; returns how many messages were recorded."""
    holidays = holiday_dates()
    horizon = add_working_days(today, MAX_OFFSET, holidays)
    clocks = (
        Clock.objects.filter(status__in=RUNNING_STATUSES)
        .exclude(rule__in=list(INFORMATIONAL_RULES))
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

    plans: list[tuple[Clock, list[Any], str, str, str, str]] = []
    for clock in clocks:
        p_id = clock.case.partnership_id
        if p_id not in settings_cache:
            settings_cache[p_id] = settings_for(p_id)
        clock_settings = settings_cache[p_id]
        due = clock.effective_due
        rule = clock.get_rule_display()
        if due < today:
            if not clock_settings.escalate_overdue:
                continue
            recipients = coordinators_of(p_id)
            subject = f"Overdue: {rule} for {clock.case.reference}"
            opening = f"The deadline for {rule.lower()} on {clock.case.reference} has passed."
            key, kind = f"clock:{clock.pk}:overdue:{due.isoformat()}", str(MessageKind.ESCALATION)
        else:
            offset = reminder_due(due, reminder_offsets(clock_settings), today, holidays)
            if offset is None:
                continue
            recipients = [clock.owner] if clock.owner and clock.owner.is_active else coordinators_of(p_id)
            when = "today" if offset == 0 else f"in {offset} working day{'s' if offset != 1 else ''}"
            subject = f"Due {when}: {rule} for {clock.case.reference}"
            opening = f"The deadline for {rule.lower()} on {clock.case.reference} is due {when}."
            key, kind = f"clock:{clock.pk}:remind{offset}:{due.isoformat()}", str(MessageKind.REMINDER)
        plans.append((clock, recipients, subject, opening, key, kind))

    # Skip, in one query per 500, the reminders every recipient already has (notify checks again).
    wanted = {f"{key}|{r.email.lower()}" for _, recipients, _, _, key, _ in plans for r in recipients}
    existing: set[str] = set()
    keys = sorted(wanted)
    for i in range(0, len(keys), 500):
        existing.update(
            k
            for k in Message.objects.filter(dedupe_key__in=keys[i : i + 500]).values_list("dedupe_key", flat=True)
            if k
        )
    sent = 0
    for plan in plans:
        todo = [r for r in plan[1] if f"{plan[4]}|{r.email.lower()}" not in existing]
        if todo:
            sent += len(
                notify(
                    recipients=todo,
                    subject=plan[2],
                    body=_body(plan[0], plan[3], today),
                    case=plan[0].case,
                    kind=plan[5],
                    dedupe_key=plan[4],
                )
            )
    return sent
