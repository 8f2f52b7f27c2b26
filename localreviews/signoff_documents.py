"""What goes to the Panel and the Secretary of State: the covering letter (sending the final report
ahead of publication) and the notice of a delay's reasons, each kept as DOCX and tagged PDF, and the
PDF of the report version (or of the improvements-only information) sent with the letter.

The letters reuse the notices' paper (localreviews/notice_letter.py): heading, date, addressees,
the words as the coordinator left them. Nothing names the child: the case is its pseudonym.
"""

import datetime as dt
from typing import Any

from accounts.models import User
from documents.models import Document
from documents.rendering.pdf import render_pdf_parts
from documents.services import document_store
from localreviews import notice_letter
from localreviews.models import LocalReview, NationalBody
from localreviews.report_models import ReportSection
from localreviews.signoff_models import FinalReport, SentWhat

TOPIC = "local_review_sent_ahead"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Who the report goes to ahead of publication (domain.md §4.8), and how the letter names them.
BODIES = {
    NationalBody.PANEL: "Child Safeguarding Practice Review Panel",
    NationalBody.DFE: "Secretary of State for Education (Department for Education)",
}
TO_BOTH = "the Child Safeguarding Practice Review Panel and the Secretary of State for Education"


def _d(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def _contact(coordinator: User, partnership: str) -> str:
    return (
        f"If you have any questions, please contact {coordinator.display_name}, review coordinator, "
        f"at {coordinator.email}.\n\nYours faithfully,\n\n{coordinator.display_name}\n"
        f"Review coordinator, {partnership}"
    )


def sent_ahead_subject(review: LocalReview, what: str) -> str:
    case = review.case
    sent = "Final report" if what == SentWhat.REPORT else "Information about improvements"
    return f"{sent} ahead of publication: {review.kind_label}, {case.title} ({case.partnership.name})"


def sent_ahead_draft(
    review: LocalReview, final: FinalReport, what: str, coordinator: User, *, sent_on: dt.date, earliest: dt.date
) -> str:
    """The covering letter's words from the record, for the coordinator to check and change."""
    case = review.case
    partnership = case.partnership.name
    kind = review.kind_label[0].lower() + review.kind_label[1:]
    if what == SentWhat.REPORT:
        sent = (
            f"we enclose the final report of the {kind} in the case of {case.title}, as approved by the "
            f"safeguarding partners (draft {final.report_version.number})"
        )
        plan = f"The partners intend to publish the report no earlier than {_d(earliest)}"
    else:
        sent = (
            f"the partners have decided that the report of the {kind} in the case of {case.title} will not be "
            "published in full. We enclose the information about the improvements that should be made, "
            "which they intend to publish instead"
        )
        plan = f"The partners intend to publish that information no earlier than {_d(earliest)}"
    return (
        f"Dear colleagues,\n\nOn behalf of the safeguarding partners of {partnership}, {sent}.\n\n"
        f"{plan}, 7 working days after this letter ({_d(sent_on)}). Please let us know before then if you "
        "have any concerns about its publication.\n\n"
        f"{_contact(coordinator, partnership)}"
    )


def delay_subject(review: LocalReview) -> str:
    case = review.case
    return f"Publication delayed: {review.kind_label}, {case.title} ({case.partnership.name})"


def delay_draft(review: LocalReview, coordinator: User, *, reasons: str) -> str:
    case = review.case
    partnership = case.partnership.name
    kind = review.kind_label[0].lower() + review.kind_label[1:]
    why = reasons.strip() or "[the reasons for the delay]"
    return (
        f"Dear colleagues,\n\nThe safeguarding partners of {partnership} are telling {TO_BOTH} that they "
        f"have decided to delay the publication of the report of the {kind} in the case of {case.title}.\n\n"
        f"The reasons are:\n{why}\n\nWe will write again when the partners set a date for publication.\n\n"
        f"{_contact(coordinator, partnership)}"
    )


def letter_documents(
    *,
    review: LocalReview,
    actor: User,
    title: str,
    stem: str,
    sent_on: dt.date,
    recipients: dict[str, str],
    text: str,
) -> tuple[Document, Document]:
    """The letter as DOCX and tagged PDF, kept on the case."""
    paper = notice_letter.Letter(
        title=title,
        partnership=review.case.partnership.name,
        sent_on=sent_on,
        recipients=[(BODIES[NationalBody(body)], email) for body, email in recipients.items()],
        text=text,
    )
    common: dict[str, Any] = {"case": review.case, "actor": actor, "title": f"{title}, {_d(sent_on)}", "topic": TOPIC}
    docx = document_store(**common, name=f"{stem}.docx", data=notice_letter.letter_docx(paper), content_type=DOCX)
    pdf = document_store(
        **common, name=f"{stem}.pdf", data=notice_letter.letter_pdf(paper), content_type="application/pdf"
    )
    return docx, pdf


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def sent_document(
    *,
    review: LocalReview,
    final: FinalReport,
    actor: User,
    what: str,
    improvements: str,
    sent_on: dt.date,
    earliest: dt.date,
) -> Document:
    """The PDF sent with the letter: the approved version's sections, or the improvements-only
    information. A version uploaded as a Word document is sent as it was uploaded (reused)."""
    version = final.report_version
    if what == SentWhat.REPORT and version.document is not None and not any(version.sections.values()):
        return version.document
    case = review.case
    if what == SentWhat.REPORT:
        title = f"Final report: {review.kind_label}, {case.reference}"
        sections = [(str(s.label), _paragraphs(version.sections.get(s.value, ""))) for s in ReportSection]
        line = f"Draft {version.number}, approved as the final report."
        stem = f"{case.reference}-final-report-draft-{version.number}"
    else:
        title = f"Information about improvements: {review.kind_label}, {case.reference}"
        sections = [("The improvements that should be made", _paragraphs(improvements))]
        line = f"From the final report (draft {version.number})."
        stem = f"{case.reference}-improvements"
    data = render_pdf_parts(
        [
            (
                "localreviews/pdf/final_report.html",
                {
                    "doc_title": title,
                    "partnership": case.partnership.name,
                    "reference": case.reference,
                    "title": case.title,
                    "review": review.kind_label,
                    "version_line": line,
                    "sent_on": _d(sent_on),
                    "earliest": _d(earliest),
                    "sections": sections,
                },
            )
        ]
    )
    return document_store(
        case=case,
        actor=actor,
        title=f"{title} (sent {_d(sent_on)})",
        name=f"{stem}-sent-{sent_on:%Y-%m-%d}.pdf",
        data=data,
        content_type="application/pdf",
        topic=TOPIC,
    )
