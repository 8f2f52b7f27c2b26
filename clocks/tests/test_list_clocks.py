"""`manage.py list_clocks`: every clock of every case, checkable by hand against its rule."""

import json
from datetime import date, timedelta
from io import StringIO
from typing import Any

from django.core.management import call_command

from clocks.calendar import holiday_dates
from clocks.models import ClockRule
from clocks.services import clock_extend, clock_meet, clock_start
from clocks.tests.conftest import make_case
from conftest import World
from core.workdays import add_working_days
from rapidreviews.clock_rules import rapid_review_clocks_start


def listed(*args: str) -> str:
    out = StringIO()
    call_command("list_clocks", *args, stdout=out)
    return out.getvalue()


def by_hand(start: date, days: int, holidays: set[date]) -> date:
    """Count working days one by one: no weekends, no bank holidays."""
    day, left = start, days
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return day


def test_the_json_due_dates_agree_with_the_working_day_arithmetic_over_christmas(case: Any, coordinator: Any) -> None:
    clock_start(case=case, rule=ClockRule.SIN, start_date=date(2025, 12, 22), actor=coordinator)
    clock_meet(case=case, rule=ClockRule.SIN, on=date(2025, 12, 30), actor=coordinator)
    rapid_review_clocks_start(case=case, sin_submitted_on=date(2025, 12, 30), la_aware_on=None, actor=coordinator)
    rows = json.loads(listed("--json"))
    assert {r["reference"] for r in rows} == {case.reference}
    sin = next(r for r in rows if r["rule"] == "sin")
    # Monday 22 December; Christmas Day and Boxing Day are bank holidays: due Wednesday 31 December.
    assert (sin["starts_on"], sin["due_on"], sin["basis"], sin["status"]) == (
        "2025-12-22",
        "2025-12-31",
        "working",
        "met",
    )
    assert sin["length"] == 5 and sin["met_on"] == "2025-12-30"
    holidays = set(holiday_dates())
    assert {date(2025, 12, 25), date(2025, 12, 26), date(2026, 1, 1)} <= holidays
    timetable = [r for r in rows if r["rule"] != "sin"]
    assert len(timetable) == 6
    for row in timetable:
        assert row["basis"] == "working" and row["status"] == "open" and row["starts_on"] == "2025-12-30"
        start = date.fromisoformat(row["starts_on"])
        due = date.fromisoformat(row["due_on"])
        assert due == by_hand(start, row["length"], holidays) == add_working_days(start, row["length"], holidays)
    rr = next(r for r in rows if r["rule"] == "rapid_review")
    # 15 working days from Tuesday 30 December, past New Year's Day: Wednesday 21 January.
    assert (rr["length"], rr["setting"], rr["due_on"]) == (15, "rapid_review_days", "2026-01-21")


def test_an_extension_and_a_calendar_rule_are_listed_as_they_count(case: Any, coordinator: Any) -> None:
    clock = clock_start(case=case, rule=ClockRule.RAPID_REVIEW, start_date=date(2026, 1, 5), actor=coordinator)
    clock_extend(clock=clock, new_due=date(2026, 2, 6), reason="Police asked", agreed_by="The Panel", actor=coordinator)
    clock_start(case=case, rule=ClockRule.LCSPR, start_date=date(2026, 8, 31), actor=coordinator)
    notice = clock_start(case=case, rule=ClockRule.PUBLICATION_NOTICE, start_date=date(2026, 3, 16), actor=coordinator)
    rows = {r["rule"]: r for r in json.loads(listed("--json"))}
    rr = rows["rapid_review"]
    assert (rr["status"], rr["due_on"], rr["rule_due_on"], rr["extended_to"]) == (
        "extended",
        "2026-02-06",
        "2026-01-26",
        "2026-02-06",
    )
    lcspr = rows["lcspr"]
    assert (lcspr["basis"], lcspr["unit"], lcspr["length"], lcspr["due_on"]) == ("calendar", "months", 6, "2027-02-28")
    assert rows["publication_notice"]["backwards"] is True
    assert rows["publication_notice"]["due_on"] == notice.due_date.isoformat() == "2026-03-05"


def test_the_table_lists_each_clock_on_one_line_and_filters_by_case(world: World, case: Any, coordinator: Any) -> None:
    other = make_case(world, "NSCP-2026-051")
    clock_start(case=case, rule=ClockRule.SIN, start_date=date(2025, 12, 22), actor=coordinator)
    clock_start(case=other, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=coordinator)
    table = listed().splitlines()
    assert table[0].split() == ["Case", "Rule", "Basis", "Length", "Starts", "Due", "Status"]
    assert table[1].split() == [
        case.reference,
        "sin",
        "working",
        "5",
        "working",
        "days",
        "2025-12-22",
        "2025-12-31",
        "open",
    ]
    assert len(table) == 3
    only = listed("--case", other.reference).splitlines()
    assert len(only) == 2 and other.reference in only[1]
    assert listed("--case", "NSCP-1999-000").strip() == "No clocks."
