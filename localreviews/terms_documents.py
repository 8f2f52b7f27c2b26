"""The terms of reference as documents: DOCX (python-docx) and tagged PDF (an HTML template), from
the same context, kept on the case under their own topic (readers of the local review read them)."""

import io
from typing import Any

from django.utils import timezone
from docx import Document as WordDocument

from accounts.models import User
from accounts.roles import DELEGATE_ROLES
from documents.models import Document
from documents.rendering.pdf import render_pdf_parts
from documents.services import document_store
from localreviews.plan import Requirement, requires
from localreviews.terms_models import TermsDecision, TermsOfReference, TermsStatus
from localreviews.terms_state import approval_state
from rapidreviews.rendering.docx_files import stamp, steady

TOPIC = "local_review_terms"
FORMATS = {
    "docx": ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": ("PDF", "application/pdf"),
}


def _d(value: Any) -> str:
    return value.strftime("%-d %B %Y") if value else "Not recorded"


def terms_context(terms: TermsOfReference) -> dict[str, Any]:
    """Plain strings and lists, the same for both formats."""
    review = terms.review
    case = review.case
    by_partners = requires(review.kind, Requirement.TERMS_BY_PARTNERS)
    state = approval_state(terms)
    approvals = []
    if by_partners:
        for role in DELEGATE_ROLES:
            step = state.latest.get(role)
            approved = step is not None and step.decision == TermsDecision.APPROVED
            approvals.append(
                {
                    "role": role.label,
                    "name": step.actor.display_name if approved and step else "Not yet approved",
                    "date": _d(timezone.localtime(step.at)) if approved and step else "",
                }
            )
    if terms.status == TermsStatus.APPROVED:
        draft = ""
    elif by_partners:
        draft = "DRAFT: not yet approved by the three safeguarding partners."
    else:
        draft = "DRAFT: not yet agreed by the review coordinator."
    return {
        "partnership": case.partnership.name,
        "reference": case.reference,
        "title": case.title,
        "review": review.kind_label,
        "decided_on": _d(review.decided_on),
        "today": _d(timezone.localdate()),
        "status": terms.status_label,
        "draft_notice": draft,
        "approved_on": _d(timezone.localtime(terms.approved_at)) if terms.approved_at else "",
        "approved_by": "the three safeguarding partners" if by_partners else "the review coordinator",
        "period": f"{_d(terms.period_start)} to {_d(terms.period_end)}",
        "agencies": [a.name for a in terms.agencies.all()],
        "lines": list(terms.lines),
        "methodology": terms.methodology.name if terms.methodology else "Not recorded",
        "methodology_notes": terms.methodology_notes,
        "family_engagement": terms.family_engagement or "Not recorded",
        "parallel": [
            {
                "kind": p.get_kind_display(),
                "status": p.get_status_display(),
                "next_date": _d(p.next_date) if p.next_date else "None expected",
                "expected_end": _d(p.expected_end) if p.expected_end else "Not known",
                "notes": p.notes,
            }
            for p in terms.parallel_processes.all()
        ],
        "timetable": terms.timetable or "Not recorded",
        "governance": terms.governance or "Not recorded",
        "approvals": approvals,
    }


def render_docx(context: dict[str, Any]) -> bytes:
    doc = WordDocument()
    if context["draft_notice"]:
        doc.add_paragraph().add_run(context["draft_notice"]).bold = True
    doc.add_heading(f"Terms of reference: {context['reference']}", level=1)
    doc.add_paragraph(f"{context['review']} of {context['reference']} ({context['title']}), {context['partnership']}.")
    doc.add_paragraph(f"The partners decided on the review on {context['decided_on']}.")

    def section(heading: str, text: str) -> None:
        doc.add_heading(heading, level=2)
        for paragraph in text.split("\n"):
            doc.add_paragraph(paragraph)

    section("1. Review period", context["period"])
    doc.add_heading("2. Agencies in scope", level=2)
    for name in context["agencies"] or ["None recorded"]:
        doc.add_paragraph(name, style="List Bullet")
    doc.add_heading("3. Key lines of enquiry", level=2)
    for text in context["lines"] or ["None recorded"]:
        doc.add_paragraph(text, style="List Number")
    section("4. Methodology", context["methodology"])
    if context["methodology_notes"]:
        doc.add_paragraph(context["methodology_notes"])
    section("5. Family engagement plan", context["family_engagement"])
    doc.add_heading("6. Parallel processes", level=2)
    if context["parallel"]:
        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, ("Process", "Status", "Next expected date", "Expected to end", "Notes"), strict=True
        ):
            cell.text = text
        for p in context["parallel"]:
            row = table.add_row().cells
            for cell, key in zip(row, ("kind", "status", "next_date", "expected_end", "notes"), strict=True):
                cell.text = p[key]
    else:
        doc.add_paragraph("None known.")
    section("7. Timetable", context["timetable"])
    section("8. Governance", context["governance"])
    doc.add_heading("9. Approval", level=2)
    if context["approved_on"]:
        doc.add_paragraph(f"Approved by {context['approved_by']} on {context['approved_on']}.")
    else:
        doc.add_paragraph(f"To be approved by {context['approved_by']}.")
    for a in context["approvals"]:
        doc.add_paragraph(f"{a['role']}: {a['name']}{', ' + a['date'] if a['date'] else ''}")
    about = f"Terms of reference of the {context['review'].lower()}"
    stamp(
        doc,
        title=f"Terms of reference, {context['reference']}",
        author=context["partnership"],
        subject=about,
        on=timezone.localdate(),
    )
    out = io.BytesIO()
    doc.save(out)
    return steady(out.getvalue())


def render_pdf(context: dict[str, Any]) -> bytes:
    context = {**context, "doc_title": f"Terms of reference, {context['reference']}"}
    return render_pdf_parts([("localreviews/pdf/terms.html", context)])


def terms_document_generate(*, terms: TermsOfReference, actor: User, fmt: str) -> Document:
    """A new version of the terms in one format, kept on the case."""
    label, content_type = FORMATS[fmt]
    context = terms_context(terms)
    data = render_docx(context) if fmt == "docx" else render_pdf(context)
    state = "approved" if terms.status == TermsStatus.APPROVED else "draft"
    return document_store(
        case=terms.review.case,
        actor=actor,
        title=f"Terms of reference, {state}, version {terms.version} ({label})",
        name=f"terms-of-reference-{terms.review.case.reference}-v{terms.version}.{fmt}",
        data=data,
        content_type=content_type,
        topic=TOPIC,
    )
