"""Times typed as hours and minutes: a time, or None for the form's GOV.UK message."""

from datetime import time

import pytest

from core.forms import parse_time


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14:30", time(14, 30)),
        ("9.05", time(9, 5)),
        (" 09:05 ", time(9, 5)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
    ],
)
def test_hours_and_minutes_on_the_24_hour_clock_are_a_time(typed: str, expected: time) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        None,
        "24:00",
        "12:60",
        "9:5",
        "14:30pm",
        "1430",
        "-1:00",
        "+1:00",
        "99999999999999999999:00",  # datetime.time() overflowed on this
        "12:99999999999999999999",
        "١٤:٣٠",  # Arabic-Indic digits, which Python's \d and int() accept
        "１４:３０",
        "1_4:30",
        "14:30:00",
        "14 : 30",
    ],
)
def test_anything_else_is_not_a_time(typed: str | None) -> None:
    assert parse_time(typed) is None
