"""Demo rapid reviews for the invented Northshire partnership, one at each point of the 15 working
days, so every screen has something real on first run. Every name and event is made up.

References NSCP-<year>-0050 to 0069 belong to this module. Each case is created already notified,
with the referral, the partners' decision and the SIN behind it dated N working days ago, and then
taken forward through the real services.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from accounts.roles import Role
from cases.models import Case, CaseState, StateChange
from clocks.calendar import holiday_dates
from clocks.models import Clock, ClockRule, ClockStatus
from clocks.services import clock_meet, clock_start
from core.workdays import add_working_days, subtract_working_days
from rapidreviews.demo_clocks import review_dated
from rapidreviews.models import (
    ActionStatus,
    AgencyReturn,
    Decision,
    PanelResponseKind,
    RapidReview,
    SignOffDecision,
)
from rapidreviews.services.document import document_generate
from rapidreviews.services.meeting import immediate_action_save, meeting_schedule
from rapidreviews.services.requests import information_request_send, returns_share
from rapidreviews.services.returns import (
    agency_return_review,
    agency_return_save,
    agency_return_submit,
    chronology_entry_save,
    practice_episode_save,
)
from rapidreviews.services.review import criteria_record, rapid_review_start, rapid_review_update
from rapidreviews.services.signoff import sign_off_record
from rapidreviews.services.submission import panel_response_record, submission_record

# (agency index in partnerships.demo.AGENCIES, lead key)
CONTRIBUTORS = [(3, "lead.health"), (1, "lead.police"), (7, "lead.school")]
MEMBERS = ("delegate.la", "delegate.icb", "delegate.police", "scrutineer", "lead.health", "lead.police", "lead.school")

SUMMARY = {
    3: "Seen at the emergency department twice and by the health visiting team at 6 and 9 months.",
    1: "Two call-outs to the family home for reported arguments; no crime recorded on either occasion.",
    7: "Attended nursery at the school; attendance fell to 62% in the spring term.",
}
EVENTS = {
    3: [
        (-300, "Health visitor 6-month review: growth on the 25th centile, mother tired"),
        (-210, "Health visitor 9-month review not attended; letter sent"),
        (-95, "Seen in the emergency department with a bruise to the left cheek, explained as a fall"),
        (-2, "Admitted with a head injury; skeletal survey arranged"),
    ],
    1: [
        (-260, "Call to the home address: raised voices reported by a neighbour"),
        (-95, "Child seen in A&E with a bruise to the cheek, officers attended"),
        (-40, "Second call-out: argument between the adults, child asleep upstairs"),
        (-2, "Strategy discussion with children's social care; investigation opened"),
    ],
    7: [
        (-280, "Started in the nursery class; settled well"),
        (-120, "Attendance meeting with mother about falling attendance"),
        (-60, "Staff noticed the child was hungry on arrival on three days in a week"),
        (-5, "Child absent for four days without explanation"),
    ],
}


EPISODES: dict[int, list[tuple[int, str, str, str]]] = {
    3: [
        (
            -95,
            "Emergency department visit with a bruise to the cheek",
            "The triage nurse recorded the bruise and the explanation given, with a body map.",
            "A bruise in a non-mobile baby was not referred to children's social care as the protocol requires.",
        ),
        (
            -30,
            "Missed health visitor appointment",
            "The missed appointment was recorded the same day and the GP was told.",
            "It was not followed up with a home visit.",
        ),
    ],
    1: [
        (
            -40,
            "Second call-out to the home",
            "Officers checked on the child, who was asleep upstairs, and recorded it.",
            "No referral was made to children's social care although it was the second call-out in two months.",
        ),
    ],
    7: [
        (
            -60,
            "Child arriving hungry at nursery",
            "Staff noticed and fed the child, and recorded each day on the pupil record.",
            "The pattern was not raised with the designated safeguarding lead for three weeks.",
        ),
    ],
}


def _text(agency: int, field: str) -> str:
    texts = {
        "involvement_summary": SUMMARY[agency],
        "lived_experience": "The child was described as quiet and watchful; no one recorded asking about home.",
        "inequalities": "The family's first language is Polish; no interpreter was used at two contacts.",
        "immediate_actions": "Reminder to all staff on following up missed appointments for under-ones.",
        "learning": "Professional curiosity about injuries in non-mobile babies.",
        "parallel_processes": "Police investigation under way; care proceedings being considered.",
    }
    return texts[field]


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
}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _case(world: Any, n: int, title: str, notified_days_ago: int) -> Case:
    """A case notified `notified_days_ago` working days ago, with the records the referral journey
    leaves behind it (`_referred_and_notified`)."""
    today = timezone.localdate()
    case = Case.objects.create(
        reference=f"NSCP-{today.year}-{n:04d}",
        partnership=world.partnership,
        title=title,
        state=CaseState.NOTIFIED,
        referred_by=world.users["practitioner"],
        referring_agency=world.agencies[3],
    )
    case.involved_agencies.add(world.agencies[3], world.agencies[0], world.agencies[1])
    _referred_and_notified(world, case, n, subtract_working_days(today, notified_days_ago, holiday_dates()))
    return case


def _referred_and_notified(world: Any, case: Case, n: int, notified_on: date) -> None:
    """The referral (a baby's head injury, the LA aware two working days before the SIN), the
    partners' decision to notify the next working day, the SIN itself with its Panel reference, and
    the 5-working-day SIN clock met, dated so that the case page, the deadlines and the rapid review
    document tell one story. Written as rows rather than through the referral journey's services so
    that the case keeps this module's reference (those services number cases themselves)."""
    from referrals.demo import _referral
    from referrals.models import Decision as TriageOutcome
    from referrals.models import Notification, Referral, ReferralStatus, TriageDecision, YesNo

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
    triage = TriageDecision.objects.create(
        case=case,
        meeting_date=triaged,
        attendee_la="Lorcan Ashdown",
        attendee_icb="Imogen Carraway",
        attendee_police="Dominic Feltham",
        abuse_or_neglect=YesNo.YES,
        death_or_serious_harm=YesNo.YES,
        decision=TriageOutcome.NOTIFY,
        rationale="Both criteria are met: abuse suspected and serious harm.",
        decided_by=world.users["delegate.la"],
    )
    TriageDecision.objects.filter(pk=triage.pk).update(decided_at=_at(triaged, 15, 10))
    notification = Notification.objects.create(
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


def _return(review: RapidReview, agency: Any) -> AgencyReturn:
    return AgencyReturn.objects.get(request__review=review, request__agency=agency)


def _fill(
    world: Any, review: RapidReview, index: int, lead: str, *, complete: bool = True, day: date | None = None
) -> AgencyReturn:
    """The agency's summary, episodes and chronology, dated back from `day` (default today): the
    child was admitted two days before it."""
    day = day or timezone.localdate()
    agency_return = _return(review, world.agencies[index])
    actor = world.users[lead]
    fields: dict[str, Any] = {"period_start": day - timedelta(days=365), "period_end": day}
    names = ["involvement_summary", "lived_experience"]
    if complete:
        names += ["inequalities", "immediate_actions", "learning", "parallel_processes"]
    fields.update({name: _text(index, name) for name in names})
    agency_return_save(agency_return=agency_return, actor=actor, expected_version=agency_return.version, fields=fields)
    for days, title, well, differ in EPISODES[index]:
        practice_episode_save(
            agency_return=agency_return,
            actor=actor,
            episode=None,
            expected_version=0,
            title=title,
            on=day + timedelta(days=days),
            went_well=well,
            could_differ=differ,
        )
    for days, what in EVENTS[index]:
        chronology_entry_save(
            agency_return=agency_return,
            actor=actor,
            entry=None,
            expected_version=0,
            on=day + timedelta(days=days),
            at=time(9, 30) if days == -95 else None,
            what_happened=what,
            source={3: "Electronic patient record", 1: "Police incident log", 7: "Pupil record"}[index],
            significance="Missed opportunity to ask about the injury" if days == -95 else "",
        )
    return agency_return


def _to(world: Any, n: int, title: str, days: int, stage: int) -> RapidReview | None:
    case = _case(world, n, title, days)
    if stage < 1:
        return None
    review = rapid_review_start(case=case, actor=world.users["coordinator"])
    decision = {60: Decision.NATIONAL, 61: Decision.CRITERIA_NOT_MET, 58: Decision.NO_LCSPR}.get(n, Decision.LCSPR)
    story = _story_days(case)
    incident = case.referral.incident_date
    written = incident + timedelta(days=2) if incident else None
    meeting_day = story["meeting"] if stage >= 5 else None
    review = review_to_stage(world, review, stage, decision=decision, meeting_day=meeting_day, written_on=written)
    _dated(review, stage, story)
    return review


def _story_days(case: Case) -> dict[str, date]:
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


def _dated(review: RapidReview, stage: int, story: dict[str, date]) -> None:
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


def review_to_stage(
    world: Any,
    review: RapidReview,
    stage: int,
    *,
    decision: str = Decision.LCSPR,
    meeting_day: date | None = None,
    written_on: date | None = None,
) -> RapidReview:
    """Takes a started review forward through the services. Stages: 1 requests sent; 2 returns in
    progress; 3 returns in; 4 meeting set; 5 meeting held and decided; 6 signed off with the
    document; 7 submitted. The meeting is on `meeting_day` (default: tomorrow at stage 4, else
    today); the returns are dated from `written_on` (see `_fill`)."""
    coordinator = world.users["coordinator"]
    title = review.case.title
    for index, lead in CONTRIBUTORS:
        information_request_send(
            review=review,
            actor=coordinator,
            agency=world.agencies[index],
            lead=world.users[lead],
            message="Please cover the last 12 months.",
        )
    if stage < 2:
        return review
    if stage == 2:
        _fill(world, review, 3, "lead.health", complete=False, day=written_on)
        submitted = _fill(world, review, 1, "lead.police", day=written_on)
        agency_return_submit(
            agency_return=submitted, actor=world.users["lead.police"], expected_version=submitted.version
        )
        return review
    for index, lead in CONTRIBUTORS:
        r = _fill(world, review, index, lead, day=written_on)
        agency_return_submit(agency_return=r, actor=world.users[lead], expected_version=r.version)
    school = _return(review, world.agencies[7])
    agency_return_review(
        agency_return=school,
        actor=coordinator,
        accept=False,
        comments="Please add the dates of the attendance letters.",
    )
    if stage == 3:
        agency_return_review(
            agency_return=_return(review, world.agencies[3]), actor=coordinator, accept=True, comments=""
        )
        return review
    agency_return_save(
        agency_return=school,
        actor=world.users["lead.school"],
        expected_version=school.version,
        fields={"involvement_summary": SUMMARY[7] + " Attendance letters were sent in March and May."},
    )
    agency_return_submit(agency_return=school, actor=world.users["lead.school"], expected_version=school.version)
    for index, _lead in CONTRIBUTORS:
        agency_return_review(
            agency_return=_return(review, world.agencies[index]), actor=coordinator, accept=True, comments=""
        )
    if meeting_day is None:
        meeting_day = add_working_days(timezone.localdate(), 1, holiday_dates()) if stage == 4 else timezone.localdate()
    members = [world.users[k] for k in MEMBERS]
    meeting_schedule(
        review=review,
        actor=coordinator,
        date=meeting_day,
        start_time=time(10, 0),
        duration_minutes=120,
        place="Committee Room 2, Northshire Civic Centre",
        online_link="https://meet.northshire-scp.example/rapid-review",
        members=members,
    )
    returns_share(review=review, actor=coordinator)
    if stage == 4:
        return review
    rapid_review_update(
        review=review,
        actor=coordinator,
        expected_version=review.version,
        fields={
            "incident_summary": f"{title} was admitted with a head injury. A brother, aged 7, is staying with his grandmother.",
            "family_context": "Mother, her partner and two children. Polish heritage; Polish and English spoken at home.",
            "facts_agreed": "The bruise seen 95 days before was not explored by any agency. No agency knew of the others' contacts.",
            "learning": "Bruising in non-mobile babies must always lead to a safeguarding referral.",
            "family_informed": "Mother told of the review by the social worker; father not yet contacted.",
        },
    )
    immediate_action_save(
        review=review,
        actor=coordinator,
        action=None,
        values={
            "description": "Check the safety of the 7-year-old brother and record a visit",
            "owner": "Northshire Council Children's Services",
            "due": timezone.localdate() + timedelta(days=2),
            "status": ActionStatus.DONE,
            "evidence": "Visited at grandmother's home; safety plan agreed.",
        },
    )
    immediate_action_save(
        review=review,
        actor=coordinator,
        action=None,
        values={
            "description": "Brief emergency department staff on the bruising protocol for non-mobile babies",
            "owner": "Northshire Hospitals NHS Trust",
            "due": timezone.localdate() + timedelta(days=20),
            "status": ActionStatus.IN_PROGRESS,
        },
    )
    criteria_record(
        review=review,
        actor=coordinator,
        answers={
            "a": ("met", "Improvements in responding to bruising are needed."),
            "b": ("met", "Bruising protocol learning recurs in local reviews."),
            "c": ("met", "Health, police and school held pieces no one put together."),
            "d": ("not_met", "The Panel has not yet considered the case."),
        },
    )
    review.refresh_from_db()
    rapid_review_update(
        review=review,
        actor=coordinator,
        expected_version=review.version,
        fields={
            "decision": decision,
            "decision_rationale": "Criteria (a) to (c) are met; the agencies' contacts were never joined up.",
            "themes": ["nai_infant", "domestic_abuse"],
        },
    )
    if stage == 5:
        sign_off_record(
            review=review, actor=world.users["delegate.la"], role=Role.DELEGATE_LA, decision=SignOffDecision.APPROVED
        )
        sign_off_record(
            review=review,
            actor=world.users["delegate.police"],
            role=Role.DELEGATE_POLICE,
            decision=SignOffDecision.CHANGES,
            comments="Add the dates of the two police call-outs to the summary.",
        )
        return review
    for key, role in (
        ("delegate.la", Role.DELEGATE_LA),
        ("delegate.icb", Role.DELEGATE_ICB),
        ("delegate.police", Role.DELEGATE_POLICE),
    ):
        sign_off_record(review=review, actor=world.users[key], role=role, decision=SignOffDecision.APPROVED)
    sign_off_record(
        review=review,
        actor=world.users["scrutineer"],
        role=Role.SCRUTINEER,
        decision=SignOffDecision.COMMENT,
        comments="A proportionate, well-evidenced review. The methodology suits an LCSPR.",
    )
    document_generate(review=review, actor=coordinator, fmt="docx")
    if stage == 6:
        return review
    submission_record(review=review, actor=coordinator)
    return review


def seed(world: Any) -> None:
    _to(world, 50, "Child R", 1, 0)
    _to(world, 51, "Child T", 1, 1)
    _to(world, 52, "Child V", 5, 2)
    _to(world, 53, "Child W", 8, 3)
    _to(world, 54, "Child X", 10, 4)
    _to(world, 55, "Child Y", 12, 5)
    _to(world, 56, "Child Z", 14, 6)
    _to(world, 57, "Child AB", 15, 7)
    agreed = _to(world, 58, "Child AC", 15, 7)
    challenged = _to(world, 59, "Child AD", 15, 7)
    national = _to(world, 60, "Child AE", 15, 7)
    _to(world, 61, "Child AF", 14, 7)
    coordinator = world.users["coordinator"]
    today = timezone.localdate()
    responses: list[tuple[RapidReview | None, PanelResponseKind, str, list[str]]] = [
        (
            agreed,
            PanelResponseKind.AGREES,
            "The Panel agrees that an LCSPR is not needed; the learning is well captured.",
            [],
        ),
        (
            challenged,
            PanelResponseKind.CHALLENGES,
            "The Panel asks the partners to reconsider: the school's and police's contacts need more analysis.",
            ["returns", "decision"],
        ),
        (
            national,
            PanelResponseKind.NATIONAL_REVIEW,
            "The Panel will include this case in its national review of NAI in infants.",
            [],
        ),
    ]
    for review, kind, summary, reopen in responses:
        if review is not None:
            panel_response_record(
                review=review, actor=coordinator, received_on=today, kind=kind, summary=summary, reopen=reopen
            )
