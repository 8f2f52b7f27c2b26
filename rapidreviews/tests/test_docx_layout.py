"""Page layout of the rapid review DOCX: A4 throughout, page numbers in every footer, and the
chronology annex in its own landscape section."""

import io
from datetime import date, timedelta
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt
from docx.table import Table

from conftest import World
from rapidreviews.models import AgencySummary, RapidReview, SummaryStatus
from rapidreviews.rendering.document import document_context, render_docx
from rapidreviews.services.summaries import chronology_entry_save
from rapidreviews.tests.helpers import complete, summary_of

pytestmark = pytest.mark.django_db

A4_SHORT, A4_LONG = Mm(210), Mm(297)
TOLERANCE = Mm(1)


@pytest.fixture
def docx(world: World, asked: RapidReview) -> DocxDocument:
    """The document of a case with two submitted returns and a chronology long enough to span pages."""
    for agency, lead in (("hospital", "lead_hospital"), ("school", "lead_school")):
        agency_summary = summary_of(asked, world.agencies[agency])
        complete(agency_summary, world.people[lead])
        for day in range(30):
            chronology_entry_save(
                agency_summary=summary_of(asked, world.agencies[agency]),
                actor=world.people[lead],
                entry=None,
                expected_version=0,
                on=date(2025, 1, 1) + timedelta(days=7 * day),
                at=None,
                what_happened=f"{agency.title()} entry {day}: child seen with mother\nFollow-up booked",
                source="Case record",
                significance="Shows the pattern of missed appointments",
            )
    AgencySummary.objects.filter(request__review=asked).update(status=SummaryStatus.SUBMITTED)
    return Document(io.BytesIO(render_docx(document_context(asked))))


def close(a: int | None, b: int) -> bool:
    return a is not None and abs(a - b) <= TOLERANCE


def is_a4(section: Section) -> bool:
    size = (section.page_width, section.page_height)
    return (close(size[0], A4_SHORT) and close(size[1], A4_LONG)) or (
        close(size[0], A4_LONG) and close(size[1], A4_SHORT)
    )


def field_codes(section: Section) -> list[str]:
    """The field instructions of the footer: simple fields and complex (begin/instrText/end) ones."""
    ftr = section.footer._element
    codes = [f.get(qn("w:instr")) for f in ftr.iter(qn("w:fldSimple"))]
    codes += [t.text or "" for t in ftr.iter(qn("w:instrText"))]
    return [c.split()[0] for c in codes if c and c.split()]


def test_every_section_is_a4_with_margins(docx: DocxDocument) -> None:
    assert len(docx.sections) >= 2
    for section in docx.sections:
        assert is_a4(section), (section.page_width, section.page_height)
        for margin in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin):
            assert margin is not None and Mm(15) <= margin <= Mm(30)


def test_the_annex_is_its_own_landscape_section_on_a_new_page(docx: DocxDocument) -> None:
    *body, annex = docx.sections
    assert annex.orientation == WD_ORIENT.LANDSCAPE
    assert annex.page_width is not None and annex.page_height is not None
    assert annex.page_width > annex.page_height and close(annex.page_width, A4_LONG)
    assert annex.start_type == 2  # WD_SECTION.NEW_PAGE
    for section in body:
        assert section.orientation == WD_ORIENT.PORTRAIT and close(section.page_width, A4_SHORT)
    content = list(annex.iter_inner_content())
    assert any(getattr(c, "text", "") == "Annex: merged chronology" for c in content)
    [table] = [c for c in content if isinstance(c, Table)]
    assert table.rows[0].cells[0].text == "Date" and len(table.rows) == 61, "a header and 60 entries"
    assert "Hospital entry 0: child seen with mother\nFollow-up booked" in table.rows[1].cells[2].text
    assert table.columns[2].width is not None and table.columns[2].width * 5 > Mm(240), "laid out wide"
    earlier = "\n".join(p.text for s in body for p in s.iter_inner_content() if hasattr(p, "text"))
    assert "Annex: merged chronology" not in earlier and "12. Sign-off by the three safeguarding partners" in earlier


def test_every_footer_numbers_the_pages_in_small_print(docx: DocxDocument) -> None:
    for section in docx.sections:
        assert not section.footer.is_linked_to_previous, "each section has a footer of its own"
        assert field_codes(section) == ["PAGE", "NUMPAGES"]
        text = section.footer._element.xpath("string(.)")
        assert text.replace("1", "N", 1).replace("1", "M", 1).lower().endswith("page n of m"), text
        for paragraph in section.footer.paragraphs:
            assert paragraph.style is not None and paragraph.style.font.size == Pt(9)
    assert docx.sections[-1].footer._element.xpath("string(.)").startswith("Annex, page")


def test_all_the_content_is_rendered(docx: DocxDocument) -> None:
    text = "\n".join(p.text for p in docx.paragraphs)
    cells = "\n".join(c.text for t in docx.tables for r in t.rows for c in r.cells)
    assert "{{" not in text + cells and "{%" not in text + cells
    assert "Dear Panel," in text and "Text for learning" in text and "Home visit" in text
    assert "School entry 29" in cells


def test_every_table_marks_its_first_row_as_a_repeating_header(docx: DocxDocument) -> None:
    # The case identifiers are a two-column list of label and value, with no header row.
    listed = [t for t in docx.tables if len(t.columns) > 2]
    assert len(listed) == 4, "actions, criteria, sign-off and the chronology"
    for table in listed:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None, table.rows[0].cells[0].text


def test_the_word_file_names_the_partnership_and_the_service_not_python_docx(world: World, asked: Any) -> None:
    import zipfile

    from rapidreviews.services.document import document_bytes

    data = document_bytes(review=asked, fmt="docx")
    props = Document(io.BytesIO(data)).core_properties
    assert props.author == asked.case.partnership.name and "python-docx" not in (props.comments or "")
    assert props.created is not None and props.created.year >= 2026
    app = zipfile.ZipFile(io.BytesIO(data)).read("docProps/app.xml").decode()
    assert "<Application>Safeguarding practice reviews</Application>" in app and "Macintosh" not in app
