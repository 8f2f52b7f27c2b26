"""HTML to a tagged PDF/UA-1 file with WeasyPrint, and nothing else: no Django, so that the PDF
helper process (`pdf_helper`) can import it without settings.

Speed (bench/rapid_review_document.py): WeasyPrint is pure Python and allocates millions of small
objects per document, so this module keeps per-thread what does not depend on the document (the
font configuration with Pango's font and line-height caches, and a URL fetcher, whose construction
loads the system's CA certificates) and holds back the cyclic garbage collector's frequent
young-generation passes while one document is laid out (see `_fewer_gc_passes`).
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

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
    with _fewer_gc_passes():
        pdf = HTML(string=html, url_fetcher=url_fetcher).write_pdf(
            font_config=font_config, pdf_variant="pdf/ua-1", uncompressed_pdf=False
        )
    return bytes(pdf)
