"""The partners' monitoring of the local review (regulation 14, domain.md §4.1, §4.7).

- A written request: the coordinator or a partner delegate asks the reviewer in writing for
  information or a draft; the reviewer is emailed and answers in the service. Its due date is the
  partnership's `lr_written_request_days` working days (10 unless changed). One clock follows the
  oldest unanswered request (a case holds one open clock per rule): met when it is answered, and
  started again from the next oldest, if any.
- Progress checkpoints: due every `lr_checkpoint_weeks` weeks (4 unless changed) from the partners'
  decision until the 6 months' due date; a checkpoint held is recorded against its date.
- Delays: what holds the review, with its reason; the 6 months may be paused with it, and restart
  when the last delay that paused them ends.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import Verb
from audit.services import audit_record
from cases.models import Case
from cases.workflow_engine import take
from clocks.calendar import holiday_dates, settings_for
from clocks.models import ACTIVE_STATUSES, Clock, ClockSettings, ClockStatus
from clocks.rules import compute_due
from clocks.services import clock_meet, clock_pause, clock_resume, clock_start
from localreviews.clock_rules import SIX_MONTHS, WRITTEN_REQUEST
from localreviews.models import LocalReview
from localreviews.monitoring_models import (
    Checkpoint,
    Delay,
    DelayReason,
    DelayStatus,
    ProgressRag,
    RequestStatus,
    RequestWhat,
    WrittenRequest,
)
from localreviews.monitoring_workflow import DELAY_WORKFLOW, REQUEST_WORKFLOW
from localreviews.policies import LocalReviewChecker
from notifications.emails import Email, email_render
from notifications.services import message_send


class MonitoringError(Exception):
    """What stops the step, in words for the page."""


def link(name: str, *args: object) -> str:
    return str(settings.SERVICE_URL).rstrip("/") + reverse(name, args=args)


def _d(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def _check_day(day: dt.date, review: LocalReview, what: str) -> None:
    if day > timezone.localdate():
        raise MonitoringError(f"{what} must be today or in the past")
    if day < review.decided_on:
        raise MonitoringError(f"{what} must be on or after the partners' decision ({_d(review.decided_on)})")


def _clock(review: LocalReview, rule: str) -> Clock | None:
    return Clock.objects.filter(case=review.case, rule=rule, status__in=ACTIVE_STATUSES).first()


# Written requests


def request_due(review: LocalReview, asked_on: dt.date) -> dt.date:
    return compute_due(WRITTEN_REQUEST, asked_on, settings_for(review.case.partnership_id), holiday_dates())


def _reviewer_owner(review: LocalReview) -> User | None:
    return next((r.user for r in review.reviewers.all() if r.user is not None), None)


def written_request_ask(
    *, review: LocalReview, actor: User, what: RequestWhat, text: str, asked_on: dt.date, token: str = ""
) -> tuple[WrittenRequest, bool]:
    """Records the request in writing and emails the reviewer(s); returns it and whether it was
    made now (False: this form had made it already)."""
    case = review.case
    if not LocalReviewChecker(actor, case).may_monitor:
        raise PermissionDenied("Only the coordinator or a partner delegate asks the reviewer in writing")
    reviewers = list(review.reviewers.select_related("user"))
    if not reviewers:
        raise MonitoringError("Appoint the reviewer before asking them in writing")
    if not text.strip():
        raise MonitoringError("Enter what you are asking the reviewer for")
    _check_day(asked_on, review, "The date of the request")
    if token and (earlier := WrittenRequest.objects.filter(review=review, client_token=token).first()):
        return earlier, False
    with transaction.atomic():
        LocalReview.objects.select_for_update().filter(pk=review.pk).first()
        if token and (earlier := WrittenRequest.objects.filter(review=review, client_token=token).first()):
            return earlier, False
        request = WrittenRequest.objects.create(
            review=review,
            what=what,
            text=text.strip(),
            asked_by=actor,
            asked_on=asked_on,
            due_on=request_due(review, asked_on),
            client_token=token,
        )
        audit_record(
            actor=actor,
            verb=Verb.CREATE,
            target=request,
            case=case,
            details={
                "summary": f"Local review: the partners asked the reviewer in writing for {request.get_what_display().lower()}",
                "what": str(what),
                "asked_on": asked_on.isoformat(),
                "due_on": request.due_on.isoformat(),
            },
        )
        oldest = WrittenRequest.objects.filter(review=review, status=RequestStatus.OPEN).order_by("asked_on", "id")
        clock_start(
            case=case, rule=WRITTEN_REQUEST, start_date=oldest[0].asked_on, actor=actor, owner=_reviewer_owner(review)
        )
        subject, body = email_render(
            Email.LOCAL_REVIEW_WRITTEN_REQUEST,
            {
                "case": case,
                "actor": actor,
                "review": review,
                "request": request,
                "url": link("localreviews:written_request", case.reference, request.pk),
            },
        )
        message_send(
            recipients=[r.user or r.email for r in reviewers],
            subject=subject,
            body=body,
            case=case,
            actor=actor,
            dedupe_key=f"local-review-written-request-{request.pk}",
        )
    return request, True


def written_request_answer(
    *, request: WrittenRequest, actor: User, answer: str, answered_on: dt.date, expected_version: int
) -> WrittenRequest:
    """The reviewer answers; the request's clock moves on (workflow: written_request_answer)."""
    if not answer.strip():
        raise MonitoringError("Enter your answer")
    if answered_on > timezone.localdate():
        raise MonitoringError("The date of the answer must be today or in the past")
    if answered_on < request.asked_on:
        raise MonitoringError(f"The date of the answer must be on or after the request ({_d(request.asked_on)})")
    return take(
        REQUEST_WORKFLOW,
        request,
        "written_request_answer",
        actor=actor,
        expected_version=expected_version,
        context={"answer": answer.strip(), "answered_on": answered_on},
    )


def request_clock_follow(review: LocalReview, *, actor: User, on: dt.date) -> None:
    """After an answer: the clock is met when no request older than the next unanswered one is
    left, and started again from that one, if any."""
    clock = _clock(review, WRITTEN_REQUEST)
    oldest = WrittenRequest.objects.filter(review=review, status=RequestStatus.OPEN).order_by("asked_on", "id").first()
    if clock is None or (oldest is not None and oldest.asked_on == clock.start_date):
        return
    late = f"The reviewer answered on {_d(on)}, after the date asked for" if on > clock.effective_due else ""
    clock_meet(case=review.case, rule=WRITTEN_REQUEST, on=max(on, clock.start_date), actor=actor, late_reason=late)
    if oldest is not None:
        clock_start(
            case=review.case,
            rule=WRITTEN_REQUEST,
            start_date=oldest.asked_on,
            actor=actor,
            owner=_reviewer_owner(review),
        )


def tell_asker_answered(request: WrittenRequest, actor: User) -> None:
    review = request.review
    subject, body = email_render(
        Email.LOCAL_REVIEW_REQUEST_ANSWERED,
        {
            "case": review.case,
            "actor": actor,
            "review": review,
            "request": request,
            "url": link("localreviews:written_request", review.case.reference, request.pk),
        },
    )
    message_send(
        recipients=[request.asked_by],
        subject=subject,
        body=body,
        case=review.case,
        actor=actor,
        dedupe_key=f"local-review-written-request-answered-{request.pk}",
    )


# Progress checkpoints


def six_months_due(review: LocalReview, clock: Clock | None) -> dt.date:
    """The review's 6 months' due date: its clock's (moved on by any pause), else 6 months from the decision."""
    from dateutil.relativedelta import relativedelta

    return clock.effective_due if clock is not None else review.decided_on + relativedelta(months=6)


def checkpoint_dates(decided_on: dt.date, weeks: int, until: dt.date) -> list[dt.date]:
    """Every `weeks` weeks after the decision, up to and including `until`."""
    step = dt.timedelta(weeks=max(1, weeks))
    dates, day = [], decided_on + step
    while day <= until:
        dates.append(day)
        day += step
    return dates


@dataclass(frozen=True)
class CheckpointRow:
    due_on: dt.date
    held: Checkpoint | None
    overdue: bool

    @property
    def status(self) -> str:
        if self.held is not None:
            return "Held"
        return "Overdue" if self.overdue else "Not yet due"


def checkpoint_weeks(case: Case) -> int:
    """The partnership's interval between checkpoints: from its settings read with the case
    (`partnership__clock_settings`), else the default."""
    try:
        return int(case.partnership.clock_settings.lr_checkpoint_weeks)
    except ClockSettings.DoesNotExist:
        return int(ClockSettings._meta.get_field("lr_checkpoint_weeks").get_default())


def checkpoint_schedule(
    review: LocalReview, checkpoints: list[Checkpoint], clock: Clock | None, today: dt.date
) -> list[CheckpointRow]:
    """The checkpoints due (from the partnership's interval) with those held, and any held on a date
    an earlier interval gave."""
    weeks = checkpoint_weeks(review.case)
    held = {c.due_on: c for c in checkpoints}
    dates = sorted(set(checkpoint_dates(review.decided_on, weeks, six_months_due(review, clock))) | set(held))
    return [CheckpointRow(d, held.get(d), d not in held and d < today) for d in dates]


def checkpoint_record(
    *, review: LocalReview, actor: User, due_on: dt.date, held_on: dt.date, rag: ProgressRag, notes: str
) -> Checkpoint:
    case = review.case
    if not LocalReviewChecker(actor, case).may_monitor:
        raise PermissionDenied("Only the coordinator or a partner delegate records a progress checkpoint")
    _check_day(held_on, review, "The date it was held")
    try:
        with transaction.atomic():
            checkpoint = Checkpoint.objects.create(
                review=review, due_on=due_on, held_on=held_on, rag=rag, notes=notes.strip(), recorded_by=actor
            )
    except IntegrityError:
        raise MonitoringError(f"The checkpoint due on {_d(due_on)} has been recorded already") from None
    audit_record(
        actor=actor,
        verb=Verb.CREATE,
        target=checkpoint,
        case=case,
        details={
            "summary": f"Local review: progress checkpoint held on {_d(held_on)} ({checkpoint.get_rag_display()})",
            "due_on": due_on.isoformat(),
            "held_on": held_on.isoformat(),
            "rag": str(rag),
        },
    )
    return checkpoint


# Delays


def delay_record(
    *,
    review: LocalReview,
    actor: User,
    reason: DelayReason,
    text: str,
    starts_on: dt.date,
    expected_until: dt.date | None,
    pause: bool,
) -> Delay:
    """Records what holds the review; with `pause`, the 6 months stop counting from `starts_on`."""
    case = review.case
    if not LocalReviewChecker(actor, case).may_run:
        raise PermissionDenied("Only the coordinator records a delay")
    if not text.strip():
        raise MonitoringError("Enter why the review is delayed")
    _check_day(starts_on, review, "The date the delay began")
    if expected_until is not None and expected_until < starts_on:
        raise MonitoringError("The date it is expected to end must be on or after the date it began")
    with transaction.atomic():
        clock = _clock(review, SIX_MONTHS)
        if pause and clock is None:
            raise MonitoringError("The 6 months are not running, so they cannot be paused")
        delay = Delay.objects.create(
            review=review,
            reason=reason,
            text=text.strip(),
            starts_on=starts_on,
            expected_until=expected_until,
            paused_clock=pause,
            recorded_by=actor,
        )
        if pause and clock is not None and clock.status != ClockStatus.PAUSED:
            clock_pause(clock=clock, on=starts_on, reason=f"{delay.get_reason_display()}: {delay.text}", actor=actor)
        audit_record(
            actor=actor,
            verb=Verb.CREATE,
            target=delay,
            case=case,
            details={
                "summary": f"Local review: delay recorded ({delay.get_reason_display().lower()})"
                + (", the 6 months paused" if pause else ""),
                "reason": str(reason),
                "starts_on": starts_on.isoformat(),
                "expected_until": expected_until.isoformat() if expected_until else None,
                "paused": pause,
            },
        )
    return delay


def delay_end(*, delay: Delay, actor: User, ended_on: dt.date, expected_version: int) -> Delay:
    if ended_on > timezone.localdate():
        raise MonitoringError("The date the delay ended must be today or in the past")
    if ended_on < delay.starts_on:
        raise MonitoringError(f"The date the delay ended must be on or after it began ({_d(delay.starts_on)})")
    return take(
        DELAY_WORKFLOW,
        delay,
        "delay_end",
        actor=actor,
        expected_version=expected_version,
        context={"ended_on": ended_on},
    )


def six_months_restart(review: LocalReview, *, actor: User, on: dt.date) -> None:
    """The 6 months count again once no delay that paused them still holds the review."""
    if Delay.objects.filter(review=review, status=DelayStatus.HOLDING, paused_clock=True).exists():
        return
    clock = _clock(review, SIX_MONTHS)
    if clock is not None and clock.status == ClockStatus.PAUSED:
        clock_resume(clock=clock, on=max(on, clock.paused_on or on), actor=actor)
