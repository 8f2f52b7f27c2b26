"""A PDF laid out in parts (one in the helper process) and joined into one tagged document."""

import logging
import os
import signal
import sys
from typing import Any

import pytest
from pikepdf import Dictionary

from rapidreviews.rendering import pdf as pdf_module
from rapidreviews.rendering import pdf_helper
from rapidreviews.rendering.pdf import helper, html_parts_to_pdfs
from rapidreviews.rendering.pdf_engine import html_to_pdf
from rapidreviews.rendering.pdf_merge import merge_tagged
from rapidreviews.tests.pdf_checks import check_tagged, outline

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


def test_the_helper_process_lays_out_the_second_part(settings: Any) -> None:
    settings.PDF_PARALLEL = True
    first, second = html_parts_to_pdfs([FIRST, SECOND])
    assert helper.pid is not None and helper.pid != os.getpid()
    check_tagged(merge_tagged([first, second]))
    assert len(check_tagged(second).pages) == len(check_tagged(html_to_pdf(SECOND)).pages)


def test_a_helper_that_dies_mid_part_is_replaced_and_the_part_is_made_here(
    settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.PDF_PARALLEL = True
    job = helper.submit(SECOND)
    dead = helper.pid
    assert job is not None and dead is not None
    os.kill(dead, signal.SIGKILL)
    with caplog.at_level(logging.WARNING, logger="rapidreviews.rendering.pdf_helper"):
        assert job.result() is None, "no answer: the caller renders the part itself"
    assert "did not answer" in caplog.text
    first, second = html_parts_to_pdfs([FIRST, SECOND])
    check_tagged(merge_tagged([first, second]))
    assert helper.pid not in (None, dead), "a new helper took the next part"


def test_a_busy_helper_leaves_the_part_to_this_process(settings: Any) -> None:
    settings.PDF_PARALLEL = True
    job = helper.submit(SECOND)
    assert job is not None
    try:
        assert helper.submit(FIRST) is None, "one part at a time"
        first, second = html_parts_to_pdfs([FIRST, SECOND])  # the helper is busy: both made here
        check_tagged(merge_tagged([first, second]))
    finally:
        assert job.result() is not None
    again = helper.submit(FIRST)
    assert again is not None, "free again once its answer was read"
    assert again.result() is not None


def test_without_parallel_layout_no_helper_is_used(settings: Any) -> None:
    settings.PDF_PARALLEL = False
    helper.close()
    first, second = html_parts_to_pdfs([FIRST, SECOND])
    assert helper.pid is None
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


def test_the_second_part_really_comes_from_the_helper(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.PDF_PARALLEL = True
    html_parts_to_pdfs([FIRST, SECOND])  # warms the helper
    here: list[str] = []

    def counted(html: str) -> bytes:
        here.append(html)
        return html_to_pdf(html)

    monkeypatch.setattr(pdf_module, "html_to_pdf", counted)
    first, second = html_parts_to_pdfs([FIRST, SECOND])
    assert here == [FIRST], "the warm helper took the longer part; this process laid out only the other"
    check_tagged(merge_tagged([first, second]))


STALE_HELPER = """
import struct, sys
sys.stdin.buffer.read(16)
pdf = b"%PDF-1.7 not the part asked for"
sys.stdout.buffer.write(struct.pack(">BQQ", 0, 999, len(pdf)) + pdf)
sys.stdout.buffer.flush()
sys.stdin.buffer.read()
"""


def test_an_answer_to_another_request_is_refused_and_the_helper_replaced(
    settings: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    settings.PDF_PARALLEL = True
    helper.close()
    monkeypatch.setattr(helper, "command", [sys.executable, "-c", STALE_HELPER])
    job = helper.submit(SECOND)
    assert job is not None
    with caplog.at_level(logging.WARNING, logger="rapidreviews.rendering.pdf_helper"):
        assert job.result() is None
    assert "Unexpected answer" in caplog.text and helper.pid is None, "the helper was stopped"
    monkeypatch.undo()
    _first, second = html_parts_to_pdfs([FIRST, SECOND])
    assert len(check_tagged(second).pages) == len(check_tagged(html_to_pdf(SECOND)).pages)


def test_an_interruption_while_waiting_stops_the_helper_and_is_not_swallowed(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A job timeout or Ctrl-C must reach the caller, and the unread answer must never reach a later part."""
    settings.PDF_PARALLEL = True
    job = helper.submit(SECOND)
    assert job is not None

    def interrupted(*args: Any, **kwargs: Any) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr(pdf_helper, "_read", interrupted)
    with pytest.raises(KeyboardInterrupt):
        job.result()
    assert helper.pid is None
    monkeypatch.undo()
    again = helper.submit(FIRST)
    assert again is not None, "the lock was released"
    answer = again.result()
    assert answer is not None and len(check_tagged(answer).pages) == len(check_tagged(html_to_pdf(FIRST)).pages)


@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_forked_child_starts_afresh_and_leaves_the_parents_helper_alone(settings: Any) -> None:
    """An RQ job is a fork: it must not talk to the parent's helper (their answers would cross)."""
    settings.PDF_PARALLEL = True
    html_parts_to_pdfs([FIRST, SECOND])
    parent_helper = helper.pid
    job = helper.submit(FIRST)  # the parent is mid-part when the fork happens
    assert job is not None
    child = os.fork()
    if child == 0:  # pragma: no cover (the child's outcome is its exit status)
        fresh = helper.pid is None and not helper.warm and helper._lock.acquire(blocking=False)
        os._exit(0 if fresh else 1)
    _pid, status = os.waitpid(child, 0)
    assert job.result() is not None, "the parent's part arrived"
    assert os.waitstatus_to_exitcode(status) == 0
    assert helper.pid == parent_helper
