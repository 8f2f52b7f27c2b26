"""Demo deadlines for the invented Northshire partnership: clocks in every status, dated relative to
today so the "what's due" dashboard is never empty. References NSCP-2026-090 to 099 belong here.
Every name is made up.
"""

from datetime import date
from typing import Any

from django.utils import timezone

from cases.models import Case, CaseState
from clocks.calendar import closure_day_add, holiday_dates
from clocks.models import Clock, ClockRule
from clocks.services import (
    clock_cancel,
    clock_extend,
    clock_meet,
    clock_pause,
    clock_start,
    rapid_review_clocks_start,
)
from core.workdays import add_working_days, next_working_day, subtract_working_days


def _case(world: Any, reference: str, title: str, state: str) -> Case:
    case = Case.objects.create(
        reference=reference,
        partnership=world.partnership,
        title=title,
        state=state,
        referred_by=world.users["practitioner"],
        referring_agency=world.agencies[3],
    )
    case.involved_agencies.add(world.agencies[0], world.agencies[1], world.agencies[3])
    return case


def _notify_pending(world: Any, *, aware: date, incident: date, child: tuple[str, str]) -> Case:
    """A referral sent and triaged 'notify', through the referral journey's own services."""
    from referrals.demo import _referral, _triage
    from referrals.services.submit import referral_submit

    referral = _referral(
        world,
        user="practitioner",
        agency=3,
        incident=incident,
        aware=aware,
        child={"first_name": child[0], "last_name": child[1], "date_of_birth": date(2019, 6, 11)},
    )
    case = referral_submit(referral_id=referral.pk, actor=world.users["practitioner"])
    _triage(world, case, aware)
    case.refresh_from_db()
    return case


def _rr(case: Case, rule: ClockRule) -> Clock:
    return Clock.objects.get(case=case, rule=rule, status__in=["open", "extended", "paused"])


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

    # A rapid review on track: SIN met, requests out met, returns due this week.
    case = _case(world, "NSCP-2026-092", "Child R", CaseState.RAPID_REVIEW)
    clock_start(case=case, rule=ClockRule.SIN, start_date=back(10), actor=coordinator, owner=notifier)
    clock_meet(case=case, rule=ClockRule.SIN, on=back(7), actor=notifier)
    sin_sent = back(7)
    rapid_review_clocks_start(
        case=case, sin_submitted_on=sin_sent, la_aware_on=back(10), actor=coordinator, owner=coordinator
    )
    clock_meet(case=case, rule=ClockRule.RR_REQUESTS_OUT, on=add_working_days(sin_sent, 1, holidays), actor=coordinator)

    # Met late (with the reason) and an extension agreed with the Panel.
    case = _case(world, "NSCP-2026-093", "Child S", CaseState.RAPID_REVIEW)
    clock_start(case=case, rule=ClockRule.SIN, start_date=back(22), actor=coordinator, owner=notifier)
    clock_meet(
        case=case,
        rule=ClockRule.SIN,
        on=back(15),
        actor=notifier,
        late_reason="The hospital's referral reached the LA two days after the child was admitted.",
    )
    rapid_review_clocks_start(case=case, sin_submitted_on=back(15), la_aware_on=back(22), actor=coordinator)
    for rule, days in ((ClockRule.RAPID_REVIEW, 10), (ClockRule.RR_SUBMISSION, 10), (ClockRule.RR_SIGN_OFF, 8)):
        clock_extend(
            clock=_rr(case, rule),
            new_due=add_working_days(today, days, holidays),
            reason="The police asked us to wait for the first interview before the meeting.",
            agreed_by="Panel secretariat, by email",
            actor=coordinator,
        )
    for rule in (ClockRule.RR_REQUESTS_OUT, ClockRule.RR_RETURNS):
        clock_meet(case=case, rule=rule, on=back(13 if rule == ClockRule.RR_REQUESTS_OUT else 9), actor=coordinator)
    clock_cancel(
        clock=_rr(case, ClockRule.RR_MEETING),
        reason="Rescheduled under the extension agreed with the Panel.",
        actor=coordinator,
    )
    clock_start(case=case, rule=ClockRule.RR_MEETING, start_date=back(2), actor=coordinator, owner=coordinator)

    # Paused while a criminal investigation holds the review.
    case = _case(world, "NSCP-2026-094", "Child T", CaseState.RAPID_REVIEW)
    clock_start(case=case, rule=ClockRule.SIN, start_date=back(12), actor=coordinator, owner=notifier)
    clock_meet(case=case, rule=ClockRule.SIN, on=back(9), actor=notifier)
    rapid_review_clocks_start(case=case, sin_submitted_on=back(9), la_aware_on=back(12), actor=coordinator)
    clock_meet(case=case, rule=ClockRule.RR_REQUESTS_OUT, on=back(8), actor=coordinator)
    clock_pause(
        clock=_rr(case, ClockRule.RAPID_REVIEW),
        on=back(3),
        reason="Police asked for agency contact with the family to wait until arrests are made.",
        actor=coordinator,
    )

    # Submitted: the Panel's reply is awaited, an LCSPR under way, publication planned.
    case = _case(world, "NSCP-2026-095", "Child U", CaseState.RAPID_REVIEW_SUBMITTED)
    clock_start(case=case, rule=ClockRule.SIN, start_date=back(24), actor=coordinator)
    clock_meet(case=case, rule=ClockRule.SIN, on=back(21), actor=notifier)
    rapid_review_clocks_start(case=case, sin_submitted_on=back(21), la_aware_on=back(24), actor=coordinator)
    for rule, done in (
        (ClockRule.RR_REQUESTS_OUT, 19),
        (ClockRule.RR_RETURNS, 14),
        (ClockRule.RR_MEETING, 10),
        (ClockRule.RR_SIGN_OFF, 8),
        (ClockRule.RR_SUBMISSION, 6),
        (ClockRule.RAPID_REVIEW, 6),
    ):
        clock_meet(case=case, rule=rule, on=back(done), actor=coordinator)
    clock_start(case=case, rule=ClockRule.PANEL_REPLY, start_date=back(6), actor=coordinator)
    clock_start(case=case, rule=ClockRule.LCSPR, start_date=back(5), actor=coordinator, owner=coordinator)
    publication = add_working_days(today, 120, holidays)
    clock_start(case=case, rule=ClockRule.PUBLICATION_NOTICE, start_date=publication, actor=coordinator)

    # A local closure day: a warning beside deadlines, never a change to them.
    closure = add_working_days(today, 3, holidays)
    closure_day_add(partnership=world.partnership, day=closure, name="Office closed for training", actor=coordinator)
