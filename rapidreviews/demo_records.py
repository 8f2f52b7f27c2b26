"""The records behind each demo rapid review, dated to tell one story (rapidreviews.demo uses
them): the referral, the partners' decision and the SIN before the review, and the days each step
of the review was done. Every name is made up."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from cases.models import Case, CaseState, StateChange
from clocks.calendar import holiday_dates
from clocks.models import Clock, ClockRule, ClockStatus
from clocks.services import clock_meet, clock_start
from core.workdays import add_working_days, subtract_working_days
from rapidreviews.demo_clocks import review_dated
from rapidreviews.models import RapidReview

# The child behind each demo case (invented names), by the case's number.
CHILDREN = {
    50: ("Ottilie", "Brackenridge"),
    51: ("Fenn", "Aldercott"),
    52: ("Marigold", "Tresillian"),
    53: ("Jory", "Penwarden"),
    54: ("Isolde", "Varcoe"),
    55: ("Tobiah", "Quennell"),
    56: ("Linnea", "Hartswood"),
    57: ("Caelan", "Rowntree-Iqbal"),
    58: ("Zofia", "Wierzbicka-Vane"),
    59: ("Ansel", "Merriwether"),
    60: ("Primrose", "Okonjo-Fairley"),
    61: ("Bram", "Lanyon-Osei"),
    62: ("Wren", "Castellane-Obi"),
    63: ("Linnea", "Marchetti-Hale"),
    64: ("Corin", "Aldous-Penberthy"),
    65: ("Maisie", "Tregarthen-Oyelaran"),
    66: ("Ansel", "Drummond-Kaye"),
    67: ("Elowen", "Fairclough-Nnamdi"),
}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def referred_and_notified(world: Any, case: Case, n: int, notified_on: date) -> None:
    """The referral (a baby's head injury, the LA aware two working days before the SIN), the
    partners' decision to notify the next working day, the SIN itself with its Panel reference, and
    the 5-working-day SIN clock met, dated so that the case page, the deadlines and the rapid review
    document tell one story. Written as rows rather than through the referral journey's services so
    that the case keeps this module's reference (those services number cases themselves)."""
    from referrals.demo import _referral
    from referrals.models import (
        Referral,
        ReferralStatus,
        SeriousIncidentNotification,
        TriageDecision,
        TriageDecisionKind,
        YesNo,
    )

    holidays = holiday_dates()
    aware = subtract_working_days(notified_on, 2, holidays)
    triaged = add_working_days(aware, 1, holidays)
    incident = aware - timedelta(days=1)
    first, last = CHILDREN[n]
    referral = _referral(
        world,
        user="practitioner",
        agency=3,
        incident=incident,
        aware=aware,
        child={"first_name": first, "last_name": last, "date_of_birth": incident - timedelta(days=480)},
        what_happened="Admitted with a head injury the family could not explain; a skeletal survey was arranged.",
    )
    Referral.objects.filter(pk=referral.pk).update(
        case=case, status=ReferralStatus.SUBMITTED, submitted_at=_at(aware, 9, 40)
    )
    Case.objects.filter(pk=case.pk).update(created_at=_at(aware, 9, 40))  # referred that morning
    triage = TriageDecision.objects.create(
        case=case,
        meeting_date=triaged,
        attendee_la="Lorcan Ashdown",
        attendee_icb="Imogen Carraway",
        attendee_police="Dominic Feltham",
        abuse_or_neglect=YesNo.YES,
        death_or_serious_harm=YesNo.YES,
        decision=TriageDecisionKind.NOTIFY,
        rationale="Both criteria are met: abuse suspected and serious harm.",
        decided_by=world.users["delegate.la"],
    )
    TriageDecision.objects.filter(pk=triage.pk).update(decided_at=_at(triaged, 15, 10))
    notification = SeriousIncidentNotification.objects.create(
        case=case,
        submitted_at=_at(notified_on, 11, 0),
        panel_reference=f"SIN-{notified_on.year}-2{n:04d}",
        submitted_by="Nadia Fenwright",
        rapid_review_required=True,
        recorded_by=world.users["notifier"],
    )
    notification.children.set(referral.children_list())
    for transition, source, target, actor, when in (
        ("decide_notify", CaseState.REFERRED, CaseState.TO_NOTIFY, "delegate.la", _at(triaged, 15, 10)),
        ("record_notification", CaseState.TO_NOTIFY, CaseState.NOTIFIED, "notifier", _at(notified_on, 11, 0)),
    ):
        change = StateChange.objects.create(
            case=case, transition=transition, from_state=source, to_state=target, actor=world.users[actor]
        )
        StateChange.objects.filter(pk=change.pk).update(at=when)
    clock_start(case=case, rule=ClockRule.SIN, start_date=aware, actor=world.users["practitioner"])
    clock_meet(case=case, rule=ClockRule.SIN, on=notified_on, actor=world.users["notifier"])


def story_days(case: Case) -> dict[str, date]:
    """The day each step of the local timetable was done in this case's story: on time, by the day
    its clock was due (and never after today)."""
    today, holidays = timezone.localdate(), holiday_dates()
    due = {clock.rule: clock.due_date for clock in Clock.objects.filter(case=case)}

    def by(rule: ClockRule, fallback: date) -> date:
        return min(today, due.get(rule, fallback))

    start = min(due.values(), default=today)
    return {
        "requests": by(ClockRule.RR_REQUESTS_OUT, add_working_days(start, 1, holidays)),
        "returns": min(today, subtract_working_days(due.get(ClockRule.RR_RETURNS, today), 1, holidays)),
        "meeting": by(ClockRule.RR_MEETING, today),
        "signed": by(ClockRule.RR_SIGN_OFF, today),
    }


STEP_OF_RULE = {
    ClockRule.RR_REQUESTS_OUT: "requests",
    ClockRule.RR_RETURNS: "returns",
    ClockRule.RR_MEETING: "meeting",
    ClockRule.RR_SIGN_OFF: "signed",
}


def dated(review: RapidReview, stage: int, story: dict[str, date]) -> None:
    """The services stamp each step with the moment of seeding, so every step due before today would
    read "met late, recorded late in the service". The demo's story has the work done on time: the
    records and the timetable's clocks are dated to the days of the story (rapidreviews.demo_clocks)."""
    review_dated(
        review,
        requests=story["requests"],
        returns=story["returns"] if stage >= 3 else None,
        invited=story["returns"] if stage >= 4 else None,
        decided=story["meeting"] if stage >= 5 else None,
        signed=story["signed"] if stage >= 6 else None,
    )
    for clock in Clock.objects.filter(case=review.case, rule__in=list(STEP_OF_RULE), status=ClockStatus.LATE):
        Clock.objects.filter(pk=clock.pk).update(
            status=ClockStatus.MET, met_on=story[STEP_OF_RULE[ClockRule(clock.rule)]], reason=""
        )
