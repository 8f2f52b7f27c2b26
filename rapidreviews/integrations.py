"""The edges this app shares with other journeys: clocks (deadlines and working days) and
notifications (email plus the in-service message log)."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from accounts.models import User
from cases.models import Case, CaseState, StateChange
from clocks.calendar import holiday_dates, settings_for
from clocks.models import ACTIVE_STATUSES, Clock, ClockRule, ClockStatus
from clocks.rules import compute_due, rule_spec
from clocks.selectors import due_date_text, latest_clock
from clocks.services import ClockError, clock_cancel, clock_meet, clock_start
from core.workdays import add_working_days, working_days_between
from notifications.emails import Email, email_render
from notifications.models import MessageKind
from notifications.services import message_send
from rapidreviews.clock_rules import rapid_review_clocks_start
from rapidreviews.models import SummaryEvent, SummaryStatus

RAPID_REVIEW_DAYS = 15


def clock_start_date(case: Case) -> date:
    """Day 0 of the rapid review: the running clock's start, else the day the SIN was recorded."""
    clock = latest_clock(case, ClockRule.RAPID_REVIEW)
    if clock is not None:
        return clock.start_date
    change = StateChange.objects.filter(case=case, to_state=CaseState.NOTIFIED).order_by("-at").first()
    if change is not None:
        return timezone.localdate(change.at)
    review = getattr(case, "rapid_review", None)
    return timezone.localdate(review.started_at) if review is not None else timezone.localdate()


def step_day(case: Case, rule: ClockRule) -> int:
    return rule_spec(rule).length(settings_for(case.partnership_id))


def notified_on(case: Case) -> date | None:
    """The day of the Serious Incident Notification to the Panel (from the notification, else the day
    the case was marked notified); None when the case has neither."""
    from referrals.models import SeriousIncidentNotification

    sent = (
        SeriousIncidentNotification.objects.filter(case=case, to_panel=True)
        .order_by("submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    if sent is None:
        sent = (
            StateChange.objects.filter(case=case, to_state=CaseState.NOTIFIED)
            .order_by("at")
            .values_list("at", flat=True)
            .first()
        )
    return timezone.localdate(sent) if sent is not None else None


def step_due(case: Case, rule: ClockRule) -> date:
    clock = latest_clock(case, rule)
    if clock is not None:
        return clock.effective_due
    return compute_due(rule, clock_start_date(case), settings_for(case.partnership_id), holiday_dates())


def today_working_day(case: Case) -> int:
    return working_days_between(clock_start_date(case), timezone.localdate(), holiday_dates())


def due_label(case: Case, label: str, rule: ClockRule, *, outcome: bool = True) -> str:
    """'Returns due: working day 8, Thursday 15 January' (met clocks say so, unless `outcome` is
    false: one agency's summary still has its own work to do after the case's clock is met)."""
    clock = latest_clock(case, rule)
    due = step_due(case, rule)
    n = working_days_between(clock_start_date(case), due, holiday_dates())
    text = f"{label}: working day {n}, {due_date_text(due, timezone.localdate())}"
    if outcome and clock is not None and clock.status in (ClockStatus.MET, ClockStatus.LATE) and clock.met_on:
        text += f" ({clock.get_status_display().lower()} on {clock.met_on:%-d %B})"
    return text


def summary_deadline(case: Case, agency_summary: Any) -> dict[str, str]:
    """One agency's deadline for its summary, as its lead needs it: when it is due (or how late it
    is), or, once sent back, that it is wanted again as soon as possible (the old date has passed).
    {"text": ..., "tag": "Overdue" | "Due today" | ""}; no text once it is with the coordinator."""
    status = agency_summary.status
    if status in (SummaryStatus.SUBMITTED, SummaryStatus.ACCEPTED, SummaryStatus.CLOSED):
        return {"text": "", "tag": ""}
    today = timezone.localdate()
    if status == SummaryStatus.RETURNED:
        # A list of summaries reads when each was last sent back with them (`last_returned_at`).
        if hasattr(agency_summary, "last_returned_at"):
            at = agency_summary.last_returned_at
        else:
            back = agency_summary.events.filter(kind=SummaryEvent.Kind.RETURNED).order_by("-at").first()
            at = back.at if back else None
        when = f" on {timezone.localtime(at):%-d %B}" if at else ""
        return {"text": f"Sent back{when}: send it again as soon as you can", "tag": ""}
    holidays = holiday_dates()
    due = step_due(case, ClockRule.RR_RETURNS)
    sent = timezone.localdate(agency_summary.request.sent_at)
    asked_by = step_due(case, ClockRule.RR_REQUESTS_OUT)
    if sent > asked_by:
        # Asked after the others (an agency found later): as long to write it as they had.
        due = max(due, add_working_days(sent, working_days_between(asked_by, due, holidays), holidays))
    n = working_days_between(clock_start_date(case), due, holidays)
    if due < today:
        late = working_days_between(due, today, holidays)
        ago = f" ({late} working day{'s' if late != 1 else ''} ago)" if late else ""
        text = f"Summary was due: working day {n}, {due_date_text(due, today)}{ago}"
        return {"text": text, "tag": "Overdue"}
    text = f"Summary due: working day {n}, {due_date_text(due, today)}"
    return {"text": text, "tag": "Due today" if due == today else ""}


def comment_window_end(case: Case, approved_at: datetime) -> datetime | None:
    """Where the partnership wants the scrutineer's and chair's comments before sign-off completes:
    the time it stops waiting for them (the same time of day, its set number of working days after
    the third approval); None where it does not wait."""
    settings = settings_for(case.partnership_id)
    if not settings.signoff_wait_for_comments:
        return None
    local = timezone.localtime(approved_at)
    day = add_working_days(local.date(), int(settings.signoff_comment_days), holiday_dates())
    return timezone.make_aware(datetime.combine(day, local.time().replace(tzinfo=None)))


def review_clocks_start(*, case: Case, actor: User) -> None:
    rapid_review_clocks_start(case=case, sin_submitted_on=clock_start_date(case), la_aware_on=None, actor=actor)


def step_met(*, case: Case, rule: ClockRule, actor: User | None, late_reason: str = "", on: date | None = None) -> None:
    """Marks one step of the timetable met (today, or on the day it was done), if its clock is
    running (a late step needs a reason)."""
    clock = Clock.objects.filter(case=case, rule=rule, status__in=ACTIVE_STATUSES).first()
    if clock is not None:
        day = max(on or timezone.localdate(), clock.start_date)
        clock_meet(case=case, rule=rule, on=day, actor=actor, late_reason=late_reason)


def step_met_quietly(*, case: Case, rule: ClockRule, actor: User | None, on: date | None = None) -> None:
    """Marks an internal step met; a late internal step records why without stopping the work."""
    try:
        step_met(case=case, rule=rule, actor=actor, on=on)
    except ClockError:
        step_met(case=case, rule=rule, actor=actor, on=on, late_reason="Recorded late in the service")


def step_not_done(*, case: Case, rule: ClockRule, actor: User, reason: str) -> None:
    """Closes a step of the timetable that was not done (it is not marked met), with the reason."""
    for clock in Clock.objects.filter(case=case, rule=rule, status__in=ACTIVE_STATUSES):
        clock_cancel(clock=clock, reason=reason, actor=actor)


def panel_response_clock_start(*, case: Case, actor: User) -> None:
    clock_start(case=case, rule=ClockRule.PANEL_RESPONSE, start_date=timezone.localdate(), actor=actor)


def messages_send_to(
    *,
    recipients: Iterable[Any],
    subject: str,
    body: str,
    case: Case,
    actor: User | None,
    kind: MessageKind,
    dedupe_key: str = "",
) -> list[Any]:
    """An email and an in-service message to each person (notifications records and sends them);
    returns the messages recorded (none for a `dedupe_key` already used). A kind that is not a
    MessageKind is refused, whether or not anyone is to be told."""
    kind = MessageKind(kind)
    people = [r for r in recipients if r is not None]
    if people:
        return message_send(
            recipients=people,
            subject=subject,
            body=body,
            case=case,
            actor=actor,
            kind=kind,
            dedupe_key=dedupe_key or None,
        )
    return []


__all__ = ["RAPID_REVIEW_DAYS", "ClockError", "ClockRule", "Email", "MessageKind", "email_render"]
