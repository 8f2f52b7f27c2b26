"""Tagged, accessible PDFs (PDF/UA-1) from Django templates, with WeasyPrint (`pdf_engine`).

A long document is made of parts (`render_pdf_parts`), each a whole HTML page from its own
template (a rapid review and its chronology annex; the meeting papers' summaries and chronology),
so that each part keeps its own page styles and numbering ("Annex, page 2 of 18"). The parts are
laid out one after the other in this process and joined into one tagged PDF with one structure
tree (`pdf_merge`).

Why one process: the document is made by a background job, not while someone waits on a page.
Laying out the annex in a second, helper process (about 250 lines, removed) made a rapid review
with 15 agency summaries and 300 chronology entries 0.7 s faster on a quiet 2-core machine
(1.60 s against 2.31 s), but slower when the machine was busy (2.90 s against 2.35 s at load 4,
1.83 s of CPU against 1.58 s) and cost a second process of about 100 MiB. Figures in
bench/rapid_review_document.py and docs/ARCHITECTURE.md.
"""

from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string

from documents.rendering.pdf_engine import html_to_pdf
from documents.rendering.pdf_merge import merge_tagged


def render_pdf_parts(parts: Sequence[tuple[str, dict[str, Any]]]) -> bytes:
    """One PDF from several templates, in order. Each template must give `<html lang="en-GB">` and a
    `<title>`; the first part's title, language and metadata are the document's, and each part sets
    its own page styles (and so its own page numbering)."""
    return merge_tagged(html_parts_to_pdfs([render_to_string(template, context) for template, context in parts]))


def html_parts_to_pdfs(htmls: Sequence[str]) -> list[bytes]:
    """The parts as PDFs, in order."""
    return [html_to_pdf(html) for html in htmls]
