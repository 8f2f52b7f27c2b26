"""The rapid review document, from the record: DOCX through the Word template, tagged PDF through
an HTML template. Both follow the headings of domain.md §2.3 and start with a covering letter."""

import io
from typing import Any

from django.utils import timezone
from docxtpl import DocxTemplate, Listing

from cases.models import CaseState, StateChange
from rapidreviews.chronology import entries_for_document, merge
from rapidreviews.models import Meeting, RapidReview, ReturnStatus, SignOffDecision
from rapidreviews.rendering.build_template import TEMPLATE
from rapidreviews.rendering.pdf import render_pdf_parts
from rapidreviews.services.signoff_state import DELEGATE_ROLES, sign_off_state

TEXT_FIELDS = (
    "involvement_summary",
    "lived_experience",
    "inequalities",
    "immediate_actions",
    "learning",
    "parallel_processes",
)


def _d(value: Any, fmt: str = "%-d %B %Y") -> str:
    return value.strftime(fmt) if value else "Not recorded"


def document_context(review: RapidReview) -> dict[str, Any]:
    """Plain strings and lists, the same for both formats."""
    case = review.case
    notified = StateChange.objects.filter(case=case, to_state=CaseState.NOTIFIED).order_by("-at").first()
    meeting = Meeting.objects.filter(review=review).first()
    returns = []
    for request in (
        review.requests.filter(agency_return__status__in=[ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED])
        .select_related("agency", "agency_return")
        .prefetch_related("agency_return__episodes")
    ):
        r = request.agency_return
        start, end = r.period_start, r.period_end
        returns.append(
            {
                "agency": request.agency.name,
                "period": f"{_d(start)} to {_d(end)}" if start and end else "Not recorded",
                **{f: getattr(r, f) or "None recorded" for f in TEXT_FIELDS},
                "episodes": [
                    {
                        "title": e.title,
                        "date": _d(e.date),
                        "went_well": e.went_well or "Nothing recorded",
                        "could_differ": e.could_differ or "Nothing recorded",
                    }
                    for e in r.episodes.all()
                ],
            }
        )
    state = sign_off_state(review)
    signatures = []
    for role in DELEGATE_ROLES:
        step = state.latest.get(role)
        signatures.append(
            {
                "role": role.label,
                "name": step.actor.display_name if step else "Not yet signed",
                "decision": step.get_decision_display() if step else "",
                "date": _d(timezone.localtime(step.at)) if step else "",
            }
        )
    chronology = merge(entries_for_document(review), review.gap_days)
    today = timezone.localdate()
    if meeting is None:
        meeting_sentence = "The rapid review meeting has not been held yet."
    elif meeting.date > today:
        meeting_sentence = f"The rapid review meeting is planned for {_d(meeting.date)}."
    else:
        meeting_sentence = f"The rapid review meeting was held on {_d(meeting.date)}."
    decision = review.get_decision_display() or "Not yet decided"
    if review.alternative_review_type:
        decision += f" ({review.alternative_review_type})"
    return {
        "partnership": case.partnership.name,
        "local_authority": case.partnership.local_authority_name,
        "reference": case.reference,
        "title": case.title,
        "today": _d(today),
        "notified_on": _d(timezone.localtime(notified.at)) if notified else "Not recorded",
        "meeting_date": _d(meeting.date) if meeting else "Not held yet",
        "sent_on": _d(timezone.localtime(review.submitted_at)) if review.submitted_at else "Not sent yet",
        "incident_summary": review.incident_summary or "Not recorded",
        "family_context": review.family_context or "Not recorded",
        "family_informed": review.family_informed or "Not recorded",
        "learning": review.learning or "Not recorded",
        "decision": decision,
        "decision_rationale": review.decision_rationale or "Not recorded",
        "themes": ", ".join(review.theme_labels()) or "None tagged",
        "criteria": [
            {"label": c.get_criterion_display(), "answer": c.get_answer_display(), "notes": c.notes}
            for c in review.criteria.all()
        ],
        "actions": [
            {
                "description": a.description,
                "owner": a.owner,
                "due": _d(a.due),
                "status": a.get_status_display(),
                "evidence": a.evidence,
            }
            for a in review.actions.all()
        ],
        "returns": returns,
        "signatures": signatures,
        "signed": [s for s in signatures if s["decision"] == SignOffDecision.APPROVED.label],
        "meeting_sentence": meeting_sentence,
        "draft_notice": ""
        if state.complete
        else "DRAFT: not yet signed off by the three safeguarding partners. Do not send to the Panel.",
        "chronology": [
            {
                "date": f"{row.entry.date:%d/%m/%Y}" + (f" {row.entry.time:%H:%M}" if row.entry.time else ""),
                "agency": row.agency,
                "what_happened": row.entry.what_happened,
                "source": row.entry.source,
                "significance": row.entry.significance,
            }
            for row in chronology.rows
        ],
        "national_review": review.national_review,
    }


def _listings(value: Any) -> Any:
    """Keeps line breaks of long text in Word (docxtpl's Listing escapes the text itself)."""
    if isinstance(value, str):
        return Listing(value) if "\n" in value else value
    if isinstance(value, list):
        return [_listings(v) for v in value]
    if isinstance(value, dict):
        return {k: _listings(v) for k, v in value.items()}
    return value


def render_docx(context: dict[str, Any]) -> bytes:
    template = DocxTemplate(str(TEMPLATE))
    template.render(_listings(context), autoescape=True)
    template.docx.core_properties.title = f"Rapid review, {context['reference']}"
    template.docx.core_properties.language = "en-GB"
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def render_document_pdf(context: dict[str, Any]) -> bytes:
    """The document, then its chronology annex: two parts laid out at the same time (rendering/pdf.py)."""
    context = {**context, "doc_title": f"Rapid review, {context['reference']}"}
    return render_pdf_parts(
        [("rapidreviews/pdf/document.html", context), ("rapidreviews/pdf/document_annex.html", context)]
    )
