"""The final report's sign-off, sending it ahead of publication and the publication decision
(issue 15, part 10; domain.md §4.8-4.9). Every change of where the review stands is a step of its
table (localreviews/workflow.py, steps in signoff_workflow.py): the version check, the history row
and the audit event, in the same transaction as what the step records."""

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import COMMENTING_ROLES, DELEGATE_ROLES, Role
from audit.models import Verb
from audit.services import audit_record
from cases.workflow_engine import TransitionError, take
from clocks.calendar import holiday_dates
from clocks.models import Clock
from clocks.services import clock_meet, clock_start
from core.workdays import add_working_days
from localreviews.clock_rules import PUBLICATION_EARLIEST
from localreviews.models import LocalReview, LocalReviewStatus, NationalBody
from localreviews.plan import Requirement, requires
from localreviews.policies import LocalReviewChecker
from localreviews.report_models import ReportVersion
from localreviews.signoff_documents import (
    delay_subject,
    letter_documents,
    sent_ahead_subject,
    sent_document,
)
from localreviews.signoff_models import (
    FinalDecision,
    FinalReport,
    FinalReportStep,
    Publication,
    PublicationDecision,
    SentAhead,
    SentWhat,
)
from localreviews.signoff_state import current_final, sign_off_state
from localreviews.workflow import LOCAL_REVIEW_WORKFLOW
from notifications.emails import Email, email_render
from notifications.models import MessageKind
from notifications.services import message_send

# The report goes to the Panel and the Secretary of State at least 7 working days before it is
# published (domain.md §4.8), counted on the England and Wales calendar.
WORKING_DAYS_AHEAD = 7
RECIPIENTS = (NationalBody.PANEL, NationalBody.DFE)


class SignOffError(Exception):
    """What stops the step, in words for the page."""


def earliest_publication_date(sent_on: dt.date) -> dt.date:
    """The 7th working day after the sending (day 0), England and Wales bank holidays skipped."""
    return add_working_days(sent_on, WORKING_DAYS_AHEAD, holiday_dates())


def latest_sent_ahead(review: LocalReview) -> SentAhead | None:
    prefetched = getattr(review, "_prefetched_objects_cache", {}).get("sent_ahead")
    if prefetched is not None:
        sent = list(prefetched)
        return sent[-1] if sent else None
    return review.sent_ahead.order_by("-created_at", "-id").first()


def _take(review: LocalReview, step: str, actor: User, expected_version: int, **kwargs: object) -> None:
    try:
        take(LOCAL_REVIEW_WORKFLOW, review, step, actor=actor, expected_version=expected_version, **kwargs)  # type: ignore[arg-type]
    except TransitionError as error:
        raise SignOffError(str(error)) from None


def final_report_put_forward(
    *, review: LocalReview, actor: User, version: ReportVersion, expected_version: int, note: str = ""
) -> FinalReport:
    """The coordinator puts a kept version forward as the final report: to the three partners for
    approval (an LCSPR), or agreed there and then (an alternative review). Any version put forward
    after another starts approval again."""
    if version.review_id != review.pk:
        raise SignOffError("Select a version of this review's report")
    by_partners = requires(review.kind, Requirement.REPORT_BY_PARTNERS)
    with transaction.atomic():
        final = FinalReport.objects.create(
            review=review, report_version=version, note=note.strip(), put_forward_by=actor
        )
        _take(
            review,
            "report_put_forward" if by_partners else "report_agree",
            actor,
            expected_version,
            note=note.strip(),
            details={"report_version": version.number},
            context={"final": final},
        )
        if by_partners:
            message_send(
                recipients=_partnership_people(review, (*DELEGATE_ROLES, *COMMENTING_ROLES)),
                **_email(
                    Email.FINAL_REPORT_PUT_FORWARD,
                    {"case": review.case, "actor": actor, "version": version, "kind_words": review.kind_words},
                ),
                case=review.case,
                actor=actor,
                kind=MessageKind.DECISION,
                dedupe_key=f"lr-final-report-{final.pk}",
            )
    return final


def _partnership_people(review: LocalReview, roles: tuple[Role, ...]) -> list[User]:
    return list(
        User.objects.filter(
            memberships__partnership_id=review.case.partnership_id,
            memberships__role__in=roles,
            memberships__active=True,
        ).distinct()
    )


def final_report_step(
    *, review: LocalReview, actor: User, role: Role, decision: FinalDecision, comments: str = ""
) -> FinalReportStep:
    """A partner's delegate approves the final report or asks for changes (saying what should
    change); the scrutineer or the chair comments. The third approval approves the report."""
    if role not in LocalReviewChecker(actor, review.case).report_sign_off_roles:
        raise SignOffError("You do not take part in the final report's sign-off in that role")
    if role in DELEGATE_ROLES and decision == FinalDecision.COMMENT:
        raise SignOffError("Select whether you approve the final report")
    if role not in DELEGATE_ROLES and decision != FinalDecision.COMMENT:
        raise SignOffError("The independent scrutineer and the chair comment; they do not approve the report")
    if decision != FinalDecision.APPROVED and not comments.strip():
        raise SignOffError(
            "Enter the changes you are asking for" if decision == FinalDecision.CHANGES else "Enter your comments"
        )
    with transaction.atomic():
        current = LocalReview.objects.select_for_update().select_related("case").get(pk=review.pk)
        if current.status != LocalReviewStatus.REPORT_AWAITING_APPROVAL:
            raise SignOffError("The final report is not awaiting approval")
        state = sign_off_state(current)
        assert state.final is not None  # awaiting approval: a version was put forward
        latest = state.latest.get(role)
        if decision == FinalDecision.APPROVED and latest is not None and latest.decision == FinalDecision.APPROVED:
            raise SignOffError(f"You approved this final report on {timezone.localtime(latest.at):%-d %B %Y}")
        step = FinalReportStep.objects.create(
            final=state.final, role=role, decision=decision, comments=comments.strip(), actor=actor
        )
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=current,
            case=current.case,
            details={
                "summary": f"Final report: {Role(role).label}, {step.get_decision_display().lower()}",
                "report_version": state.final.report_version.number,
            },
        )
        if decision == FinalDecision.CHANGES:
            _take(current, "report_changes_asked", actor, current.version, note=comments.strip())
        elif decision == FinalDecision.APPROVED and sign_off_state(current, state.final).approved_by_all:
            _take(current, "report_approved", actor, current.version, context={"final": state.final})
        if decision != FinalDecision.APPROVED or current.status == LocalReviewStatus.REPORT_APPROVED:
            message_send(
                recipients=[state.final.put_forward_by],
                **_email(
                    Email.FINAL_REPORT_STEP,
                    {
                        "case": current.case,
                        "actor": actor,
                        "role_label": Role(role).label,
                        "step": step.get_decision_display().lower(),
                        "comments": comments.strip(),
                        "approved": current.status == LocalReviewStatus.REPORT_APPROVED,
                    },
                ),
                case=current.case,
                actor=actor,
                kind=MessageKind.DECISION,
            )
    for attribute in ("status", "version"):
        setattr(review, attribute, getattr(current, attribute))
    return step


def _check_recipients(recipients: dict[str, str]) -> dict[str, str]:
    cleaned: dict[str, str] = {str(body): recipients.get(body, "").strip() for body in RECIPIENTS}
    for body, email in cleaned.items():
        label = "Panel" if body == NationalBody.PANEL else "Secretary of State"
        if not email:
            raise SignOffError(f"Enter the email address of the {label}")
        try:
            validate_email(email)
        except ValidationError:
            raise SignOffError(f"Enter the email address of the {label} in the correct format") from None
    return cleaned


@dataclass(frozen=True)
class Sending:
    what: SentWhat
    sent_on: dt.date
    recipients: dict[str, str]
    letter: str
    improvements: str = ""


def send_ahead(
    *, review: LocalReview, actor: User, sending: Sending, expected_version: int, token: str = ""
) -> tuple[SentAhead, bool]:
    """Records sending the approved final report (or the improvements-only information) to the Panel
    and the Secretary of State: the PDF sent and the letter (DOCX and tagged PDF) kept on the case,
    the letter emailed, the earliest publication date worked out and shown in "what's due". Returns
    it and whether it was recorded now (False: this form had recorded it already)."""
    if token and (earlier := review.sent_ahead.filter(client_token=token).first()) is not None:
        return earlier, False
    recipients = _check_recipients(sending.recipients)
    if not sending.letter.strip():
        raise SignOffError("Enter the letter")
    if sending.what == SentWhat.IMPROVEMENTS and not sending.improvements.strip():
        raise SignOffError("Enter the information about improvements")
    if sending.sent_on > timezone.localdate():
        raise SignOffError("The date sent must be today or in the past")
    final = current_final(review)
    if final is None or final.approved_at is None:
        raise SignOffError("The final report has not been approved")
    if sending.sent_on < timezone.localdate(final.approved_at):
        raise SignOffError(
            f"The date sent must be on or after the report was approved ({timezone.localdate(final.approved_at):%-d %B %Y})"
        )
    earliest = earliest_publication_date(sending.sent_on)
    case = review.case
    with transaction.atomic():
        LocalReview.objects.select_for_update().filter(pk=review.pk).first()
        if token and (earlier := review.sent_ahead.filter(client_token=token).first()) is not None:
            return earlier, False
        reused = (
            SentAhead.objects.filter(review=review, final=final, what=SentWhat.REPORT)
            .select_related("document")
            .first()
            if sending.what == SentWhat.REPORT
            else None
        )
        document = (
            reused.document
            if reused is not None
            else sent_document(
                review=review,
                final=final,
                actor=actor,
                what=sending.what,
                improvements=sending.improvements,
                sent_on=sending.sent_on,
                earliest=earliest,
            )
        )
        title = sent_ahead_subject(review, sending.what)
        docx, pdf = letter_documents(
            review=review,
            actor=actor,
            title=title,
            stem=f"{case.reference}-sent-ahead-{sending.sent_on:%Y-%m-%d}",
            sent_on=sending.sent_on,
            recipients=recipients,
            text=sending.letter.strip(),
        )
        sent = SentAhead.objects.create(
            review=review,
            final=final,
            what=sending.what,
            improvements=sending.improvements.strip() if sending.what == SentWhat.IMPROVEMENTS else "",
            sent_on=sending.sent_on,
            earliest_publication=earliest,
            recipients=[{"body": body, "email": email} for body, email in recipients.items()],
            letter=sending.letter.strip(),
            document=document,
            letter_docx=docx,
            letter_pdf=pdf,
            sent_by=actor,
            client_token=token,
        )
        _take(
            review,
            "report_sent_ahead",
            actor,
            expected_version,
            details={
                "what": str(sending.what),
                "sent_on": sending.sent_on.isoformat(),
                "earliest_publication": earliest.isoformat(),
                "to": list(recipients.values()),
            },
        )
        audit_record(
            actor=actor,
            verb=Verb.SEND,
            target=sent,
            case=case,
            details={
                "summary": f"{SentWhat(sending.what).label} sent to the Panel and the Secretary of State on "
                f"{sending.sent_on:%-d %B %Y}: publication no earlier than {earliest:%-d %B %Y}",
                "earliest_publication": earliest.isoformat(),
            },
        )
        clock_start(case=case, rule=PUBLICATION_EARLIEST, start_date=sending.sent_on, actor=actor, owner=actor)
        message_send(
            recipients=list(recipients.values()),
            subject=title,
            body=sending.letter.strip(),
            case=case,
            actor=actor,
            kind=MessageKind.GENERAL,
            dedupe_key=f"lr-sent-ahead-{sent.pk}",
        )
    return sent, True


STEP_OF = {
    Publication.PUBLISH: "publication_publish",
    Publication.IMPROVEMENTS: "publication_improvements",
    Publication.DELAY: "publication_delay",
}


@dataclass(frozen=True)
class Deciding:
    decision: Publication
    decided_on: dt.date
    planned_on: dt.date | None = None
    reasons: str = ""
    recipients: dict[str, str] | None = None  # a delay's notice
    letter: str = ""


def publication_refusal(review: LocalReview, deciding: Deciding) -> str | None:
    """What is wrong with the decision as entered, in words for the page, or None."""
    sent = latest_sent_ahead(review)
    if deciding.decided_on > timezone.localdate():
        return "The date of the decision must be today or in the past"
    if deciding.decision == Publication.PUBLISH:
        if deciding.planned_on is None:
            return "Enter the planned publication date"
        if sent is not None and deciding.planned_on < sent.earliest_publication:
            return (
                "The planned publication date must be on or after "
                f"{sent.earliest_publication:%-d %B %Y}, 7 working days after the report went to the Panel "
                "and the Secretary of State"
            )
        if deciding.planned_on < deciding.decided_on:
            return "The planned publication date must be on or after the date of the decision"
    if deciding.decision in (Publication.DELAY, Publication.IMPROVEMENTS) and not deciding.reasons.strip():
        return (
            "Enter the reasons for the delay"
            if deciding.decision == Publication.DELAY
            else "Enter why only the information about improvements will be published"
        )
    return None


def publication_decide(
    *, review: LocalReview, actor: User, deciding: Deciding, expected_version: int, token: str = ""
) -> tuple[PublicationDecision, bool]:
    """Records the partners' publication decision. To publish, the planned date is refused if it is
    before the earliest publication date; to delay, the reasons go to the Panel and the Secretary of
    State as a notice (DOCX and tagged PDF kept on the case, emailed). The publishing itself is the
    publication stage's."""
    if token and (earlier := review.publication_decisions.filter(client_token=token).first()) is not None:
        return earlier, False
    if refused := publication_refusal(review, deciding):
        raise SignOffError(refused)
    delay = deciding.decision == Publication.DELAY
    recipients = _check_recipients(deciding.recipients or {}) if delay else {}
    if delay and not deciding.letter.strip():
        raise SignOffError("Enter the letter")
    case = review.case
    with transaction.atomic():
        LocalReview.objects.select_for_update().filter(pk=review.pk).first()
        if token and (earlier := review.publication_decisions.filter(client_token=token).first()) is not None:
            return earlier, False
        record = PublicationDecision.objects.create(
            review=review,
            decision=deciding.decision,
            planned_on=deciding.planned_on if deciding.decision == Publication.PUBLISH else None,
            reasons=deciding.reasons.strip(),
            decided_on=deciding.decided_on,
            recipients=[{"body": body, "email": email} for body, email in recipients.items()],
            letter=deciding.letter.strip() if delay else "",
            decided_by=actor,
            client_token=token,
        )
        _take(
            review,
            STEP_OF[deciding.decision],
            actor,
            expected_version,
            note=deciding.reasons.strip(),
            details={
                "decision": str(deciding.decision),
                "decided_on": deciding.decided_on.isoformat(),
                **({"planned_on": record.planned_on.isoformat()} if record.planned_on else {}),
            },
        )
        if delay:
            title = delay_subject(review)
            record.letter_docx, record.letter_pdf = letter_documents(
                review=review,
                actor=actor,
                title=title,
                stem=f"{case.reference}-publication-delay-{deciding.decided_on:%Y-%m-%d}",
                sent_on=deciding.decided_on,
                recipients=recipients,
                text=record.letter,
            )
            record.save(update_fields=["letter_docx", "letter_pdf"])
            audit_record(
                actor=actor,
                verb=Verb.SEND,
                target=record,
                case=case,
                details={
                    "summary": f"Notice of the reasons for delaying publication sent to the Panel and the "
                    f"Secretary of State on {deciding.decided_on:%-d %B %Y}",
                    "to": list(recipients.values()),
                },
            )
            message_send(
                recipients=list(recipients.values()),
                subject=title,
                body=record.letter,
                case=case,
                actor=actor,
                kind=MessageKind.GENERAL,
                dedupe_key=f"lr-publication-delay-{record.pk}",
            )
        clock = Clock.objects.filter(case=case, rule=PUBLICATION_EARLIEST, status__in=("open", "extended")).first()
        if clock is not None and deciding.decided_on >= clock.start_date:
            clock_meet(case=case, rule=PUBLICATION_EARLIEST, on=deciding.decided_on, actor=actor)
    return record, True


class _Words(TypedDict):
    subject: str
    body: str


def _email(kind: Email, context: dict[str, Any]) -> _Words:
    """The subject and body of one of the final report's emails, from its templates (templates/emails)."""
    subject, body = email_render(kind, context)
    return _Words(subject=subject, body=body)
