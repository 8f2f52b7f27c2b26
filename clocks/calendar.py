"""The England and Wales bank-holiday calendar, partnership closure days and clock settings.

Adding or removing a bank holiday is audited and recomputes every open clock in the same
transaction; closure days are only a warning and never touch a clock.
"""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from accounts.models import User
from audit.models import Verb
from audit.services import audit_record
from clocks.models import BankHoliday, ClockSettings, ClosureDay
from core.request_context import remembered

SEED_YEARS = range(2015, 2041)


class CalendarError(ValueError):
    """A change to the calendar that cannot be made; the message is for the person."""


def england_holidays(years: range = SEED_YEARS) -> dict[date, str]:
    """England and Wales bank holidays from the `holidays` package, one-off days included."""
    import holidays as holidays_lib

    return dict(holidays_lib.country_holidays("GB", subdiv="ENG", years=years, language="en_GB").items())


def holiday_dates() -> frozenset[date]:
    """Every bank holiday in the calendar (one query, once for a page that only reads)."""
    return remembered("holiday_dates", lambda: frozenset(BankHoliday.objects.values_list("date", flat=True)))


def closure_dates(partnership_id: int) -> frozenset[date]:
    return frozenset(ClosureDay.objects.filter(partnership_id=partnership_id).values_list("date", flat=True))


def settings_for(partnership_id: int) -> ClockSettings:
    """The partnership's clock settings, or the defaults (unsaved) if it has not chosen any."""
    found = remembered(
        ("clock_settings", partnership_id), lambda: ClockSettings.objects.filter(partnership_id=partnership_id).first()
    )
    return found or ClockSettings(partnership_id=partnership_id)


def calendar_seed(years: range = SEED_YEARS) -> int:
    """Load the official calendar for `years`; returns how many days were added. Idempotent."""
    existing = set(BankHoliday.objects.values_list("date", flat=True))
    new = [
        BankHoliday(date=day, name=name, source=BankHoliday.Source.SEEDED)
        for day, name in sorted(england_holidays(years).items())
        if day not in existing
    ]
    BankHoliday.objects.bulk_create(new)
    return len(new)


def bank_holiday_add(*, day: date, name: str, actor: User) -> BankHoliday:
    """Add a newly announced bank holiday and recompute open clocks."""
    from clocks.services import clocks_recompute

    name = name.strip()
    if not name:
        raise CalendarError("Enter the name of the bank holiday")
    already = CalendarError(f"{day:%-d %B %Y} is already a bank holiday")
    with transaction.atomic():
        if BankHoliday.objects.filter(date=day).exists():
            raise already
        try:
            # Two administrators adding the same day at once: the unique date lets one in.
            with transaction.atomic():
                holiday = BankHoliday.objects.create(date=day, name=name, source=BankHoliday.Source.ADDED)
        except IntegrityError:
            raise already from None
        audit_record(
            actor=actor,
            verb=Verb.CALENDAR_CHANGE,
            target=holiday,
            details={"summary": f"Added bank holiday {holiday}", "date": day.isoformat(), "change": "added"},
        )
        clocks_recompute(actor=actor)
    return holiday


def bank_holiday_remove(*, holiday: BankHoliday, actor: User) -> None:
    """Remove a bank holiday (entered in error, or cancelled) and recompute open clocks."""
    from clocks.services import clocks_recompute

    with transaction.atomic():
        label = str(holiday)
        audit_record(
            actor=actor,
            verb=Verb.CALENDAR_CHANGE,
            target=holiday,
            details={"summary": f"Removed bank holiday {label}", "date": holiday.date.isoformat(), "change": "removed"},
        )
        holiday.delete()
        clocks_recompute(actor=actor)


def closure_day_add(*, partnership: Any, day: date, name: str, actor: User) -> ClosureDay:
    name = name.strip()
    if not name:
        raise CalendarError("Enter what the closure is for")
    with transaction.atomic():
        if ClosureDay.objects.filter(partnership=partnership, date=day).exists():
            raise CalendarError(f"{day:%-d %B %Y} is already a closure day")
        closure = ClosureDay.objects.create(partnership=partnership, date=day, name=name, created_by=actor)
        audit_record(
            actor=actor,
            verb=Verb.CALENDAR_CHANGE,
            target=closure,
            partnership_id=partnership.pk,
            details={"summary": f"Added closure day {closure}", "date": day.isoformat()},
        )
    return closure


def closure_day_remove(*, closure: ClosureDay, actor: User) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb=Verb.CALENDAR_CHANGE,
            target=closure,
            partnership_id=closure.partnership_id,
            details={"summary": f"Removed closure day {closure}", "date": closure.date.isoformat()},
        )
        closure.delete()


SETTINGS_FIELDS = (
    "rapid_review_start",
    "rapid_review_days",
    "rr_requests_out_day",
    "rr_returns_day",
    "rr_meeting_day",
    "rr_sign_off_day",
    "rr_submission_day",
    "panel_reply_days",
    "reminder_offsets",
    "escalate_overdue",
    "signoff_wait_for_comments",
    "signoff_comment_days",
    "lr_written_request_days",
    "lr_checkpoint_weeks",
)


def clock_settings_update(*, partnership: Any, actor: User, **values: Any) -> ClockSettings:
    """Save a partnership's clock settings and recompute its open clocks from them."""
    from clocks.services import clocks_recompute

    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise CalendarError(f"Unknown settings: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        current, _ = ClockSettings.objects.select_for_update().get_or_create(partnership=partnership)
        before = {f: getattr(current, f) for f in SETTINGS_FIELDS}
        for field, value in values.items():
            setattr(current, field, value)
        current.save()
        after = {f: getattr(current, f) for f in SETTINGS_FIELDS}
        changes = {f: [before[f], after[f]] for f in SETTINGS_FIELDS if before[f] != after[f]}
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=current,
            partnership_id=partnership.pk,
            details={"summary": "Changed the deadline settings", "changes": changes},
        )
        clocks_recompute(actor=actor, partnership_id=partnership.pk)
    return current
