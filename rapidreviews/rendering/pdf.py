"""Tagged, accessible PDFs (PDF/UA-1) from Django templates, with WeasyPrint (`pdf_engine`).

A long document is made of parts (`render_pdf_parts`), each a whole HTML page from its own
template: the rapid review and its chronology annex, the meeting papers' summaries and chronology.
With `PDF_PARALLEL` (the default on a machine with two cores or more) this process lays out the
first part while the PDF helper process (`pdf_helper`) lays out the next, and the parts are joined
into one tagged PDF with one structure tree (`pdf_merge`). Without it, or when the helper is busy
or fails, the parts are laid out here one after the other and joined the same way, so the document
is the same either way.

Why: WeasyPrint is pure Python, one render uses one core, and a rapid review with 15 agency
summaries and 300 chronology entries took about 3.6 s laid out whole (the issue's target is 3 s on
the 2-core machine); its two parts take about 1.5 s and 2.5 s of CPU, about 2.6 s together. Figures in
bench/rapid_review_document.py and rapidreviews/README.md ("PDF speed").
"""

import atexit
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from rapidreviews.rendering.pdf_engine import html_to_pdf
from rapidreviews.rendering.pdf_helper import PdfHelper
from rapidreviews.rendering.pdf_merge import merge_tagged

helper = PdfHelper()
atexit.register(helper.close)


def render_pdf_parts(parts: Sequence[tuple[str, dict[str, Any]]]) -> bytes:
    """One PDF from several templates, in order. Each template must give `<html lang="en-GB">` and a
    `<title>`; the first part's title, language and metadata are the document's, and each part sets
    its own page styles (and so its own page numbering)."""
    return merge_tagged(html_parts_to_pdfs([render_to_string(template, context) for template, context in parts]))


def html_parts_to_pdfs(htmls: Sequence[str]) -> list[bytes]:
    pending = [helper.submit(html) if settings.PDF_PARALLEL else None for html in htmls[1:]]
    pdfs = []
    try:
        pdfs.append(html_to_pdf(htmls[0]))
    finally:
        # Always collect what was sent, even when this process's own part failed: the helper takes
        # one part at a time and is free again only once its answer is read.
        answers = [job.result() if job is not None else None for job in pending]
    for html, answer in zip(htmls[1:], answers, strict=True):
        pdfs.append(answer if answer is not None else html_to_pdf(html))
    return pdfs
