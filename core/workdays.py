"""Working-day arithmetic for statutory clocks. Pure functions: no database, no settings.

Conventions (domain brief §1.5, §8):

- A working day is Monday to Friday and not a bank holiday. `holidays` is any container of dates
  (a set, a frozenset, a list); the caller decides which calendar applies (England and Wales for
  every statutory deadline; local closure days never move a statutory deadline).
- **Day 0 is the trigger date** (the day the LA became aware, the day the SIN was sent). The due
  date of "n working days from the trigger" is the n-th working day *after* it. A trigger on a
  weekend or a holiday does not count as a day: the next working day is still day 1.
- "n working days before" a date walks back over working days: 7 working days before a Monday
  publication is the Thursday of the week before last (Monday 15 June 2026 -> Thursday 4 June,
  with no holidays in between).
- `working_days_between(a, b)` counts the working days after `a` up to and including `b`, so
  `working_days_between(start, add_working_days(start, n)) == n`; it is negative when b < a.

Worked examples (England and Wales calendar):

    >>> from datetime import date
    >>> bank = {date(2025, 12, 25), date(2025, 12, 26), date(2026, 1, 1),
    ...         date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)}
    >>> add_working_days(date(2025, 12, 22), 5, bank)
    datetime.date(2025, 12, 31)
    >>> add_working_days(date(2025, 12, 31), 15, bank)
    datetime.date(2026, 1, 22)
    >>> add_working_days(date(2026, 12, 23), 5, bank)
    datetime.date(2027, 1, 4)
    >>> working_days_between(date(2025, 12, 22), date(2025, 12, 31), bank)
    5
"""

from collections.abc import Container
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


def is_working_day(d: date, holidays: Container[date]) -> bool:
    """Monday to Friday and not in `holidays`."""
    return d.weekday() < 5 and d not in holidays


def add_working_days(start: date, n: int, holidays: Container[date]) -> date:
    """The n-th working day after `start` (day 0). n == 0 gives `start`; n < 0 counts back."""
    if n < 0:
        return subtract_working_days(start, -n, holidays)
    current = start
    remaining = n
    while remaining > 0:
        current += ONE_DAY
        if is_working_day(current, holidays):
            remaining -= 1
    return current


def subtract_working_days(end: date, n: int, holidays: Container[date]) -> date:
    """The n-th working day before `end`. n == 0 gives `end`; n < 0 counts forward."""
    if n < 0:
        return add_working_days(end, -n, holidays)
    current = end
    remaining = n
    while remaining > 0:
        current -= ONE_DAY
        if is_working_day(current, holidays):
            remaining -= 1
    return current


def working_days_between(a: date, b: date, holidays: Container[date]) -> int:
    """Working days after `a` up to and including `b`; negative (the same count, negated) if b < a."""
    if b < a:
        return -working_days_between(b, a, holidays)
    count = 0
    current = a
    while current < b:
        current += ONE_DAY
        if is_working_day(current, holidays):
            count += 1
    return count


def next_working_day(d: date, holidays: Container[date]) -> date:
    """`d` itself if it is a working day, otherwise the first working day after it."""
    while not is_working_day(d, holidays):
        d += ONE_DAY
    return d
