"""Factual accuracy rounds: sending a kept version of the report to agencies with a deadline, their
comments by section, the reviewer's replies and decisions, and closing the round.

A comment is its own row, written once: two people commenting at the same moment write two rows,
and neither can lose the other's words. Changing a comment, and deciding on one, carry the
comment's version: a change made on a stale page is refused and the page keeps what was typed.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, User
from accounts.roles import Role
from audit.models import Verb
from audit.services import audit_record
from cases.models import Case
from cases.workflow_engine import TransitionError, take
from clocks.calendar import holiday_dates, settings_for
from clocks.rules import compute_due
from clocks.services import clock_start
from localreviews.accuracy_models import AccuracyComment, AccuracyRound, Decision, RoundStatus
from localreviews.accuracy_workflow import ROUND_WORKFLOW
from localreviews.clock_rules import ACCURACY
from localreviews.models import LocalReview, LocalReviewEvent
from localreviews.policies import LocalReviewChecker
from localreviews.report_models import ReportSection, ReportVersion
from notifications.emails import Email, email_render
from notifications.models import MessageKind
from notifications.services import message_send
from partnerships.models import Agency

STALE = (
    "Someone else changed this comment while you were working on it. "
    "Your text is below and has not been saved: check the comment, then save again."
)


class AccuracyError(Exception):
    """What stops the step, in words for the page."""


def accuracy_agencies(case: Case) -> list[Agency]:
    """The agencies a round can go to: those involved in the case (and the one that referred it),
    whose leads see the case. The round goes to all of them unless the reviewer says otherwise."""
    return list(
        Agency.objects.filter(
            Q(involved_cases=case) | Q(pk=case.referring_agency_id), partnership_id=case.partnership_id
        )
        .distinct()
        .order_by("name")
    )


def accuracy_deadline(case: Case, sent_on: dt.date) -> dt.date:
    """The round's deadline: its clock's due date (10 working days, bank holidays not counted)."""
    return compute_due(ACCURACY, sent_on, settings_for(case.partnership_id), holiday_dates())


def open_round(review: LocalReview) -> AccuracyRound | None:
    return AccuracyRound.objects.filter(review=review, status=RoundStatus.OPEN).first()


def _leads(case: Case, agency_ids: Sequence[int]) -> dict[int, list[User]]:
    """Each agency's active safeguarding leads (as the rapid review's requests find them)."""
    found: dict[int, list[User]] = {pk: [] for pk in agency_ids}
    memberships = (
        Membership.objects.active()
        .filter(partnership_id=case.partnership_id, role=Role.AGENCY_LEAD, agency_id__in=agency_ids)
        .select_related("user")
        .order_by("user__last_name")
    )
    for membership in memberships:
        if membership.agency_id is not None:
            found[membership.agency_id].append(membership.user)
    return found


def _link(name: str, *args: object) -> str:
    return settings.SERVICE_URL.rstrip("/") + reverse(name, args=args)


def round_send(
    *, review: LocalReview, actor: User, report_version: ReportVersion, agency_ids: Sequence[int], message: str = ""
) -> AccuracyRound:
    """Sends a kept version to the agencies' leads, each by email with a link to it, and starts the
    round's clock from today. One round is open at a time."""
    case = review.case
    if not LocalReviewChecker(actor, case).may_answer_accuracy:
        raise AccuracyError("Only the reviewer or the coordinator sends the draft for a factual accuracy check")
    if report_version.review_id != review.pk:
        raise AccuracyError("Select a version of this review's report")
    allowed = {a.pk: a for a in accuracy_agencies(case)}
    chosen = [allowed[pk] for pk in dict.fromkeys(agency_ids) if pk in allowed]
    if not chosen or len(chosen) != len(set(agency_ids)):
        raise AccuracyError("Select the agencies involved in the case to send the draft to")
    today = timezone.localdate()
    with transaction.atomic():
        LocalReview.objects.select_for_update().filter(pk=review.pk).first()  # one sender at a time
        if open_round(review) is not None:
            raise AccuracyError("A factual accuracy round is already open: close it before sending another")
        accuracy_round = AccuracyRound.objects.create(
            review=review,
            report_version=report_version,
            deadline=accuracy_deadline(case, today),
            message=message.strip(),
            sent_by=actor,
        )
        accuracy_round.agencies.set(chosen)
        clock = clock_start(case=case, rule=ACCURACY, start_date=today, actor=actor, owner=actor)
        if clock.due_date != accuracy_round.deadline:  # a clock already running from today
            AccuracyRound.objects.filter(pk=accuracy_round.pk).update(deadline=clock.due_date)
            accuracy_round.deadline = clock.due_date
        LocalReviewEvent.objects.create(
            review=review,
            step="accuracy_send",
            from_status="",
            to_status=RoundStatus.OPEN,
            actor=actor,
            note=f"Draft {report_version.number} to " + ", ".join(a.name for a in chosen),
        )
        audit_record(
            actor=actor,
            verb=Verb.CREATE,
            target=accuracy_round,
            case=case,
            details={
                "summary": f"Local review: draft {report_version.number} sent to agencies to check its facts",
                "agencies": [a.pk for a in chosen],
                "deadline": accuracy_round.deadline.isoformat(),
            },
        )
        leads = _leads(case, [a.pk for a in chosen])
        url = _link("localreviews:accuracy_round", case.reference, accuracy_round.pk)
        for agency in chosen:
            subject, body = email_render(
                Email.ACCURACY_ROUND,
                {
                    "case": case,
                    "agency": agency,
                    "actor": actor,
                    "version": report_version,
                    "deadline": accuracy_round.deadline,
                    "message": accuracy_round.message,
                    "url": url,
                },
            )
            message_send(
                recipients=leads[agency.pk],
                subject=subject,
                body=body,
                case=case,
                actor=actor,
                kind=MessageKind.REQUEST,
                dedupe_key=f"accuracy-round-{accuracy_round.pk}-{agency.pk}",
            )
    return accuracy_round


def _round_agency_ids(accuracy_round: AccuracyRound) -> set[int]:
    return {a.pk for a in accuracy_round.agencies.all()}


def _clean_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise AccuracyError("Enter your comment")
    return text


def comment_add(
    *,
    accuracy_round: AccuracyRound,
    actor: User,
    section: str,
    text: str,
    agency_id: int | None = None,
    parent: AccuracyComment | None = None,
) -> AccuracyComment:
    """A new comment (or a reply in a thread): an agency's lead for their agency, until the
    deadline; the reviewer or coordinator replying in a thread, while the round is open."""
    case = accuracy_round.review.case
    checker = LocalReviewChecker(actor, case)
    round_agencies = _round_agency_ids(accuracy_round)
    text = _clean_text(text)
    if parent is not None:
        if parent.round_id != accuracy_round.pk:
            raise AccuracyError("That comment is not in this round")
        if parent.parent_id is not None:
            parent = parent.parent
        assert parent is not None
        agency_id, section = parent.agency_id, parent.section
    if section not in ReportSection.values:
        raise AccuracyError("Select the section of the report the comment is about")
    if agency_id is None or agency_id not in round_agencies:
        raise AccuracyError("Select the agency you comment for")
    by_agency = checker.may_comment(agency_id, round_agencies)
    by_review = not by_agency and parent is not None and checker.may_answer_accuracy
    if not (by_agency or by_review):
        raise AccuracyError("Only the agency's safeguarding leads comment on its behalf")
    with transaction.atomic():
        current = AccuracyRound.objects.select_for_update().get(pk=accuracy_round.pk)
        if current.status != RoundStatus.OPEN:
            raise AccuracyError("The factual accuracy round is closed")
        if by_agency and timezone.localdate() > current.deadline:
            raise AccuracyError(f"The round closed for comments on {current.deadline:%-d %B %Y}")
        comment = AccuracyComment.objects.create(
            round=current,
            agency_id=agency_id,
            section=section,
            parent=parent,
            by_review=by_review,
            text=text,
            author=actor,
        )
        if by_review and parent is not None and parent.replied_at is None:
            AccuracyComment.objects.filter(pk=parent.pk, replied_at__isnull=True).update(replied_at=timezone.now())
        audit_record(
            actor=actor,
            verb=Verb.CREATE,
            target=comment,
            case=case,
            details={
                "summary": "Local review: "
                + ("reply to an agency's accuracy comment" if by_review else "factual accuracy comment added"),
                "round": current.pk,
                "agency": agency_id,
                "section": section,
            },
        )
    return comment


def comment_edit(*, comment: AccuracyComment, actor: User, text: str, expected_version: int) -> AccuracyComment:
    """Its author changes a comment not yet decided, while the round is open (version-checked)."""
    text = _clean_text(text)
    if comment.author_id != actor.pk:
        raise AccuracyError("Only the person who wrote a comment changes it")
    with transaction.atomic():
        current = AccuracyComment.objects.select_for_update().select_related("round").get(pk=comment.pk)
        if current.version != expected_version:
            raise AccuracyError(STALE)
        if current.round.status != RoundStatus.OPEN:
            raise AccuracyError("The factual accuracy round is closed")
        if current.decision != Decision.PENDING:
            raise AccuracyError("The reviewer has answered this comment: add a reply instead")
        AccuracyComment.objects.filter(pk=current.pk, version=expected_version).update(
            text=text, edited_at=timezone.now(), version=F("version") + 1
        )
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=current,
            case=current.round.review.case,
            details={"summary": "Local review: factual accuracy comment changed", "round": current.round_id},
        )
    comment.refresh_from_db()
    return comment


def comment_decide(
    *, comment: AccuracyComment, actor: User, decision: Decision, reason: str, expected_version: int
) -> AccuracyComment:
    """The reviewer (or coordinator) accepts or declines an agency's comment; declining needs a
    reason. A decision can be changed, on the page it was made on (version-checked)."""
    reason = reason.strip()
    if decision not in (Decision.ACCEPTED, Decision.DECLINED):
        raise AccuracyError("Select whether you accept or decline the comment")
    if decision == Decision.DECLINED and not reason:
        raise AccuracyError("Enter why you decline the comment")
    with transaction.atomic():
        current = AccuracyComment.objects.select_for_update().select_related("round__review__case").get(pk=comment.pk)
        case = current.round.review.case
        if not LocalReviewChecker(actor, case).may_answer_accuracy:
            raise AccuracyError("Only the reviewer or the coordinator answers the agencies' comments")
        if current.by_review:
            raise AccuracyError("Only an agency's comments are accepted or declined")
        if current.version != expected_version:
            raise AccuracyError(STALE)
        if current.round.status != RoundStatus.OPEN:
            raise AccuracyError("The factual accuracy round is closed")
        now = timezone.now()
        AccuracyComment.objects.filter(pk=current.pk, version=expected_version).update(
            decision=decision, reason=reason, decided_by=actor, decided_at=now, version=F("version") + 1
        )
        AccuracyComment.objects.filter(pk=current.thread_id, replied_at__isnull=True).update(replied_at=now)
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=current,
            case=case,
            details={
                "summary": f"Local review: factual accuracy comment {Decision(decision).label.lower()}",
                "round": current.round_id,
            },
        )
    comment.refresh_from_db()
    return comment


def round_close(*, accuracy_round: AccuracyRound, actor: User, expected_version: int) -> AccuracyRound:
    try:
        return take(ROUND_WORKFLOW, accuracy_round, "accuracy_close", actor=actor, expected_version=expected_version)
    except TransitionError as error:
        raise AccuracyError(str(error)) from None


# What a page shows


@dataclass
class Thread:
    first: AccuracyComment
    replies: list[AccuracyComment] = field(default_factory=list)


@dataclass
class SectionView:
    value: str
    label: str
    text: str
    threads: list[Thread] = field(default_factory=list)


def sections_for(accuracy_round: AccuracyRound, checker: LocalReviewChecker) -> list[SectionView]:
    """The version's sections, each with the threads this person may read (one query)."""
    text = accuracy_round.report_version.sections or {}
    views = {s.value: SectionView(s.value, str(s.label), str(text.get(s.value, ""))) for s in ReportSection}
    threads: dict[int, Thread] = {}
    comments = AccuracyComment.objects.filter(round=accuracy_round).select_related("author", "agency", "decided_by")
    for comment in sorted(comments, key=lambda c: (c.parent_id is not None, c.created_at, c.pk)):
        if comment.parent_id is None:
            if checker.may_read_thread(comment.agency_id, comment.replied_at is not None):
                threads[comment.pk] = Thread(comment)
                if comment.section in views:
                    views[comment.section].threads.append(threads[comment.pk])
        elif comment.parent_id in threads:
            threads[comment.parent_id].replies.append(comment)
    return list(views.values())
