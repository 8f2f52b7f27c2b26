"""A PDF laid out in parts and joined into one tagged document."""

import pytest
from pikepdf import Dictionary

from documents.rendering.pdf import html_parts_to_pdfs
from documents.rendering.pdf_engine import html_to_pdf
from documents.rendering.pdf_merge import merge_tagged
from documents.tests.pdf_checks import check_tagged, outline

HEAD = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title><style>{style}</style></head>'
)
ROWS = "".join(f"<tr><td>{n}/03/2026</td><td>Entry {n} of the annex</td></tr>" for n in range(1, 80))
FIRST = (
    HEAD.format(
        title="Two-part test document", style="@page { size: A4; @bottom-right { content: 'Page ' counter(page) } }"
    )
    + '<body><h1>The document</h1><h2 id="one">One</h2><p>See <a href="#two">part two</a> and '
    '<a href="https://example.org/guidance">the guidance</a>.</p><h2 id="two">Two</h2>'
    '<p style="page-break-before: always">A second page.</p></body></html>'
)
SECOND = (
    HEAD.format(
        title="Annex", style="@page { size: A4 landscape; @bottom-right { content: 'Annex, page ' counter(page) } }"
    )
    + '<body><section aria-label="Annex"><h2 id="annex">Annex</h2><p id="two"><a href="#two">This paragraph</a> has the id of a heading in the first part.</p>'
    f"<table><caption>Entries</caption><thead><tr><th scope='col'>Date</th><th scope='col'>What</th></tr></thead>"
    f"<tbody>{ROWS}</tbody></table></section></body></html>"
)


def test_the_parts_join_into_one_tagged_pdf_with_one_structure_tree() -> None:
    first, second = html_to_pdf(FIRST), html_to_pdf(SECOND)
    alone = [check_tagged(first), check_tagged(second)]
    merged = check_tagged(merge_tagged([first, second]))

    assert len(merged.pages) == len(alone[0].pages) + len(alone[1].pages) >= 4
    assert merged.pages[-1].obj.MediaBox[2] > merged.pages[-1].obj.MediaBox[3], "the annex stays landscape"
    document = merged.Root.StructTreeRoot.K[0]
    expected = len(alone[0].Root.StructTreeRoot.K[0].K) + len(alone[1].Root.StructTreeRoot.K[0].K)
    assert len(document.K) == expected
    assert str(merged.docinfo.Title) == "Two-part test document"
    assert [(depth, title) for depth, title, _page in outline(merged)] == [
        (0, "The document"),
        (1, "One"),
        (1, "Two"),
        (0, "Annex"),
    ]
    assert outline(merged)[-1][2] == len(alone[0].pages) + 1
    links = [a for page in merged.pages for a in page.obj.get("/Annots", [])]
    assert len(links) == 3
    parent_tree = merged.Root.StructTreeRoot.ParentTree.Nums
    keys = {int(parent_tree[i]) for i in range(0, len(parent_tree), 2)}
    assert all(int(link.StructParent) in keys for link in links), "each link keeps its structure element"
    names = merged.Root.Names.Dests.Names
    dests = {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}
    assert {"one", "two"} <= set(dests) and len(dests) == 3, "the annex's clashing 'two' is renamed"
    page_of = {page.obj.objgen: number for number, page in enumerate(merged.pages)}
    first_pages = len(alone[0].pages)
    for number, page in enumerate(merged.pages):
        for link in page.obj.get("/Annots", []):
            target = link.get("/Dest")
            if target is None:
                continue  # the external link
            dest = dests[str(target)]
            landing = page_of[(dest.D if isinstance(dest, Dictionary) else dest)[0].objgen]
            assert (landing < first_pages) == (number < first_pages), "an internal link left its own part"


def test_one_part_is_returned_as_it_is_and_none_is_an_error() -> None:
    first = html_to_pdf(FIRST)
    assert merge_tagged([first]) is first
    with pytest.raises(ValueError):
        merge_tagged([])


def test_the_parts_are_laid_out_in_order_and_join_as_when_laid_out_alone() -> None:
    first, second = html_parts_to_pdfs([FIRST, SECOND])
    assert len(check_tagged(first).pages) == len(check_tagged(html_to_pdf(FIRST)).pages)
    assert len(check_tagged(second).pages) == len(check_tagged(html_to_pdf(SECOND)).pages)
    annex = check_tagged(second)
    assert annex.pages[0].obj.MediaBox[2] > annex.pages[0].obj.MediaBox[3], "the annex keeps its own page style"
    check_tagged(merge_tagged([first, second]))


def test_header_cell_ids_stay_unique_and_each_cell_keeps_its_own_headers() -> None:
    """WeasyPrint names header cells after the table's object number, so two parts laid out alike
    have the same ids: the second part's are renamed, with the cells' /Headers that use them."""
    table = (
        HEAD.format(title="Table", style="")
        + "<body><table><caption>People</caption><thead><tr><th scope='col'>Name</th><th scope='col'>Role</th>"
        "</tr></thead><tbody><tr><td>A. Example</td><td>Lead</td></tr></tbody></table></body></html>"
    )
    part = html_to_pdf(table)
    merged = check_tagged(merge_tagged([part, part]))  # ids unique, in the /IDTree, /Headers resolvable
    ids = merged.Root.StructTreeRoot.IDTree.Names
    names = [bytes(ids[i]).decode() for i in range(0, len(ids), 2)]
    assert len(names) == 4 and sum(n.startswith("p2-") for n in names) == 2
