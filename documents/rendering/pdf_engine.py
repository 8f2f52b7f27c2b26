"""HTML to a tagged PDF/UA-1 file with WeasyPrint, and nothing else (no Django settings).

Speed (bench/rapid_review_document.py): WeasyPrint is pure Python and allocates millions of small
objects per document, so this module keeps per-thread what does not depend on the document (the
font configuration with Pango's font and line-height caches, and a URL fetcher, whose construction
loads the system's CA certificates), holds back the cyclic garbage collector's frequent
young-generation passes while one document is laid out (see `_fewer_gc_passes`), and reads pydyf's
page references on access instead of rebuilding them all per tagged element (`_PageReferences`).
"""

import gc
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, overload

# The generation-0 threshold while a PDF renders (CPython 3.12's default is 700 allocations): over a
# render that allocates millions of objects the collector then runs about 13 young passes instead of
# some 180 young and 16 middle ones and one or two full ones (0.3 to 0.5 s of a render, measured with
# gc.callbacks), for about 0.1 s; what it would have found is collected after the render. The older
# generations keep their thresholds.
_RENDER_GC_THRESHOLD0 = 100_000

_local = threading.local()
_gc_lock = threading.Lock()
_gc_renders = 0
_gc_saved: tuple[int, ...] = ()


@contextmanager
def _fewer_gc_passes() -> Iterator[None]:
    """Raises the young-generation threshold while at least one thread renders, and restores it
    when the last one is done (thresholds are per process, renders may overlap in the web server)."""
    global _gc_renders, _gc_saved
    with _gc_lock:
        if _gc_renders == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(max(_RENDER_GC_THRESHOLD0, _gc_saved[0]), *_gc_saved[1:])
        _gc_renders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_renders -= 1
            if _gc_renders == 0:
                gc.set_threshold(*_gc_saved)


class _PageReferences(Sequence[bytes]):
    """pydyf's `PDF.page_references`, without rebuilding every reference on each access.

    pydyf 0.13 builds a tuple of all the page references each time the property is read, and
    WeasyPrint reads it once per tagged element (`pdf/tags.py`) to take one item: quadratic in
    pages, about 8% of laying out and writing the 18-page chronology annex. This sequence gives the
    same items (`b"12 0 R"`), computed on access; `test_pdf_rendering.py` checks it against pydyf's."""

    def __init__(self, pdf: Any) -> None:
        self._kids = pdf.pages["Kids"]  # [number, 0, "R", number, 0, "R", ...], kept up to date by pydyf

    def __len__(self) -> int:
        return len(self._kids) // 3

    @overload
    def __getitem__(self, index: int) -> bytes: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[bytes]: ...
    def __getitem__(self, index: int | slice) -> bytes | Sequence[bytes]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(len(self)))[index]
        count = len(self)
        position = index + count if index < 0 else index
        if not 0 <= position < count:
            raise IndexError("page reference index out of range")
        return f"{self._kids[3 * position]} 0 R".encode("ascii")


_pydyf_page_references: Any = None  # pydyf's own property, kept for the test that compares the two


def _use_page_references_on_access() -> None:
    global _pydyf_page_references
    import pydyf

    current = pydyf.PDF.__dict__["page_references"]
    if isinstance(current, property) and current.fget is not _PageReferences:
        _pydyf_page_references = current
        pydyf.PDF.page_references = property(_PageReferences)  # type: ignore[assignment,method-assign]


def _weasyprint_state() -> tuple[Any, Any]:
    """This thread's font configuration and URL fetcher (Pango objects are not shared across threads).

    The fetcher allows only `data:` and `file:` URLs: the templates load nothing, and a document of
    case data must never make a network request."""
    state = getattr(_local, "state", None)
    if state is None:
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher

        state = _local.state = (FontConfiguration(), URLFetcher(allowed_protocols={"data", "file"}))
    return state


def html_to_pdf(html: str) -> bytes:
    """The HTML must give `<html lang="en-GB">` and a `<title>` (the PDF's title metadata)."""
    from weasyprint import HTML

    font_config, url_fetcher = _weasyprint_state()
    _use_page_references_on_access()
    with _fewer_gc_passes():
        pdf = HTML(string=html, url_fetcher=url_fetcher).write_pdf(
            font_config=font_config, pdf_variant="pdf/ua-1", uncompressed_pdf=False
        )
    return bytes(pdf)
