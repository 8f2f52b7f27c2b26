"""Demo deadlines for the invented Northshire partnership: clocks in every status, dated relative to
today so the "what's due" dashboard is never empty. Every name is made up.

Each case here is a real referral, triaged and (for the rapid reviews) notified through the referral
journey's services, so it takes the year's next references (NSCP-<year>-0001 to 0006, before
referrals.demo's). Its rapid review is taken forward by rapidreviews.demo's stages, and the
clocks are met, extended, paused or cancelled on the days the story needs, before the services
would mark them met today; rapidreviews.demo_clocks dates the review's records to match.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from cases.models import Case
from clocks.calendar import closure_day_add, holiday_dates, settings_for
from clocks.models import ACTIVE_STATUSES, Clock, ClockRule
from clocks.rules import compute_due
from clocks.services import clock_cancel, clock_extend, clock_meet, clock_pause, clock_start
from core.workdays import add_working_days, next_working_day, subtract_working_days


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _notify_pending(
    world: Any, *, aware: date, incident: date, child: tuple[str, str], born: date = date(2019, 6, 11)
) -> Case:
    """A referral sent on the day the LA became aware and triaged 'notify' that day, through the
    referral journey's own services."""
    from referrals.demo import _referral, _triage
    from referrals.models import Referral, TriageDecision
    from referrals.services.submit import referral_submit

    referral = _referral(
        world,
        user="practitioner",
        agency=3,
        incident=incident,
        aware=aware,
        child={"first_name": child[0], "last_name": child[1], "date_of_birth": born},
    )
    case = referral_submit(referral_id=referral.pk, actor=world.users["practitioner"])
    _triage(world, case, aware)
    Case.objects.filter(pk=case.pk).update(created_at=_at(aware, 9, 40))
    Referral.objects.filter(pk=referral.pk).update(submitted_at=_at(aware, 9, 40))
    TriageDecision.objects.filter(case=case).update(decided_at=_at(aware, 15, 10))
    case.refresh_from_db()
    return case


def _under_review(
    world: Any, *, aware: date, sin: date, child: tuple[str, str], late_reason: str = ""
) -> tuple[Case, Any]:
    """A baby's referral notified to the Panel on `sin` (which starts the rapid review clocks from
    that day), and the rapid review set up by the coordinator."""
    from rapidreviews.services.review import rapid_review_start
    from referrals.services.sin import SinAnswers, sin_record

    incident = aware - timedelta(days=1)
    case = _notify_pending(world, aware=aware, incident=incident, child=child, born=incident - timedelta(days=480))
    sin_record(
        case=case,
        actor=world.users["notifier"],
        expected_version=case.version,
        answers=SinAnswers(
            submitted_at=_at(sin, 11, 20),
            panel_reference=f"SIN-{sin.year}-1{case.pk:04d}",
            submitted_by="Nadia Fenwright",
            children=case.referral.children_list(),
            late_reason=late_reason,
        ),
    )
    case.refresh_from_db()
    return case, rapid_review_start(case=case, actor=world.users["coordinator"])


def _written(case: Case) -> date:
    """The day the agencies' records run to (two days after the admission)."""
    incident = case.referral.incident_date
    assert incident is not None
    return incident + timedelta(days=2)


def _rr(case: Case, rule: ClockRule) -> Clock:
    return Clock.objects.get(case=case, rule=rule, status__in=ACTIVE_STATUSES)


def seed(world: Any) -> None:
    coordinator, notifier = world.users["coordinator"], world.users["notifier"]
    holidays = holiday_dates()
    today = next_working_day(timezone.localdate(), holidays)

    def back(n: int) -> date:
        return subtract_working_days(today, n, holidays)

    # Overdue: the SIN should have gone two working days ago. Due today: the SIN for a case the LA
    # heard about five working days ago. Both are real referrals the partners decided to notify, so
    # the notifier's page has everything it needs.
    for aware_days, child in ((7, ("Peregrine", "Holloway-Adeyemi")), (5, ("Quilla", "Marchbank"))):
        case = _notify_pending(world, aware=back(aware_days), incident=back(aware_days + 1), child=child)
        sin = Clock.objects.get(case=case, rule=ClockRule.SIN)
        Clock.objects.filter(pk=sin.pk).update(owner=notifier)

    from rapidreviews.demo import review_to_stage
    from rapidreviews.demo_clocks import meeting_move, review_dated

    # A rapid review on track (working day 7 of 15): SIN met, requests out met, returns due
    # tomorrow, the hospital's summary in draft and the police's submitted.
    case, review = _under_review(world, aware=back(10), sin=back(7), child=("Ottilie", "Penwarden"))
    Clock.objects.filter(case=case, rule=ClockRule.SIN).update(owner=notifier)
    Clock.objects.filter(case=case).exclude(rule=ClockRule.SIN).update(owner=coordinator)
    clock_meet(case=case, rule=ClockRule.RR_REQUESTS_OUT, on=back(6), actor=coordinator)
    review_to_stage(world, review, 2, written_on=_written(case))
    review_dated(review, requests=back(6))

    # Met late (with the reason) and an extension agreed with the Panel: every summary accepted,
    # and the meeting, first set for working day 12, moved to after the police's first interview.
    case, review = _under_review(
        world,
        aware=back(22),
        sin=back(15),
        child=("Bramble", "Kestrelle"),
        late_reason="The hospital's referral reached the LA two days after the child was admitted.",
    )
    for rule, days in ((ClockRule.RAPID_REVIEW, 10), (ClockRule.RR_SUBMISSION, 10), (ClockRule.RR_SIGN_OFF, 8)):
        clock_extend(
            clock=_rr(case, rule),
            new_due=add_working_days(today, days, holidays),
            reason="The police asked us to wait for the first interview before the meeting.",
            agreed_by="Panel secretariat, by email",
            actor=coordinator,
        )
    for rule, done in ((ClockRule.RR_REQUESTS_OUT, 13), (ClockRule.RR_RETURNS, 9)):
        clock_meet(case=case, rule=rule, on=back(done), actor=coordinator)
    review_to_stage(world, review, 4, meeting_day=back(3), written_on=_written(case))
    clock_cancel(
        clock=_rr(case, ClockRule.RR_MEETING),
        reason="Rescheduled under the extension agreed with the Panel.",
        actor=coordinator,
    )
    clock_start(case=case, rule=ClockRule.RR_MEETING, start_date=back(5), actor=coordinator, owner=coordinator)
    meeting_move(review, actor=coordinator, day=add_working_days(today, 6, holidays))
    review_dated(review, requests=back(13), returns=back(9), invited=back(5))

    # Paused while a criminal investigation holds the review: the requests went out, nothing is back.
    case, review = _under_review(world, aware=back(12), sin=back(9), child=("Isolde", "Farrowby"))
    clock_meet(case=case, rule=ClockRule.RR_REQUESTS_OUT, on=back(8), actor=coordinator)
    review_to_stage(world, review, 1, written_on=_written(case))
    review_dated(review, requests=back(8))
    clock_pause(
        clock=_rr(case, ClockRule.RAPID_REVIEW),
        on=back(3),
        reason="Police asked for agency contact with the family to wait until arrests are made.",
        actor=coordinator,
    )

    # Submitted, every step on time: the Panel's response is awaited, an LCSPR under way, publication
    # planned. The timetable's clocks are met on their days first, so the services leave them be.
    case, review = _under_review(world, aware=back(24), sin=back(21), child=("Fenn", "Arkwright-Lowe"))
    for rule, done in (
        (ClockRule.RR_REQUESTS_OUT, 19),
        (ClockRule.RR_RETURNS, 14),
        (ClockRule.RR_MEETING, 10),
        (ClockRule.RR_SIGN_OFF, 8),
        (ClockRule.RR_SUBMISSION, 6),
        (ClockRule.RAPID_REVIEW, 6),
    ):
        clock_meet(case=case, rule=rule, on=back(done), actor=coordinator)
    review_to_stage(world, review, 7, meeting_day=back(10), written_on=_written(case))
    review_dated(review, requests=back(19), returns=back(14), decided=back(10), signed=back(8), submitted=back(6))
    # The Panel's 10 working days count from the day it was sent, not the day it was recorded here.
    due = compute_due(ClockRule.PANEL_RESPONSE, back(6), settings_for(case.partnership_id), holidays)
    Clock.objects.filter(case=case, rule=ClockRule.PANEL_RESPONSE).update(start_date=back(6), due_date=due)
    clock_start(case=case, rule=ClockRule.LCSPR, start_date=back(5), actor=coordinator, owner=coordinator)
    publication = add_working_days(today, 120, holidays)
    clock_start(case=case, rule=ClockRule.PUBLICATION_NOTICE, start_date=publication, actor=coordinator)

    # A local closure day: a warning beside deadlines, never a change to them.
    closure = add_working_days(today, 3, holidays)
    closure_day_add(partnership=world.partnership, day=closure, name="Office closed for training", actor=coordinator)
