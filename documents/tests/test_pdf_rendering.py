"""The PDF renderer's per-process tuning: it must leave the process as it found it."""

import gc
import threading

import pytest

from documents.rendering.pdf_engine import _fewer_gc_passes, _weasyprint_state


def test_the_collector_threshold_is_raised_while_rendering_and_restored_after_overlapping_renders() -> None:
    before = gc.get_threshold()
    first_in, second_out = threading.Event(), threading.Event()
    seen: list[tuple[int, ...]] = []

    def other_render() -> None:
        with _fewer_gc_passes():
            first_in.set()
            second_out.wait(5)
            seen.append(gc.get_threshold())

    thread = threading.Thread(target=other_render)
    thread.start()
    first_in.wait(5)
    with _fewer_gc_passes():
        assert gc.get_threshold()[0] >= 100_000
    assert gc.get_threshold()[0] >= 100_000, "the other render is still running"
    second_out.set()
    thread.join(5)
    assert seen and seen[0][0] >= 100_000
    assert gc.get_threshold() == before


def test_the_url_fetcher_refuses_the_network() -> None:
    _font_config, fetcher = _weasyprint_state()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher("http://127.0.0.1:9/anything")


def test_page_references_on_access_give_what_pydyf_gives() -> None:
    import pydyf

    from documents.rendering import pdf_engine

    pdf_engine._use_page_references_on_access()
    pdf = pydyf.PDF()
    for _ in range(5):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    references = pdf.page_references
    assert isinstance(references, pdf_engine._PageReferences), "the faster sequence is in use"
    assert tuple(references) == pdf_engine._pydyf_page_references.fget(pdf), "same items as pydyf's own"
    assert len(references) == 5 and references[-1] == references[4]
    assert references[1:3] == tuple(references)[1:3]
    with pytest.raises(IndexError):
        references[5]
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(references) == 6 and tuple(references) == pdf_engine._pydyf_page_references.fget(pdf)
