"""Working-day arithmetic on the England and Wales calendar, for people and scripts.

    manage.py workdays add 2025-12-22 5        -> 2025-12-31 (Wednesday 31 December 2025)
    manage.py workdays sub 2026-03-16 7        -> 2026-03-05 (...)
    manage.py workdays between 2025-12-22 2025-12-31  -> 5 working days ...

The first token of the one line printed is the answer. A bad date or number prints one line to
stderr and exits with status 2.
"""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from clocks.calendar import england_holidays, holiday_dates
from core.workdays import add_working_days, subtract_working_days, working_days_between

USAGE = "usage: workdays add|sub YYYY-MM-DD N, or workdays between YYYY-MM-DD YYYY-MM-DD"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Not a date: {text!r} (use YYYY-MM-DD)", returncode=2) from None


def _number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CommandError(f"Not a whole number of working days: {text!r}", returncode=2) from None


def _calendar() -> frozenset[date]:
    """The service's calendar; the `holidays` package's if the database is not set up yet."""
    try:
        days = holiday_dates()
    except DatabaseError:
        days = frozenset()
    return days or frozenset(england_holidays())


class Command(BaseCommand):
    help = "Add or subtract working days, or count them between two dates (England and Wales bank holidays)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("words", nargs="*", metavar="add|sub|between DATE N|DATE")

    def handle(self, *args: Any, **options: Any) -> None:
        words = options["words"]
        if len(words) != 3 or words[0] not in ("add", "sub", "between"):
            raise CommandError(USAGE, returncode=2)
        operation, first, second = words
        start = _date(first)
        end = _date(second) if operation == "between" else None
        n = _number(second) if end is None else 0
        holidays = _calendar()
        if end is not None:
            count = working_days_between(start, end, holidays)
            self.stdout.write(f"{count} working days after {start:%A %-d %B %Y} up to {end:%A %-d %B %Y}")
            return
        if operation == "add":
            result = add_working_days(start, n, holidays)
            self.stdout.write(
                f"{result.isoformat()} ({result:%A %-d %B %Y} is {n} working days after {start.isoformat()})"
            )
        else:
            result = subtract_working_days(start, n, holidays)
            self.stdout.write(
                f"{result.isoformat()} ({result:%A %-d %B %Y} is {n} working days before {start.isoformat()})"
            )
