"""Sending a notice to the national bodies: the Panel, Ofsted and DfE are told that a local review
is being held, then the reviewer's name (domain.md §4.1); and, when the 6 months cannot be met, the
Panel and the Secretary of State (DfE) are told the reasons for the delay (§4.7). One transaction records the notice, keeps
its letter on the case as DOCX and tagged PDF, writes its step in the case's history and emails each
body the letter. The same form sent twice (its token) sends once."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.models import Verb
from audit.services import audit_record
from documents.services import document_store
from localreviews import notice_letter
from localreviews.models import Delay, LocalReview, NationalBody, Notice, NoticeKind, Reviewer
from notifications.models import MessageKind
from notifications.services import message_send

# The topic of the letters on the case (documents.policies): read by those who read the review.
TOPIC = "local_review_notice"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# Who each notice goes to: the reasons for delay go to the Panel and the Secretary of State only.
BODIES: dict[str, tuple[NationalBody, ...]] = {
    NoticeKind.COMMISSIONED: tuple(NationalBody),
    NoticeKind.REVIEWER: tuple(NationalBody),
    NoticeKind.DELAY: (NationalBody.PANEL, NationalBody.DFE),
}
TO_WORDS = {
    NoticeKind.COMMISSIONED: "the Panel, Ofsted and DfE",
    NoticeKind.REVIEWER: "the Panel, Ofsted and DfE",
    NoticeKind.DELAY: "the Panel and the Secretary of State (DfE)",
}
STEMS = {NoticeKind.COMMISSIONED: "review", NoticeKind.REVIEWER: "reviewer", NoticeKind.DELAY: "delay"}


def bodies_for(kind: str) -> tuple[NationalBody, ...]:
    return BODIES[NoticeKind(kind)]


class NoticeError(Exception):
    """What stops the notice, in words for the page."""


def addresses_to_offer(review: LocalReview, notices: list[Notice]) -> dict[str, str]:
    """Each body's address: as on the partnership's last notice (this review's own `notices` first),
    else the service's setting, else ""."""
    if notices:
        last = max(notices, key=lambda n: (n.sent_on, n.pk)).recipients
    else:
        last = (
            Notice.objects.filter(review__case__partnership_id=review.case.partnership_id)
            .order_by("-sent_on", "-id")
            .values_list("recipients", flat=True)
            .first()
        )
    given = {r.get("body"): r.get("email", "") for r in last or [] if isinstance(r, dict)}
    configured = getattr(settings, "NATIONAL_BODY_EMAILS", {}) or {}
    return {body: given.get(body) or configured.get(body, "") for body in NationalBody.values}


def commissioned_on(notices: list[Notice]) -> dt.date | None:
    """When the first notice went, of the review's `notices`."""
    return min((n.sent_on for n in notices if n.kind == NoticeKind.COMMISSIONED), default=None)


def refusal(kind: str, reviewers: list[Reviewer], delays: list[Delay] | None = None) -> str | None:
    """Why this notice cannot be sent yet, given the review's reviewers and delays, or None."""
    if kind == NoticeKind.REVIEWER and not reviewers:
        return "Record the reviewer's appointment before telling the national bodies their name"
    if kind == NoticeKind.DELAY and not delays:
        return "Record the delay and its reasons before telling the Panel and the Secretary of State"
    return None


def _check(review: LocalReview, kind: str, recipients: dict[str, str], letter: str, sent_on: dt.date) -> None:
    if refused := refusal(kind, list(review.reviewers.all()), list(review.delays.all())):
        raise NoticeError(refused)
    for body in bodies_for(kind):
        email = recipients.get(body, "").strip()
        if not email:
            raise NoticeError(f"Enter the email address of the {body.label}")
        try:
            validate_email(email)
        except ValidationError:
            raise NoticeError(f"Enter the email address of the {body.label} in the correct format") from None
    if not letter.strip():
        raise NoticeError("Enter the letter")
    if sent_on > timezone.localdate():
        raise NoticeError("The date the notice was sent must be today or in the past")
    if sent_on < review.decided_on:
        raise NoticeError(
            f"The date the notice was sent must be on or after the partners' decision ({review.decided_on:%-d %B %Y})"
        )


def notice_send(
    *,
    review: LocalReview,
    kind: NoticeKind,
    actor: User,
    recipients: dict[str, str],
    letter: str,
    sent_on: dt.date,
    token: str = "",
) -> tuple[Notice, bool]:
    """Records and sends the notice; returns it and whether it was sent now (False: this form had
    sent it already)."""
    recipients = {body: recipients.get(body, "").strip() for body in bodies_for(kind)}
    _check(review, kind, recipients, letter, sent_on)
    if token and (earlier := Notice.objects.filter(review=review, client_token=token).first()) is not None:
        return earlier, False
    case = review.case
    paper = notice_letter.letter_for(review, kind, sent_on=sent_on, recipients=recipients, text=letter)
    docx, pdf = notice_letter.letter_docx(paper), notice_letter.letter_pdf(paper)
    label = NoticeKind(kind).label
    with transaction.atomic():
        # One notice at a time on this review, so the same form sent twice at once sends once.
        LocalReview.objects.select_for_update().filter(pk=review.pk).first()
        if token and (earlier := Notice.objects.filter(review=review, client_token=token).first()) is not None:
            return earlier, False
        notice = Notice.objects.create(
            review=review,
            kind=kind,
            sent_on=sent_on,
            recipients=[{"body": body, "email": email} for body, email in recipients.items()],
            letter=letter.strip(),
            sent_by=actor,
            client_token=token,
        )
        stem = f"{case.reference}-{STEMS[NoticeKind(kind)]}-notice-{sent_on:%Y-%m-%d}"
        common: dict[str, Any] = {"case": case, "actor": actor, "title": f"{label}, {sent_on:%-d %B %Y}"}
        notice.letter_docx = document_store(**common, name=f"{stem}.docx", data=docx, content_type=DOCX, topic=TOPIC)
        notice.letter_pdf = document_store(
            **common, name=f"{stem}.pdf", data=pdf, content_type="application/pdf", topic=TOPIC
        )
        notice.save(update_fields=["letter_docx", "letter_pdf"])
        audit_record(
            actor=actor,
            verb=Verb.SEND,
            target=notice,
            case=case,
            details={
                "summary": f"{label}: sent to {TO_WORDS[NoticeKind(kind)]} on {sent_on:%-d %B %Y}",
                "kind": str(kind),
                "sent_on": sent_on.isoformat(),
                "to": [r["email"] for r in notice.recipients],
            },
        )
        message_send(
            recipients=list(recipients.values()),
            subject=paper.title,
            body=letter.strip(),
            case=case,
            actor=actor,
            kind=MessageKind.GENERAL,
            dedupe_key=f"local-review-notice-{notice.pk}",
        )
    return notice, True
