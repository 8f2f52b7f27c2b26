"""Starting, meeting, extending, pausing and recomputing clocks; every change audited."""

from datetime import date

import pytest

from accounts.models import User
from audit.models import AuditEvent, Verb
from cases.models import Case
from clocks.calendar import bank_holiday_add, bank_holiday_remove, holiday_dates
from clocks.models import BankHoliday, Clock, ClockRule, ClockSettings, ClockStatus, RapidReviewStart
from clocks.services import (
    ClockError,
    clock_cancel,
    clock_extend,
    clock_meet,
    clock_pause,
    clock_resume,
    clock_start,
    clocks_recompute,
)
from conftest import World
from rapidreviews.clock_rules import rapid_review_clocks_start


def test_the_calendar_is_seeded_with_the_one_off_days(db: None) -> None:
    days = holiday_dates()
    assert {date(2020, 5, 8), date(2022, 6, 3), date(2022, 9, 19), date(2023, 5, 8)} <= days
    assert date(2026, 12, 28) in days
    assert BankHoliday.objects.filter(date__year=2040).exists()
    assert not BankHoliday.objects.filter(date__year=2014).exists()


def test_a_sin_clock_is_due_five_working_days_after_the_la_became_aware(case: Case, coordinator: User) -> None:
    clock = clock_start(case=case, rule=ClockRule.SIN, start_date=date(2025, 12, 22), actor=coordinator)
    assert clock.due_date == date(2025, 12, 31)
    assert clock.status == ClockStatus.OPEN
    assert AuditEvent.objects.filter(verb=Verb.CREATE, target_id=str(clock.pk), case=case).exists()


def test_starting_again_from_the_same_date_changes_nothing_and_another_date_restarts(
    case: Case, coordinator: User
) -> None:
    first = clock_start(case=case, rule=ClockRule.SIN, start_date=date(2025, 12, 22), actor=coordinator)
    again = clock_start(case=case, rule=ClockRule.SIN, start_date=date(2025, 12, 22), actor=coordinator)
    assert again.pk == first.pk
    moved = clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 12, 23), actor=coordinator)
    assert moved.pk == first.pk
    assert moved.due_date == date(2027, 1, 4)
    assert Clock.objects.filter(case=case).count() == 1


def test_meeting_after_the_due_date_needs_a_reason_and_is_recorded_late(case: Case, coordinator: User) -> None:
    clock_start(case=case, rule=ClockRule.SIN, start_date=date(2025, 12, 22), actor=coordinator)
    with pytest.raises(ClockError, match="Enter why it was late"):
        clock_meet(case=case, rule=ClockRule.SIN, on=date(2026, 1, 2), actor=coordinator)
    clock = clock_meet(
        case=case, rule=ClockRule.SIN, on=date(2026, 1, 2), actor=coordinator, late_reason="Awaiting police"
    )
    assert clock.status == ClockStatus.LATE
    assert clock.reason == "Awaiting police"
    assert clock.met_on == date(2026, 1, 2)


def test_meeting_on_time_marks_it_met(case: Case, coordinator: User) -> None:
    clock_start(case=case, rule=ClockRule.SIN, start_date=date(2025, 12, 22), actor=coordinator)
    clock = clock_meet(case=case, rule=ClockRule.SIN, on=date(2025, 12, 31), actor=coordinator)
    assert clock.status == ClockStatus.MET
    with pytest.raises(ClockError):
        clock_meet(case=case, rule=ClockRule.SIN, on=date(2025, 12, 31), actor=coordinator)


def test_a_rapid_review_starts_from_the_sin_by_default_with_its_timetable(case: Case, coordinator: User) -> None:
    clocks = rapid_review_clocks_start(
        case=case, sin_submitted_on=date(2025, 12, 31), la_aware_on=date(2025, 12, 22), actor=coordinator
    )
    due = {c.rule: c.due_date for c in clocks}
    assert due[ClockRule.RAPID_REVIEW] == date(2026, 1, 22)
    assert due[ClockRule.RR_SUBMISSION] == date(2026, 1, 22)
    assert due[ClockRule.RR_REQUESTS_OUT] == date(2026, 1, 5)
    assert due[ClockRule.RR_RETURNS] == date(2026, 1, 13)
    assert due[ClockRule.RR_MEETING] == date(2026, 1, 19)
    assert due[ClockRule.RR_SIGN_OFF] == date(2026, 1, 20)


def test_a_partnership_may_start_the_rapid_review_from_la_awareness(
    case: Case, coordinator: User, world: World
) -> None:
    ClockSettings.objects.create(partnership=world.north, rapid_review_start=RapidReviewStart.LA_AWARE)
    clocks = rapid_review_clocks_start(
        case=case, sin_submitted_on=date(2025, 12, 31), la_aware_on=date(2025, 12, 22), actor=coordinator
    )
    rr = next(c for c in clocks if c.rule == ClockRule.RAPID_REVIEW)
    assert rr.start_date == date(2025, 12, 22)
    assert rr.due_date == date(2026, 1, 15)


def test_lcspr_and_publication_notice_use_their_own_arithmetic(case: Case, coordinator: User) -> None:
    lcspr = clock_start(case=case, rule=ClockRule.LCSPR, start_date=date(2026, 8, 31), actor=coordinator)
    assert lcspr.due_date == date(2027, 2, 28)
    notice = clock_start(case=case, rule=ClockRule.PUBLICATION_NOTICE, start_date=date(2026, 3, 16), actor=coordinator)
    assert notice.due_date == date(2026, 3, 5)


def test_an_extension_needs_a_later_date_a_reason_and_who_agreed(case: Case, coordinator: User) -> None:
    clock = clock_start(case=case, rule=ClockRule.RAPID_REVIEW, start_date=date(2026, 1, 5), actor=coordinator)
    with pytest.raises(ClockError, match="must be after"):
        clock_extend(clock=clock, new_due=clock.due_date, reason="x", agreed_by="y", actor=coordinator)
    with pytest.raises(ClockError, match="who agreed"):
        clock_extend(clock=clock, new_due=date(2026, 2, 13), reason="Trial", agreed_by=" ", actor=coordinator)
    clock = clock_extend(
        clock=clock, new_due=date(2026, 2, 13), reason="Trial", agreed_by="Panel secretariat", actor=coordinator
    )
    assert clock.status == ClockStatus.EXTENDED
    assert clock.effective_due == date(2026, 2, 13)
    assert clock.version == 2
    with pytest.raises(ClockError, match="Someone else"):
        clock_extend(clock=clock, new_due=date(2026, 2, 20), reason="a", agreed_by="b", actor=coordinator, version=1)


def test_pausing_then_resuming_moves_the_due_date_by_the_working_days_paused(case: Case, coordinator: User) -> None:
    clock = clock_start(case=case, rule=ClockRule.RAPID_REVIEW, start_date=date(2026, 1, 5), actor=coordinator)
    assert clock.due_date == date(2026, 1, 26)
    clock = clock_pause(clock=clock, on=date(2026, 1, 9), reason="Police request", actor=coordinator)
    assert clock.status == ClockStatus.PAUSED
    with pytest.raises(ClockError):
        clock_extend(clock=clock, new_due=date(2026, 3, 1), reason="a", agreed_by="b", actor=coordinator)
    clock = clock_resume(clock=clock, on=date(2026, 1, 16), actor=coordinator)
    assert clock.status == ClockStatus.OPEN
    assert clock.paused_days == 5
    assert clock.due_date == date(2026, 2, 2)
    # a recompute keeps the pause
    assert clocks_recompute(actor=coordinator) == []


def test_a_cancelled_clock_needs_a_reason_and_frees_the_rule(case: Case, coordinator: User) -> None:
    clock = clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=coordinator)
    with pytest.raises(ClockError, match="Enter why"):
        clock_cancel(clock=clock, reason="", actor=coordinator)
    clock_cancel(clock=clock, reason="Not notifiable after all", actor=coordinator)
    again = clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 1, 6), actor=coordinator)
    assert again.pk != clock.pk


def test_a_new_bank_holiday_recomputes_open_clocks_with_an_audit_event(
    case: Case, coordinator: User, world: World
) -> None:
    admin = world.people["admin"]
    clock = clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 6, 1), actor=coordinator)
    assert clock.due_date == date(2026, 6, 8)
    met = clock_start(case=case, rule=ClockRule.RAPID_REVIEW, start_date=date(2026, 6, 1), actor=coordinator)
    clock_meet(case=case, rule=ClockRule.RAPID_REVIEW, on=date(2026, 6, 2), actor=coordinator)
    holiday = bank_holiday_add(day=date(2026, 6, 3), name="Invented one-off holiday", actor=admin)
    clock.refresh_from_db()
    met.refresh_from_db()
    assert clock.due_date == date(2026, 6, 9)
    assert met.due_date == date(2026, 6, 22)
    assert AuditEvent.objects.filter(verb=Verb.CALENDAR_CHANGE, target_id=str(holiday.pk)).exists()
    assert AuditEvent.objects.filter(verb=Verb.RECOMPUTE, target_id=str(clock.pk)).count() == 1
    bank_holiday_remove(holiday=holiday, actor=admin)
    clock.refresh_from_db()
    assert clock.due_date == date(2026, 6, 8)
    assert AuditEvent.objects.filter(verb=Verb.RECOMPUTE, target_id=str(clock.pk)).count() == 2


def test_a_bank_holiday_added_twice_at_once_is_refused_not_a_crash(world: World) -> None:
    """The second of two simultaneous adds passes the exists() check before the first commits; the
    unique date then refuses it, and the administrator gets the same clear message."""
    from unittest import mock

    from django.db.models import QuerySet

    from clocks.calendar import CalendarError

    admin = world.people["admin"]
    bank_holiday_add(day=date(2026, 6, 3), name="Invented one-off holiday", actor=admin)
    with mock.patch.object(QuerySet, "exists", return_value=False), pytest.raises(CalendarError, match="already"):
        bank_holiday_add(day=date(2026, 6, 3), name="Invented one-off holiday", actor=admin)
    assert BankHoliday.objects.filter(date=date(2026, 6, 3)).count() == 1
