"""Working-day arithmetic: the worked examples of the domain brief and properties with hypothesis."""

import doctest
from datetime import date, timedelta

import holidays as holidays_lib
from hypothesis import given, settings
from hypothesis import strategies as st

from core import workdays
from core.workdays import (
    add_working_days,
    is_working_day,
    next_working_day,
    subtract_working_days,
    working_days_between,
)

ENGLAND = frozenset(holidays_lib.country_holidays("GB", subdiv="ENG", years=range(2015, 2041)).keys())

dates = st.dates(min_value=date(2015, 1, 1), max_value=date(2039, 12, 31))
counts = st.integers(min_value=0, max_value=60)
holiday_sets = st.one_of(
    st.just(ENGLAND),
    st.frozensets(st.dates(min_value=date(2015, 1, 1), max_value=date(2040, 6, 30)), max_size=40),
)


def test_the_worked_examples_of_the_domain_brief_hold() -> None:
    assert add_working_days(date(2025, 12, 22), 5, ENGLAND) == date(2025, 12, 31)
    assert add_working_days(date(2025, 12, 31), 15, ENGLAND) == date(2026, 1, 22)
    assert add_working_days(date(2026, 12, 23), 5, ENGLAND) == date(2027, 1, 4)


def test_the_module_docstring_examples_run() -> None:
    result = doctest.testmod(workdays)
    assert result.attempted >= 4
    assert result.failed == 0


def test_a_trigger_on_a_weekend_still_makes_the_next_working_day_day_one() -> None:
    saturday = date(2026, 1, 10)
    assert add_working_days(saturday, 1, ENGLAND) == date(2026, 1, 12)
    good_friday = date(2026, 4, 3)
    assert add_working_days(good_friday, 1, ENGLAND) == date(2026, 4, 7)


def test_one_off_holidays_are_in_the_england_calendar() -> None:
    for one_off in (date(2020, 5, 8), date(2022, 6, 3), date(2022, 9, 19), date(2023, 5, 8)):
        assert one_off in ENGLAND
        assert not is_working_day(one_off, ENGLAND)


def test_seven_working_days_before_a_monday_publication_is_the_wednesday_before() -> None:
    assert subtract_working_days(date(2026, 3, 16), 7, ENGLAND) == date(2026, 3, 5)


def test_between_is_negative_when_the_second_date_is_earlier() -> None:
    assert working_days_between(date(2025, 12, 31), date(2025, 12, 22), ENGLAND) == -5
    assert working_days_between(date(2026, 1, 5), date(2026, 1, 5), ENGLAND) == 0


def test_zero_working_days_is_the_trigger_itself() -> None:
    assert add_working_days(date(2026, 1, 10), 0, ENGLAND) == date(2026, 1, 10)
    assert subtract_working_days(date(2026, 1, 10), 0, ENGLAND) == date(2026, 1, 10)


def test_negative_counts_go_the_other_way() -> None:
    assert add_working_days(date(2026, 1, 14), -2, ENGLAND) == date(2026, 1, 12)
    assert subtract_working_days(date(2026, 1, 12), -2, ENGLAND) == date(2026, 1, 14)


@settings(max_examples=300)
@given(start=dates, n=counts, hols=holiday_sets)
def test_the_due_date_is_a_working_day_n_working_days_after_the_start(
    start: date, n: int, hols: frozenset[date]
) -> None:
    due = add_working_days(start, n, hols)
    assert working_days_between(start, due, hols) == n
    if n > 0:
        assert is_working_day(due, hols)
        assert due > start


@settings(max_examples=300)
@given(start=dates, n=st.integers(min_value=1, max_value=60), hols=holiday_sets)
def test_the_due_date_is_the_first_day_reaching_n(start: date, n: int, hols: frozenset[date]) -> None:
    due = add_working_days(start, n, hols)
    assert working_days_between(start, due - timedelta(days=1), hols) == n - 1


@settings(max_examples=300)
@given(start=dates, n=counts, m=counts, hols=holiday_sets)
def test_adding_in_two_steps_equals_adding_once(start: date, n: int, m: int, hols: frozenset[date]) -> None:
    assert add_working_days(add_working_days(start, n, hols), m, hols) == add_working_days(start, n + m, hols)


@settings(max_examples=300)
@given(end=dates, n=counts, hols=holiday_sets)
def test_subtracting_then_adding_returns_to_a_working_day(end: date, n: int, hols: frozenset[date]) -> None:
    anchor = next_working_day(end, hols)
    before = subtract_working_days(anchor, n, hols)
    assert add_working_days(before, n, hols) == anchor
    assert working_days_between(before, anchor, hols) == n


@settings(max_examples=300)
@given(a=dates, b=dates, hols=holiday_sets)
def test_between_is_antisymmetric_and_counts_working_days(a: date, b: date, hols: frozenset[date]) -> None:
    forward = working_days_between(a, b, hols)
    assert forward == -working_days_between(b, a, hols)
    low, high = min(a, b), max(a, b)
    expected = sum(
        1 for offset in range(1, (high - low).days + 1) if is_working_day(low + timedelta(days=offset), hols)
    )
    assert abs(forward) == expected


@given(d=dates, hols=holiday_sets)
def test_weekends_are_never_working_days(d: date, hols: frozenset[date]) -> None:
    if d.weekday() >= 5:
        assert not is_working_day(d, hols)
    assert is_working_day(next_working_day(d, hols), hols)
