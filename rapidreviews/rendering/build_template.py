"""Builds the editable Word template `templates_docx/rapid_review.docx` once, with python-docx.

Run `python -m rapidreviews.rendering.build_template` to recreate it. After that the business unit
edits the .docx in Word: change wording, fonts and layout freely, and keep the {{ ... }} and
{%p ... %} / {%tr ... %} tags (docxtpl's Jinja) where the record's text goes.
"""

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Mm, Pt, RGBColor

TEMPLATE = Path(__file__).resolve().parent.parent / "templates_docx" / "rapid_review.docx"

HEADINGS = [
    "1. Case identifiers",
    "2. Summary of the incident and current circumstances",
    "3. Family composition and context",
    "4. Summary of involvement by each agency",
    "5. Analysis of key practice episodes",
    "6. The child's lived experience and voice",
    "7. Immediate safeguarding actions taken, and learning already acted on",
    "8. Learning identified",
    "9. Parallel processes",
    "10. Family informed or engaged",
    "11. Decision and rationale",
    "12. Sign-off by the three safeguarding partners",
]


A4 = (Mm(210), Mm(297))


def _page(section: Section, *, landscape: bool, label: str) -> None:
    """A4 with 2 cm margins, and a footer "<label> N of M" from Word's PAGE and NUMPAGES fields."""
    width, height = (A4[1], A4[0]) if landscape else A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = width, height
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    section.header_distance = section.footer_distance = Cm(1)
    # Until the three partners sign off, every page says DRAFT at its head (one run, so docxtpl
    # renders the condition inside it).
    header = section.header
    header.is_linked_to_previous = False
    head = header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    marker = head.add_run(
        "{% if draft_notice %}DRAFT: not yet signed off by the three safeguarding partners{% endif %}"
    )
    marker.bold = True
    marker.font.size = Pt(9)
    marker.font.color.rgb = RGBColor(0xD4, 0x35, 0x1C)
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = "Footer"
    paragraph.add_run(f"{label} ")
    for instr, tail in (("PAGE", " of "), ("NUMPAGES", "")):
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), f" {instr} \\* MERGEFORMAT ")
        result = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"  # placeholder until the field is updated (Word does so when it lays out the pages)
        result.append(text)
        field.append(result)
        paragraph._p.append(field)
        if tail:
            paragraph.add_run(tail)


def _table(doc: Document, header: list[str], row_tags: list[str], loop: str) -> None:  # type: ignore[valid-type]
    table = doc.add_table(rows=3, cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    # A header row: Word repeats it on each page and screen readers announce it with each cell.
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    table.rows[1].cells[0].text = f"{{%tr for {loop} %}}"
    for cell, tag in zip(table.rows[2].cells, row_tags, strict=True):
        cell.text = tag
    end = table.add_row()
    end.cells[0].text = "{%tr endfor %}"


def _per_agency(doc: Document, field: str) -> None:  # type: ignore[valid-type]
    doc.add_paragraph("{%p for r in returns %}")  # type: ignore[attr-defined]
    doc.add_heading("{{ r.agency }}", level=3)  # type: ignore[attr-defined]
    doc.add_paragraph("{{ r." + field + " }}")  # type: ignore[attr-defined]
    doc.add_paragraph("{%p endfor %}")  # type: ignore[attr-defined]


def build(path: Path = TEMPLATE) -> Path:
    doc = Document()
    doc.core_properties.title = "Rapid review"
    style = doc.styles["Normal"]
    style.font.name = "Arial"  # type: ignore[attr-defined]
    style.font.size = Pt(11)  # type: ignore[attr-defined]
    doc.styles["Footer"].font.size = Pt(9)  # type: ignore[attr-defined]
    _page(doc.sections[0], landscape=False, label="Page")

    # Covering letter, under a draft notice until the three partners have signed off
    doc.add_paragraph("{%p if draft_notice %}")
    notice = doc.add_paragraph()
    notice.add_run("{{ draft_notice }}").bold = True
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{{ partnership }}")
    doc.add_paragraph("{{ today }}")
    doc.add_paragraph("The Child Safeguarding Practice Review Panel")
    doc.add_paragraph("Dear Panel,")
    doc.add_paragraph(
        "Rapid review of {{ reference }} ({{ title }}). Please find enclosed the rapid review of the serious "
        "incident notified on {{ notified_on }}. {{ meeting_sentence }} "
        "The safeguarding partners' decision: {{ decision }}. "
        "The merged chronology of the agencies' entries follows as an annex."
    )
    doc.add_paragraph("Yours sincerely,")
    doc.add_paragraph("{%p for s in signed %}")
    doc.add_paragraph("{{ s.name }}, {{ s.role }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if not signed %}")
    doc.add_paragraph("The safeguarding partners (not yet signed off)")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    doc.add_heading("Rapid review: {{ reference }}", level=1)
    doc.add_heading(HEADINGS[0], level=2)
    ids = doc.add_table(rows=0, cols=2)
    ids.style = "Table Grid"
    for label, tag in [
        ("Partnership and local authority", "{{ partnership }}, {{ local_authority }}"),
        ("Case reference", "{{ reference }}"),
        ("SIN reference", "{{ sin_reference }}"),
        ("Child", "{{ title }}"),
        ("Age at the incident", "{{ child_age }}"),
        ("Date of incident", "{{ incident_date }}"),
        ("Date the local authority became aware", "{{ la_aware_on }}"),
        ("Date of SIN", "{{ notified_on }}"),
        ("Date of rapid review meeting", "{{ meeting_date }}"),
        ("Time and length of the meeting", "{{ meeting_time }}"),
        ("Where the meeting was held", "{{ meeting_place }}"),
        ("Members of the meeting", "{{ meeting_members }}"),
        ("Date sent to the Panel", "{{ sent_on }}"),
    ]:
        row = ids.add_row().cells
        row[0].text, row[1].text = label, tag
    doc.add_heading(HEADINGS[1], level=2)
    doc.add_paragraph("{{ incident_summary }}")
    doc.add_heading("Facts agreed by the rapid review meeting", level=3)
    doc.add_paragraph("{{ facts_agreed }}")
    doc.add_heading(HEADINGS[2], level=2)
    doc.add_paragraph("{{ family_context }}")
    doc.add_heading("How race, culture, disability or other inequalities may have had an effect", level=3)
    _per_agency(doc, "inequalities")
    doc.add_heading(HEADINGS[3], level=2)
    doc.add_paragraph("{%p for r in returns %}")
    doc.add_heading("{{ r.agency }}", level=3)
    doc.add_paragraph("Period of involvement: {{ r.period }}")
    doc.add_paragraph("{{ r.involvement_summary }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if not_received %}")
    doc.add_paragraph("No summary received from: {{ not_received }}.")
    doc.add_paragraph("{%p if missing_reason %}")
    doc.add_paragraph("Why the rapid review was sent without them: {{ missing_reason }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endif %}")
    doc.add_heading(HEADINGS[4], level=2)
    doc.add_paragraph("{%p for r in returns %}")
    doc.add_heading("{{ r.agency }}", level=3)
    doc.add_paragraph("{%p for e in r.episodes %}")
    doc.add_heading("{{ e.title }}", level=4)
    doc.add_paragraph("Date: {{ e.date }}")
    doc.add_paragraph("What went well: {{ e.went_well }}")
    doc.add_paragraph("What could have been done differently: {{ e.could_differ }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_heading(HEADINGS[5], level=2)
    _per_agency(doc, "lived_experience")
    doc.add_heading(HEADINGS[6], level=2)
    _table(
        doc,
        ["Action", "Owner", "Due", "Status", "Evidence"],
        ["{{ a.description }}", "{{ a.owner }}", "{{ a.due }}", "{{ a.status }}", "{{ a.evidence }}"],
        "a in actions",
    )
    _per_agency(doc, "immediate_actions")
    doc.add_heading(HEADINGS[7], level=2)
    doc.add_paragraph("{{ learning }}")
    _per_agency(doc, "learning")
    doc.add_heading(HEADINGS[8], level=2)
    _per_agency(doc, "parallel_processes")
    doc.add_heading(HEADINGS[9], level=2)
    doc.add_paragraph("{{ family_informed }}")
    doc.add_heading(HEADINGS[10], level=2)
    doc.add_paragraph("Decision: {{ decision }}")
    doc.add_paragraph("Date of the decision: {{ decided_on }}")
    doc.add_paragraph("{{ decision_rationale }}")
    _table(
        doc,
        ["Regulation 11 criterion", "Answer", "Notes"],
        ["{{ c.label }}", "{{ c.answer }}", "{{ c.notes }}"],
        "c in criteria",
    )
    doc.add_paragraph("Themes: {{ themes }}")
    doc.add_heading(HEADINGS[11], level=2)
    _table(
        doc,
        ["Partner", "Name", "Decision", "Date"],
        ["{{ s.role }}", "{{ s.name }}", "{{ s.decision }}", "{{ s.date }}"],
        "s in signatures",
    )
    # The annex is its own landscape section from a new page, so the chronology table is laid out wide
    _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True, label="Annex, page")
    doc.add_heading("Annex: merged chronology", level=2)
    _table(
        doc,
        ["Date", "Agency", "What happened", "Source", "Significance"],
        ["{{ e.date }}", "{{ e.agency }}", "{{ e.what_happened }}", "{{ e.source }}", "{{ e.significance }}"],
        "e in chronology",
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
