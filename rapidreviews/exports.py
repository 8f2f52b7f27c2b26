"""The merged chronology as CSV and DOCX downloads."""

import csv
import io

from docx import Document as DocxDocument

from rapidreviews.chronology import Chronology, Gap


def chronology_csv(chronology: Chronology) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Date", "Time", "Agency", "What happened", "Source", "Significance", "Possible duplicate of"])
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
                "; ".join(row.duplicate_of),
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def _safe(text: str) -> str:
    """Stops a spreadsheet reading a cell as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def chronology_docx(chronology: Chronology, title: str) -> bytes:
    doc = DocxDocument()
    doc.core_properties.title = title
    doc.add_heading(title, level=1)
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
            merged.text = (
                f"No agency contact recorded for {item.days} days ({item.start:%d %B %Y} to {item.end:%d %B %Y})"
            )
            continue
        e = item.entry
        cells[0].text = f"{e.date:%d/%m/%Y}" + (f" {e.time:%H:%M}" if e.time else "")
        cells[1].text = item.agency + (
            f" (possible duplicate of {', '.join(item.duplicate_of)})" if item.duplicate_of else ""
        )
        cells[2].text = e.what_happened
        cells[3].text = e.source
        cells[4].text = e.significance
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
