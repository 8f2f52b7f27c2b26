"""One chronology entry typed as text: a row of the "add entries" table or of a CSV file.

Both read the same way, with the same GOV.UK messages:
- the date as day/month/year (27/3/2026, 27-03-2026, 27.3.2026, 27 March 2026, 27 Mar 2026) or
  as year-month-day (2026-03-27), optionally followed by a time; never a two-digit year;
- the time (optional) on the 24-hour clock (14:30, 14.30, 14:30:00) or with am/pm (2:30pm);
- what happened and the source record (both needed), the significance (optional).
A cell that begins with "=" is refused: it is a spreadsheet formula exported instead of its value.
The apostrophe spreadsheets (and this service's own CSV) put before = + - @ to keep a cell as text
is taken off. Text is otherwise kept exactly as given.
"""

import re
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from core.forms.fields import MONTHS_BY_NAME

FIELDS = ("date", "time", "what_happened", "source", "significance")
LABELS = {
    "date": "Date",
    "time": "Time",
    "what_happened": "What happened",
    "source": "Source record",
    "significance": "Significance",
}
SOURCE_MAX = 300  # the model's column
TEXT_MAX = 10_000  # what happened and significance: a long note, not a whole record pasted in
EARLIEST_YEAR = 1900

_TIME = r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?"
_TIME_ALONE = re.compile(_TIME, re.ASCII | re.IGNORECASE)
_DMY = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2,4})(?:,?\s+(.*))?", re.ASCII)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(.*))?", re.ASCII)
_WORDS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{2,4})(?:,?\s+(.*))?", re.ASCII)


class RowError(ValueError):
    pass


def parse_clock(text: str) -> time:
    """A time of day, or RowError. Seconds are dropped (a chronology is kept to the minute)."""
    match = _TIME_ALONE.fullmatch(text.strip())
    if not match:
        raise RowError("Time must be a time of day, like 14:30")
    hours, minutes = int(match[1]), int(match[2])
    seconds = int(match[3] or 0)
    meridiem = (match[4] or "").replace(".", "").lower()
    if meridiem:
        if not 1 <= hours <= 12:
            raise RowError("Time must be a time of day, like 14:30")
        hours = hours % 12 + (12 if meridiem == "pm" else 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        raise RowError("Time must be a time of day, like 14:30")
    return time(hours, minutes)


def parse_when(text: str, *, today: date) -> tuple[date, time | None]:
    """The date (and a time written after it) in `text`, or RowError with the GOV.UK message."""
    text = text.strip()
    if not text:
        raise RowError("Enter the date of the event")
    parts: tuple[str, int, str, str | None] | None = None  # day, month, year as typed, the rest
    if match := _ISO.fullmatch(text):
        parts = (match[3], int(match[2]), match[1], match[4])
    elif match := _DMY.fullmatch(text):
        parts = (match[1], int(match[2]), match[3], match[4])
    elif (match := _WORDS.fullmatch(text)) and match[2].lower() in MONTHS_BY_NAME:
        parts = (match[1], MONTHS_BY_NAME[match[2].lower()], match[3], match[4])
    if parts is None:
        raise RowError("Date must be a real date, like 27/3/2026")
    day, month, year_text, rest = parts
    if len(year_text) != 4:
        raise RowError("Date must have a 4-digit year, like 27/3/2026")
    year = int(year_text)
    try:
        on = date(year, month, int(day))
    except ValueError:
        raise RowError("Date must be a real date, like 27/3/2026") from None
    if on > today:
        raise RowError("Date must be today or in the past")
    if on.year < EARLIEST_YEAR:
        raise RowError(f"Date must be after {EARLIEST_YEAR}")
    at = parse_clock(rest) if rest and rest.strip() else None
    return on, at


def _text(value: str) -> str:
    """Cell text as written, without the apostrophe that keeps = + - @ from being a formula."""
    if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@"):
        return value[1:]
    return value


@dataclass
class Entry:
    """A row read: its values (as `chronology_entry_save` takes them) or its errors by field."""

    values: dict[str, Any]
    errors: dict[str, str]
    raw: dict[str, str]  # the cells as given, to show beside their errors

    @property
    def key(self) -> tuple[Any, ...]:
        return entry_key(self.values["date"], self.values["time"], self.values["what_happened"])


def entry_key(on: date, at: time | None, what_happened: str) -> tuple[Any, ...]:
    """What makes two entries the same event: day, time and the words (spacing and case aside)."""
    return on, at, " ".join(what_happened.split()).casefold()


def read_entry(raw: dict[str, str], *, today: date) -> Entry:
    """One entry from its typed cells (any of FIELDS may be missing)."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    cells = {name: (raw.get(name) or "") for name in FIELDS}
    for name, cell in cells.items():
        if cell.lstrip()[:1] == "=":
            errors[name] = (
                f"{LABELS[name]} starts with “=”, so it looks like a spreadsheet formula: save the value instead"
            )
    if "date" not in errors:
        try:
            values["date"], values["time"] = parse_when(cells["date"], today=today)
        except RowError as error:
            errors["date"] = str(error)
    if "time" not in errors and cells["time"].strip():
        try:
            values["time"] = parse_clock(cells["time"])
        except RowError as error:
            errors["time"] = str(error)
    values.setdefault("time", None)
    for name, needed, limit in (
        ("what_happened", "Enter what happened", TEXT_MAX),
        ("source", "Enter the source record", SOURCE_MAX),
        ("significance", "", TEXT_MAX),
    ):
        if name in errors:
            continue
        text = _text(cells[name].strip())
        if needed and not text:
            errors[name] = needed
        elif len(text) > limit:
            errors[name] = f"{LABELS[name]} must be {limit:,} characters or fewer"
        values[name] = text
    return Entry(values=values, errors=errors, raw=cells)
