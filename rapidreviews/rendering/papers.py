from typing import Any

from rapidreviews.chronology import Chronology
from rapidreviews.models import AgencyReturn, RapidReview
from rapidreviews.rendering.pdf import render_pdf_parts
from rapidreviews.sections import return_answers


def papers_pdf(*, case: Any, review: RapidReview, returns: list[AgencyReturn], chronology: Chronology) -> bytes:
    """The summaries, then the merged chronology: two parts laid out at the same time (rendering/pdf.py)."""
    context = {
        "case": case,
        "review": review,
        "returns": [
            {"agency": r.request.agency, "answers": return_answers(r), "status": r.get_status_display()}
            for r in returns
        ],
        "chronology": chronology,
        "title": f"Rapid review meeting papers, {case.reference}",
    }
    return render_pdf_parts(
        [("rapidreviews/pdf/papers.html", context), ("rapidreviews/pdf/papers_chronology.html", context)]
    )
