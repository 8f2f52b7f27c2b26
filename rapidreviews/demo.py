"""Demo rapid reviews for the invented Northshire partnership, one at each point of the 15 working
days, so every screen has something real on first run. Every name and event is made up.

References NSCP-<year>-0050 to 0069 belong to this module. Each case is created already notified,
with the referral, the partners' decision and the SIN behind it dated N working days ago, and then
taken forward through the real services.
"""

from datetime import date, time, timedelta
from typing import Any

from django.utils import timezone

from accounts.roles import Role
from cases.models import Case, CaseState
from clocks.calendar import holiday_dates
from core.workdays import add_working_days, subtract_working_days
from rapidreviews.demo_records import dated, referred_and_notified, story_days
from rapidreviews.models import (
    AgencySummary,
    ImmediateActionStatus,
    PanelResponseKind,
    RapidReview,
    RapidReviewDecision,
    SignOffDecision,
)
from rapidreviews.services.document import document_generate
from rapidreviews.services.meeting import immediate_action_save, meeting_held_record, meeting_schedule
from rapidreviews.services.requests import information_request_send, summaries_share
from rapidreviews.services.review import criteria_record, rapid_review_start, rapid_review_update
from rapidreviews.services.signoff import sign_off_record
from rapidreviews.services.submission import panel_response_record, submission_record
from rapidreviews.services.summaries import (
    agency_summary_check,
    agency_summary_save,
    agency_summary_submit,
    chronology_entry_save,
    practice_episode_save,
)

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
        "immediate_actions": {
            3: "Reminder to all emergency department and health visiting staff on following up missed appointments "
            "for under-ones, and on the bruising protocol.",
            1: "Officers reminded to refer to children's social care after a second call-out to a home with a baby.",
            7: "The designated safeguarding lead now reviews every pattern of hunger or absence in the nursery weekly.",
        }[agency],
        "learning": "Professional curiosity about injuries in non-mobile babies.",
        "parallel_processes": "Police investigation under way; care proceedings being considered.",
    }
    return texts[field]


def _case(world: Any, n: int, title: str, notified_days_ago: int) -> Case:
    """A case notified `notified_days_ago` working days ago, with the records the referral journey
    leaves behind it (`demo_records.referred_and_notified`)."""
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
    referred_and_notified(world, case, n, subtract_working_days(today, notified_days_ago, holiday_dates()))
    return case


def _summary(review: RapidReview, agency: Any) -> AgencySummary:
    return AgencySummary.objects.get(request__review=review, request__agency=agency)


def _fill(
    world: Any, review: RapidReview, index: int, lead: str, *, complete: bool = True, day: date | None = None
) -> AgencySummary:
    """The agency's summary, episodes and chronology, dated back from `day` (default today): the
    child was admitted two days before it."""
    day = day or timezone.localdate()
    agency_summary = _summary(review, world.agencies[index])
    actor = world.users[lead]
    fields: dict[str, Any] = {"period_start": day - timedelta(days=365), "period_end": day}
    names = ["involvement_summary", "lived_experience"]
    if complete:
        names += ["inequalities", "immediate_actions", "learning", "parallel_processes"]
    fields.update({name: _text(index, name) for name in names})
    agency_summary_save(
        agency_summary=agency_summary, actor=actor, expected_version=agency_summary.version, fields=fields
    )
    for days, title, well, differ in EPISODES[index]:
        practice_episode_save(
            agency_summary=agency_summary,
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
            agency_summary=agency_summary,
            actor=actor,
            entry=None,
            expected_version=0,
            on=day + timedelta(days=days),
            at=time(9, 30) if days == -95 else None,
            what_happened=what,
            source={3: "Electronic patient record", 1: "Police incident log", 7: "Pupil record"}[index],
            significance="Missed opportunity to ask about the injury" if days == -95 else "",
        )
    return agency_summary


def _to(world: Any, n: int, title: str, days: int, stage: int) -> RapidReview | None:
    case = _case(world, n, title, days)
    if stage < 1:
        return None
    review = rapid_review_start(case=case, actor=world.users["coordinator"])
    decision = {
        60: RapidReviewDecision.NATIONAL,
        61: RapidReviewDecision.CRITERIA_NOT_MET,
        58: RapidReviewDecision.NO_LCSPR,
    }.get(n, RapidReviewDecision.LCSPR)
    story = story_days(case)
    incident = case.referral.incident_date
    written = incident + timedelta(days=2) if incident else None
    meeting_day = story["meeting"] if stage >= 5 else None
    review = review_to_stage(world, review, stage, decision=decision, meeting_day=meeting_day, written_on=written)
    dated(review, stage, story)
    return review


def demo_review_at(world: Any, n: int, title: str, days: int, stage: int) -> RapidReview | None:
    """A demo case notified `days` ago with its rapid review taken to `stage` (7: sent to the Panel),
    for the stages that follow."""
    return _to(world, n, title, days, stage)


def review_to_stage(
    world: Any,
    review: RapidReview,
    stage: int,
    *,
    decision: str = RapidReviewDecision.LCSPR,
    meeting_day: date | None = None,
    written_on: date | None = None,
) -> RapidReview:
    """Takes a started review forward through the services. Stages: 1 requests sent; 2 returns in
    progress; 3 returns in; 4 meeting set; 5 meeting held and decided; 6 signed off with the
    document; 7 submitted. The meeting is on `meeting_day` (default: tomorrow at stage 4, else
    today); the summaries are dated from `written_on` (see `_fill`)."""
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
        agency_summary_submit(
            agency_summary=submitted, actor=world.users["lead.police"], expected_version=submitted.version
        )
        return review
    for index, lead in CONTRIBUTORS:
        r = _fill(world, review, index, lead, day=written_on)
        agency_summary_submit(agency_summary=r, actor=world.users[lead], expected_version=r.version)
    school = _summary(review, world.agencies[7])
    agency_summary_check(
        agency_summary=school,
        actor=coordinator,
        accept=False,
        comments="Please add the dates of the attendance letters.",
    )
    if stage == 3:
        agency_summary_check(
            agency_summary=_summary(review, world.agencies[3]), actor=coordinator, accept=True, comments=""
        )
        return review
    agency_summary_save(
        agency_summary=school,
        actor=world.users["lead.school"],
        expected_version=school.version,
        fields={"involvement_summary": SUMMARY[7] + " Attendance letters were sent in March and May."},
    )
    agency_summary_submit(agency_summary=school, actor=world.users["lead.school"], expected_version=school.version)
    for index, _lead in CONTRIBUTORS:
        agency_summary_check(
            agency_summary=_summary(review, world.agencies[index]), actor=coordinator, accept=True, comments=""
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
    summaries_share(review=review, actor=coordinator)
    if stage == 4:
        return review
    meeting_held_record(review=review, actor=coordinator, held_on=meeting_day)
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
            "status": ImmediateActionStatus.DONE,
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
            "status": ImmediateActionStatus.IN_PROGRESS,
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
            PanelResponseKind.AGREES,
            "The Panel agrees with the decision and will include this case in its national review of NAI in infants.",
            [],
        ),
    ]
    for review, kind, summary, reopen in responses:
        if review is not None:
            panel_response_record(
                review=review,
                actor=coordinator,
                received_on=today,
                kind=kind,
                said=summary,
                reopen=reopen,
                national_review=review is national,
            )
