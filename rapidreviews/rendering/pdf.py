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
import os
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from rapidreviews.rendering.pdf_engine import html_to_pdf
from rapidreviews.rendering.pdf_helper import PdfHelper
from rapidreviews.rendering.pdf_merge import merge_tagged

helper = PdfHelper()
atexit.register(helper.close)
os.register_at_fork(after_in_child=helper._forget_after_fork)


def render_pdf_parts(parts: Sequence[tuple[str, dict[str, Any]]]) -> bytes:
    """One PDF from several templates, in order. Each template must give `<html lang="en-GB">` and a
    `<title>`; the first part's title, language and metadata are the document's, and each part sets
    its own page styles (and so its own page numbering)."""
    return merge_tagged(html_parts_to_pdfs([render_to_string(template, context) for template, context in parts]))


def html_parts_to_pdfs(htmls: Sequence[str]) -> list[bytes]:
    """The parts as PDFs, in order. The helper takes one part: the longest when it is warm, the
    shortest while it is still starting (about 1.2 s to import WeasyPrint and load fonts, as in a
    forked RQ job), so that the two finish at about the same time; this process lays out the rest."""
    pdfs: list[bytes | None] = [None] * len(htmls)
    job, sent = None, -1
    if settings.PDF_PARALLEL and len(htmls) > 1:
        by_size = sorted(range(len(htmls)), key=lambda i: len(htmls[i]))
        sent = by_size[-1] if helper.warm else by_size[0]
        job = helper.submit(htmls[sent])
    try:
        for i, html in enumerate(htmls):
            if i != sent or job is None:
                pdfs[i] = html_to_pdf(html)
    finally:
        # Always collect what was sent, even when this process's own part failed: the helper takes
        # one part at a time and is free again only once its answer is read.
        answer = job.result() if job is not None else None
    if job is not None:
        pdfs[sent] = answer if answer is not None else html_to_pdf(htmls[sent])
    done = [pdf for pdf in pdfs if pdf is not None]
    assert len(done) == len(htmls)
    return done
