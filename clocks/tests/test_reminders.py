"""The tick: reminders before a deadline, one escalation of an overdue one, however many ticks."""

from datetime import date

import time_machine
from django.core import mail
from django.core.management import call_command
from pytest_django import DjangoCaptureOnCommitCallbacks

from clocks.models import ClockRule, ClockSettings
from clocks.reminders import reminder_due
from clocks.services import clock_extend, clock_meet, clock_start
from conftest import World
from notifications.models import Message, MessageKind

from .conftest import make_case


def _tick(capture: DjangoCaptureOnCommitCallbacks) -> None:
    with capture(execute=True):
        call_command("tick", verbosity=0)


def test_an_overdue_clock_produces_exactly_one_escalation_however_many_ticks(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    case = make_case(world, "NSCP-2026-060")
    clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=world.people["coordinator"])
    with time_machine.travel(date(2026, 1, 14), tick=False):
        for _ in range(5):
            _tick(django_capture_on_commit_callbacks)
    escalations = [m for m in mail.outbox if m.subject.startswith("Overdue")]
    assert len(escalations) == 1
    assert escalations[0].to == ["coordinator@example.test"]
    assert "NSCP-2026-060" in escalations[0].body
    assert Message.objects.filter(kind=MessageKind.ESCALATION, case=case).count() == 1


def test_the_owner_is_reminded_two_working_days_before_and_on_the_day(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    case = make_case(world, "NSCP-2026-061")
    owner = world.people["notifier"]
    clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=owner, owner=owner)  # due 12 Jan
    for day in (date(2026, 1, 7), date(2026, 1, 8), date(2026, 1, 8), date(2026, 1, 9), date(2026, 1, 12)):
        with time_machine.travel(day, tick=False):
            _tick(django_capture_on_commit_callbacks)
    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        "Due in 2 working days: Serious Incident Notification for NSCP-2026-061",
        "Due today: Serious Incident Notification for NSCP-2026-061",
    ]
    assert all(m.to == ["notifier@example.test"] for m in mail.outbox)


def test_a_met_clock_is_never_chased_and_an_extension_brings_new_reminders(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    coordinator = world.people["coordinator"]
    case = make_case(world, "NSCP-2026-062")
    clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=coordinator)
    clock = clock_start(case=case, rule=ClockRule.RAPID_REVIEW, start_date=date(2026, 1, 5), actor=coordinator)
    clock_meet(case=case, rule=ClockRule.SIN, on=date(2026, 1, 6), actor=coordinator)
    clock_extend(clock=clock, new_due=date(2026, 2, 27), reason="Trial", agreed_by="Chair", actor=coordinator)
    with time_machine.travel(date(2026, 2, 2), tick=False):
        _tick(django_capture_on_commit_callbacks)
    assert mail.outbox == []
    with time_machine.travel(date(2026, 2, 27), tick=False):
        _tick(django_capture_on_commit_callbacks)
    assert [m.subject for m in mail.outbox] == ["Due today: Rapid review for NSCP-2026-062"]


def test_reminder_offsets_are_a_partnership_setting(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    ClockSettings.objects.create(partnership=world.north, reminder_offsets=[5], escalate_overdue=False)
    case = make_case(world, "NSCP-2026-063")
    clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=world.people["coordinator"])
    for day in (date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 13)):
        with time_machine.travel(day, tick=False):
            _tick(django_capture_on_commit_callbacks)
    assert [m.subject for m in mail.outbox] == [
        "Due in 5 working days: Serious Incident Notification for NSCP-2026-063"
    ]


def test_the_reminder_of_the_day_is_the_nearest_offset_reached() -> None:
    due = date(2026, 1, 12)
    assert reminder_due(due, [0, 2], date(2026, 1, 7), set()) is None
    assert reminder_due(due, [0, 2], date(2026, 1, 8), set()) == 2
    assert reminder_due(due, [0, 2], date(2026, 1, 12), set()) == 0
    assert reminder_due(due, [0, 2], date(2026, 1, 13), set()) is None


def test_a_reminder_sent_late_says_how_near_the_deadline_really_is(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    """The 2-working-day reminder, first sent the day before (the tick did not run, the clock was
    started late): it says 'in 1 working day', not 2."""
    case = make_case(world, "NSCP-2026-063")
    owner = world.people["notifier"]
    clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=owner, owner=owner)  # due 12 Jan
    with time_machine.travel(date(2026, 1, 9), tick=False):  # Friday: one working day before
        _tick(django_capture_on_commit_callbacks)
    assert [m.subject for m in mail.outbox] == ["Due in 1 working day: Serious Incident Notification for NSCP-2026-063"]
