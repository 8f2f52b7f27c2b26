"""The letter of a notice to the national bodies (domain.md §4.1): drafted by the service from the
record, edited by the coordinator, and kept as DOCX and tagged PDF on the case.

The letter names the case by its pseudonym (`case.title`), never the child's name; it says what the
partners decided and when, that the methodology is yet to be set in the terms of reference, the
reviewer(s) for the second notice, the delays and their reasons for the notice of delay (to the
Panel and the Secretary of State only), and who to contact (the coordinator sending it).
"""

import datetime as dt
import io
from dataclasses import dataclass

from docx import Document as DocxDocument

from accounts.models import User
from clocks.models import Clock
from documents.rendering.pdf import render_pdf_parts
from localreviews.clock_rules import SIX_MONTHS
from localreviews.models import Delay, LocalReview, NationalBody, NoticeKind, Reviewer
from rapidreviews.rendering.docx_files import stamp, steady
from referrals.models import SeriousIncidentNotification

TO_ALL = "the Child Safeguarding Practice Review Panel, Ofsted and the Department for Education"


def _d(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def _kind_words(review: LocalReview) -> str:
    """'local child safeguarding practice review (LCSPR)', 'alternative learning review (thematic review)'."""
    label = review.kind_label
    return label[0].lower() + label[1:]


def subject(review: LocalReview, kind: str) -> str:
    case = review.case
    what = {NoticeKind.REVIEWER: "Reviewer appointed", NoticeKind.DELAY: "Review delayed"}.get(
        NoticeKind(kind), "Review being held"
    )
    return f"{what}: {review.kind_label}, {case.title} ({case.partnership.name})"


def _reviewer_line(reviewer: Reviewer) -> str:
    return (
        f"{reviewer.name}, {reviewer.organisation} ({reviewer.get_employment_display().lower()}), "
        f"appointed from {_d(reviewer.agreement_starts)} to {_d(reviewer.agreement_ends)}"
    )


def _delay_line(delay: Delay) -> str:
    until = f", expected to end by {_d(delay.expected_until)}" if delay.expected_until else ""
    paused = " The review's 6 months are paused while it lasts." if delay.paused_clock else ""
    return f"- {delay.get_reason_display()}, since {_d(delay.starts_on)}{until}: {delay.text}{paused}"


def draft(
    review: LocalReview,
    kind: str,
    coordinator: User,
    *,
    reviewers: list[Reviewer],
    commissioned_on: dt.date | None = None,
    delays: list[Delay] | None = None,
) -> str:
    """The letter's words from the record, for the coordinator to check and change: `reviewers` are
    the review's, and `commissioned_on` when the first notice went, if it did (the second notice
    then refers to it); `delays` those holding the review, for the notice of delay."""
    case = review.case
    partnership = case.partnership.name
    due = Clock.objects.filter(case=case, rule=SIX_MONTHS).order_by("-id").first()
    sin = (
        SeriousIncidentNotification.objects.filter(case=case, to_panel=True)
        .values_list("panel_reference", flat=True)
        .first()
    )
    held = f"a {_kind_words(review)} in the case of {case.title}"
    decided = f"The partners decided on the review on {_d(review.decided_on)}"
    by = f", and it is to be completed and published by {_d(due.effective_due)}" if due else ""
    reference = f"The Panel's reference for the serious incident notification is {sin}.\n\n" if sin else ""
    method = "The methodology has not been decided yet: the review's terms of reference will set it out."
    contact = (
        f"If you have any questions, please contact {coordinator.display_name}, review coordinator, "
        f"at {coordinator.email}.\n\nYours faithfully,\n\n{coordinator.display_name}\n"
        f"Review coordinator, {partnership}"
    )
    if kind == NoticeKind.DELAY:
        holding = [d for d in delays or [] if d.ended_on is None] or list(delays or [])
        reasons = "\n".join(_delay_line(d) for d in holding) or "- Not recorded"
        due_words = f" by {_d(due.effective_due)}" if due else " within 6 months of the decision"
        return (
            f"Dear colleagues,\n\nThe safeguarding partners of {partnership} are holding {held}. "
            f"{decided}.\n\n{reference}"
            f"We are writing to the Child Safeguarding Practice Review Panel and the Secretary of State to tell you "
            f"that the review cannot be completed and published{due_words}, and why:\n{reasons}\n\n"
            "We will tell you when the review can move on, and will send the final report before it is "
            f"published.\n\n{contact}"
        )
    if kind == NoticeKind.REVIEWER:
        who = "reviewers" if len(reviewers) > 1 else "reviewer"
        earlier = (
            f"We wrote on {_d(commissioned_on)} to tell you that the safeguarding partners of {partnership} "
            f"are holding {held}."
            if commissioned_on
            else f"The safeguarding partners of {partnership} are holding {held}."
        )
        names = "\n".join(f"- {_reviewer_line(r)}" for r in reviewers) or "- Not yet appointed"
        return (
            f"Dear colleagues,\n\n{earlier} {decided}{by}.\n\n{reference}"
            f"The partners have appointed the review's {who}:\n{names}\n\n{method}\n\n{contact}"
        )
    return (
        f"Dear colleagues,\n\nThe safeguarding partners of {partnership} are telling {TO_ALL} that they are "
        f"holding {held}.\n\n{decided} ({review.get_decided_when_display().lower()}){by}.\n\n{reference}"
        f"{method} We will write again with the name of the reviewer once appointed.\n\n{contact}"
    )


@dataclass(frozen=True)
class Letter:
    """What both files show: the letter as sent, with its heading, date and addressees."""

    title: str
    partnership: str
    sent_on: dt.date
    recipients: list[tuple[str, str]]  # (body, email)
    text: str

    @property
    def paragraphs(self) -> list[list[str]]:
        """Paragraphs (split on blank lines), each a list of its lines."""
        blocks = [b.strip("\n") for b in self.text.replace("\r\n", "\n").split("\n\n")]
        return [b.split("\n") for b in blocks if b.strip()]


def letter_for(review: LocalReview, kind: str, *, sent_on: dt.date, recipients: dict[str, str], text: str) -> Letter:
    return Letter(
        title=subject(review, kind),
        partnership=review.case.partnership.name,
        sent_on=sent_on,
        recipients=[(str(NationalBody(body).label), email) for body, email in recipients.items()],
        text=text,
    )


def letter_docx(letter: Letter) -> bytes:
    doc = DocxDocument()
    stamp(doc, title=letter.title, author=letter.partnership, subject=letter.title, on=letter.sent_on)
    doc.add_paragraph(letter.partnership)
    doc.add_paragraph(_d(letter.sent_on))
    to = doc.add_paragraph("To: ")
    for number, (body, email) in enumerate(letter.recipients):
        to.add_run(f"{body} ({email})" + ("; " if number < len(letter.recipients) - 1 else ""))
    doc.add_heading(letter.title, level=1)
    for lines in letter.paragraphs:
        paragraph = doc.add_paragraph()
        for number, line in enumerate(lines):
            run = paragraph.add_run(line)
            if number < len(lines) - 1:
                run.add_break()
    out = io.BytesIO()
    doc.save(out)
    return steady(out.getvalue())


def letter_pdf(letter: Letter) -> bytes:
    return render_pdf_parts([("localreviews/pdf/notice.html", {"letter": letter})])
