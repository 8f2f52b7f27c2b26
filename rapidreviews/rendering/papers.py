from typing import Any

from rapidreviews.chronology import Chronology
from rapidreviews.models import AgencyReturn, RapidReview
from rapidreviews.rendering.pdf import render_pdf
from rapidreviews.sections import return_answers


def papers_pdf(*, case: Any, review: RapidReview, returns: list[AgencyReturn], chronology: Chronology) -> bytes:
    return render_pdf(
        "rapidreviews/pdf/papers.html",
        {
            "case": case,
            "review": review,
            "returns": [
                {"agency": r.request.agency, "answers": return_answers(r), "status": r.get_status_display()}
                for r in returns
            ],
            "chronology": chronology,
            "title": f"Rapid review meeting papers, {case.reference}",
        },
    )
