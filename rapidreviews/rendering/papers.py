from typing import Any

from cases.models import Case
from documents.rendering.pdf import render_pdf_parts
from rapidreviews.chronology import Chronology
from rapidreviews.models import AgencySummary, RapidReview
from rapidreviews.sections import summary_answers
from rapidreviews.selectors import member_labels


def papers_pdf(*, case: Case, review: RapidReview, returns: list[AgencySummary], chronology: Chronology) -> bytes:
    """The summaries, then the merged chronology: two parts laid out at the same time (rendering/pdf.py)."""
    context = papers_context(case=case, review=review, returns=returns, chronology=chronology)
    return render_pdf_parts(
        [("rapidreviews/pdf/papers.html", context), ("rapidreviews/pdf/papers_chronology.html", context)]
    )


def papers_context(
    *, case: Case, review: RapidReview, returns: list[AgencySummary], chronology: Chronology
) -> dict[str, Any]:
    """The meeting (when, where, who), the summaries sent and those not yet, and the chronology."""
    meeting = getattr(review, "meeting", None)
    included = {r.pk for r in returns}
    context = {
        "case": case,
        "review": review,
        "meeting": meeting,
        "members": member_labels(review),
        "missing": [
            {"agency": r.agency, "status": r.agency_summary.get_status_display().lower()}
            for r in review.requests.select_related("agency", "agency_summary")
            if r.agency_summary.pk not in included
        ],
        "returns": [
            {"agency": r.request.agency, "answers": summary_answers(r), "status": r.get_status_display()}
            for r in returns
        ],
        "chronology": chronology,
        "title": f"Rapid review meeting papers, {case.reference}",
    }
    return context
