"""A chronology as a CSV file an agency exports from its own records: reading it, bounded.

- Size: at most MAX_BYTES (the upload is read with that cap, `core.upload_cap`) and MAX_ROWS entries.
- Encoding: UTF-8 with or without a byte order mark (Excel's "CSV UTF-8"), UTF-16 with one
  (Excel's "Unicode text"), or else Windows-1252 (Excel's "CSV (comma delimited)" on Windows).
- Cells separated by commas, semicolons or tabs; cells may hold line breaks inside quotes.
- The first row names the columns. They are matched by name (the template's names, the merged
  chronology's own CSV, and common variants); the lead can match them by hand on the preview.
- Each row is read as `entry_rows.read_entry` reads a row of the "add entries" table; rows that
  are wholly blank are passed over; a row the same as an entry already on the summary, or as an
  earlier row of the file, is shown and left out rather than added twice.
"""

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidreviews.entry_rows import FIELDS, Entry, read_entry

MAX_BYTES = 1024 * 1024
MAX_ROWS = 500
ERRORS_LISTED = 25  # in the error summary; the table marks every one
REQUIRED = ("date", "what_happened", "source")
TEMPLATE_HEADER = ["Date", "Time", "What happened", "Source record", "Significance"]

# Column names, lower case with punctuation as spaces, for each field.
_NAMES: dict[str, set[str]] = {
    "date": {"date", "date of event", "date of the event", "event date", "date of contact", "contact date",
             "date and time", "date time", "when", "entry date"},
    "time": {"time", "time of event", "time of the event", "event time", "time of contact", "contact time"},
    "what_happened": {"what happened", "event", "description", "details", "event details", "summary",
                      "narrative", "entry", "contact", "what happened event"},
    "source": {"source", "source record", "record", "source of information", "source document", "source records"},
    "significance": {"significance", "significance of event", "why significant", "why is it significant",
                     "relevance", "analysis"},
}  # fmt: skip


class CsvFileError(ValueError):
    """The file as a whole cannot be read; the message says why in plain words."""


def decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise CsvFileError("The selected file must be a CSV file saved as “CSV UTF-8” or “CSV (comma delimited)”")


def check_kind(data: bytes, name: str) -> None:
    """Refuses what is not a CSV file, saying what to do for the usual mistakes."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise CsvFileError(
            "The selected file is a spreadsheet workbook, not a CSV file. In your spreadsheet, choose "
            "“Save as” and “CSV UTF-8”, then choose that file"
        )
    if data.startswith(b"%PDF"):
        raise CsvFileError("The selected file is a PDF, not a CSV file")
    if not name.lower().endswith((".csv", ".txt")):
        raise CsvFileError("The selected file must be a CSV file (its name ends .csv)")


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as a spreadsheet counts it, cells)


def read_table(text: str) -> Table:
    """The header and the data rows; CsvFileError for a file with none, or with too many."""
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [cell.strip().lstrip("\ufeff") for cell in cells]
                continue
            rows.append((number, cells))
            if len(rows) > MAX_ROWS:
                raise CsvFileError(
                    f"The file has more than {MAX_ROWS} entries: split it into files of {MAX_ROWS} or fewer"
                )
    except csv.Error:
        raise CsvFileError(
            "The selected file could not be read as a CSV file: check a cell is not too long and quotes are closed"
        ) from None
    if header is None:
        raise CsvFileError("The selected file is empty")
    if not rows:
        raise CsvFileError("The selected file has no entries under its first row (the column names)")
    return Table(header=header, rows=rows)


def _name(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def guess_columns(header: list[str]) -> dict[str, int]:
    """Each field's column, where a column's name says which it is."""
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        for field_name in FIELDS:
            if field_name not in found and _name(name) in _NAMES[field_name]:
                found[field_name] = index
                break
    return found


def unmatched(columns: dict[str, int]) -> list[str]:
    return [name for name in REQUIRED if name not in columns]


@dataclass
class PreviewRow:
    number: int
    entry: Entry
    same_as: str = ""  # why it is left out: already on the summary, or an earlier row

    @property
    def adds(self) -> bool:
        return not self.entry.errors and not self.same_as


@dataclass
class Preview:
    rows: list[PreviewRow] = field(default_factory=list)

    @property
    def errors(self) -> list[tuple[int, str, str]]:
        """(row number, field, message) for every problem, in file order."""
        return [(row.number, name, message) for row in self.rows for name, message in row.entry.errors.items()]

    @property
    def errors_listed(self) -> list[tuple[int, str, str]]:
        """The first problems, for the error summary (every one is marked in the table)."""
        return self.errors[:ERRORS_LISTED]

    @property
    def errors_more(self) -> int:
        return max(len(self.errors) - ERRORS_LISTED, 0)

    @property
    def to_add(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.adds]

    @property
    def left_out(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.same_as]


def preview(table: Table, columns: dict[str, int], *, today: date, existing: set[tuple[Any, ...]]) -> Preview:
    """Every data row read with the columns matched, and which of them would be added."""
    result = Preview()
    seen: dict[tuple[Any, ...], int] = {}
    for number, cells in table.rows:
        raw = {name: cells[index] if index < len(cells) else "" for name, index in columns.items()}
        row = PreviewRow(number=number, entry=read_entry(raw, today=today))
        if not row.entry.errors:
            key = row.entry.key
            if key in existing:
                row.same_as = "Already on your summary"
            elif key in seen:
                row.same_as = f"The same as row {seen[key]}"
            else:
                seen[key] = number
        result.rows.append(row)
    return result


def template_csv() -> bytes:
    """The documented template: the column names only, in UTF-8 with a byte order mark (so Excel
    opens it with any accented letters intact)."""
    out = io.StringIO()
    csv.writer(out).writerow(TEMPLATE_HEADER)
    return out.getvalue().encode("utf-8-sig")


def column_label(header: list[str], index: int) -> str:
    name = header[index] if index < len(header) else ""
    return f"Column {index + 1}: {name}" if name else f"Column {index + 1} (no name)"
