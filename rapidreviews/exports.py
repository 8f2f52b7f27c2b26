"""The merged chronology as CSV and DOCX downloads."""

import csv
import io

from django.utils import timezone
from docx import Document as DocxDocument

from rapidreviews.chronology import Chronology, Gap
from rapidreviews.models import SummaryStatus
from rapidreviews.rendering.docx_files import stamp, steady


def chronology_csv(chronology: Chronology) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "Date",
            "Time",
            "Agency",
            "What happened",
            "Source",
            "Significance",
            "Possible duplicate of",
            "Summary status",
            "The same event recorded by",
        ]
    )
    for row in chronology.rows:
        e = row.entry
        writer.writerow(
            [
                e.date.isoformat(),
                e.time.strftime("%H:%M") if e.time else "",
                row.agency,
                _safe(e.what_happened),
                _safe(e.source),
                _safe(e.significance),
                row.duplicate_text,
                e.agency_summary.get_status_display(),
                row.same_text,
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def _safe(text: str) -> str:
    """Stops a spreadsheet reading a cell as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def chronology_docx(chronology: Chronology, title: str, *, selection: str = "", author: str = "") -> bytes:
    doc = DocxDocument()
    stamp(doc, title=title, author=author, subject="Merged multi-agency chronology", on=timezone.localdate())
    doc.add_heading(title, level=1)
    doc.add_paragraph(
        f"Only the entries of {selection}." if selection else "Every agency's entries that you may see, oldest first."
    )
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ["Date", "Agency", "What happened", "Source", "Significance"], strict=True
    ):
        cell.text = text
    for item in chronology.items:
        cells = table.add_row().cells
        if isinstance(item, Gap):
            merged = cells[0].merge(cells[4])
            who = "the agencies shown" if selection else chronology.who
            merged.text = (
                f"No contact recorded by {who} for {item.days} days ({item.start:%-d %B %Y} to {item.end:%-d %B %Y})"
            )
            continue
        e = item.entry
        cells[0].text = f"{e.date:%d/%m/%Y}" + (f" {e.time:%H:%M}" if e.time else "")
        cells[1].text = (
            item.agency
            + (f" (the same event, also recorded by {item.same_text})" if item.same_as else "")
            + (f" (possible duplicate: also {item.duplicate_text})" if item.duplicate_of else "")
        )
        if e.agency_summary.status not in (SummaryStatus.SUBMITTED, SummaryStatus.ACCEPTED):
            cells[1].text += f" ({e.agency_summary.get_status_display().lower()}: may change)"
        cells[2].text = e.what_happened
        cells[3].text = e.source
        cells[4].text = e.significance
    out = io.BytesIO()
    doc.save(out)
    return steady(out.getvalue())
