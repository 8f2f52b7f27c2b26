"""Reading one chronology entry from typed cells: UK dates, times, formula-looking cells."""

from datetime import date, time

import pytest

from rapidreviews.entry_rows import RowError, parse_clock, parse_when, read_entry

TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("typed", "on", "at"),
    [
        ("27/3/2026", date(2026, 3, 27), None),
        ("27/03/2026", date(2026, 3, 27), None),
        ("7-3-2026", date(2026, 3, 7), None),
        ("27.3.2026", date(2026, 3, 27), None),
        ("2026-03-27", date(2026, 3, 27), None),
        ("2026-03-27T14:30:00", date(2026, 3, 27), time(14, 30)),
        ("27/03/2026 09:05", date(2026, 3, 27), time(9, 5)),
        ("27 March 2026", date(2026, 3, 27), None),
        ("27th Mar 2026, 2:30pm", date(2026, 3, 27), time(14, 30)),
        (" 1 sept 2025 ", date(2025, 9, 1), None),
    ],
)
def test_dates_are_read_the_uk_way_with_an_optional_time(typed: str, on: date, at: time | None) -> None:
    assert parse_when(typed, today=TODAY) == (on, at)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the date of the event"),
        ("31/2/2026", "Date must be a real date, like 27/3/2026"),
        ("3/27/2026", "Date must be a real date, like 27/3/2026"),  # a US date is not a UK one
        ("27/3/26", "Date must have a 4-digit year, like 27/3/2026"),
        ("5/12/2026", "Date must be today or in the past"),
        ("yesterday", "Date must be a real date, like 27/3/2026"),
        ("١٢/٣/٢٠٢٦", "Date must be a real date, like 27/3/2026"),  # only the digits 0 to 9
        ("1/1/1850", "Date must be after 1900"),
        ("27/3/2026 25:00", "Time must be a time of day, like 14:30"),
    ],
)
def test_a_date_that_cannot_be_read_says_why(typed: str, message: str) -> None:
    with pytest.raises(RowError, match=message):
        parse_when(typed, today=TODAY)


@pytest.mark.parametrize(
    ("typed", "at"),
    [("14:30", time(14, 30)), ("9.05", time(9, 5)), ("14:30:59", time(14, 30)), ("12:15 am", time(0, 15))],
)
def test_times_are_read_on_the_24_hour_clock_or_with_am_and_pm(typed: str, at: time) -> None:
    assert parse_clock(typed) == at


@pytest.mark.parametrize("typed", ["24:00", "13:00pm", "9", "noon", "99999999999:00"])
def test_a_time_that_is_not_a_time_of_day_is_refused(typed: str) -> None:
    with pytest.raises(RowError):
        parse_clock(typed)


def test_a_cell_starting_with_equals_is_a_formula_and_refused_while_escaped_cells_are_kept_as_text() -> None:
    entry = read_entry(
        {"date": "1/3/2026", "what_happened": '=HYPERLINK("http://example.test","Click")', "source": "Log"},
        today=TODAY,
    )
    assert entry.errors == {
        "what_happened": "What happened starts with “=”, so it looks like a spreadsheet formula: save the value instead"
    }
    kept = read_entry(
        {"date": "1/3/2026", "what_happened": "'=2 siblings present", "source": "'-Case note", "significance": "+ve"},
        today=TODAY,
    )
    assert not kept.errors
    assert (kept.values["what_happened"], kept.values["source"], kept.values["significance"]) == (
        "=2 siblings present",
        "-Case note",
        "+ve",
    )


def test_a_row_needs_what_happened_and_its_source_and_a_source_fits_its_column() -> None:
    entry = read_entry({"date": "1/3/2026", "source": "x" * 301}, today=TODAY)
    assert entry.errors == {
        "what_happened": "Enter what happened",
        "source": "Source record must be 300 characters or fewer",
    }


def test_the_time_column_is_read_beside_the_date() -> None:
    entry = read_entry({"date": "1/3/2026", "time": "8:15", "what_happened": "Seen", "source": "GP"}, today=TODAY)
    assert entry.values["time"] == time(8, 15) and not entry.errors
    wrong = read_entry({"date": "1/3/2026", "time": "8", "what_happened": "Seen", "source": "GP"}, today=TODAY)
    assert wrong.errors == {"time": "Time must be a time of day, like 14:30"}
