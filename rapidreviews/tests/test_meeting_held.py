"""The meeting is held only when the coordinator records that it took place, on a day not in the
future and not before the notification; the steps that need it wait for it until then."""

import html
from datetime import datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from accounts.roles import Role
from cases.models import Case, CaseState, StateChange
from clocks.calendar import holiday_dates
from clocks.models import Clock, ClockRule, ClockStatus
from conftest import SignIn, World
from core.workdays import add_working_days
from rapidreviews.models import RapidReview, RapidReviewDecision, SignOffDecision
from rapidreviews.rendering.document import document_context
from rapidreviews.services.document import DocumentWaits, document_generate
from rapidreviews.services.meeting import meeting_schedule
from rapidreviews.services.meeting_state import MeetingError
from rapidreviews.services.requests import information_request_send
from rapidreviews.services.review import ReviewWaits, rapid_review_start, rapid_review_update
from rapidreviews.services.signoff import SignOffError, sign_off_record
from rapidreviews.services.submission import SubmissionError, submission_guard, submission_record

pytestmark = pytest.mark.django_db

SIN_DAYS_AGO = 14


@pytest.fixture
def under_way(world: World) -> RapidReview:
    """Notified to the Panel 14 days ago (its SIN recorded then), the rapid review started, one agency asked."""
    case = world.cases["north"]
    Case.objects.filter(pk=case.pk).update(state=CaseState.NOTIFIED)
    change = StateChange.objects.create(
        case=case,
        transition="notify",
        from_state=CaseState.TO_NOTIFY,
        to_state=CaseState.NOTIFIED,
        actor=world.people["notifier"],
    )
    StateChange.objects.filter(pk=change.pk).update(at=timezone.now() - timedelta(days=SIN_DAYS_AGO))
    case.refresh_from_db()
    review = rapid_review_start(case=case, actor=world.people["coordinator"])
    information_request_send(
        review=review,
        actor=world.people["coordinator"],
        agency=world.agencies["school"],
        lead=world.people["lead_school"],
    )
    return review


def working_day_after(days: int) -> Any:
    return add_working_days(timezone.localdate(), days, holiday_dates())


def schedule(world: World, review: RapidReview, day: Any) -> None:
    meeting_schedule(
        review=review,
        actor=world.people["coordinator"],
        date=day,
        start_time=time(10, 0),
        duration_minutes=120,
        place="Room 4, Civic Centre",
        online_link="",
        members=[world.people["delegate_la"]],
    )


def date_fields(name: str, day: Any) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def meeting_clock(review: RapidReview) -> Clock:
    clock = Clock.objects.filter(case=review.case, rule=ClockRule.RR_MEETING).order_by("-id").first()
    assert clock is not None
    return clock


def test_a_meeting_planned_for_later_is_not_held_when_its_record_is_written_and_the_decision_waits(
    world: World, signed_in: SignIn, under_way: RapidReview
) -> None:
    planned = working_day_after(3)
    schedule(world, under_way, planned)
    client = signed_in(world.people["coordinator"])
    reference = under_way.case.reference
    response = client.post(
        f"/rapid-reviews/{reference}/meeting/record/",
        {"version": under_way.version, "facts_agreed": "Nobody joined up the bruise and the missed visits"},
    )
    assert response.status_code == 302
    clock = meeting_clock(under_way)
    assert clock.status == ClockStatus.OPEN and clock.met_on is None, "writing the record is not holding the meeting"
    waits = f"The decision waits for the rapid review meeting on {planned:%A %-d %B %Y}"
    page = html.unescape(client.get(f"/rapid-reviews/{reference}/meeting/decision/").content.decode())
    assert waits in page and 'name="decision_rationale"' not in page
    # A decision sent from a page opened earlier comes back with its words and why it was not saved.
    under_way.refresh_from_db()
    response = client.post(
        f"/rapid-reviews/{reference}/meeting/decision/",
        {
            "version": under_way.version,
            "decision": RapidReviewDecision.LCSPR,
            "decision_rationale": "My careful rationale",
        },
    )
    body = html.unescape(response.content.decode())
    assert response.status_code == 200 and waits in body and "My careful rationale" in body
    under_way.refresh_from_db()
    assert under_way.decision == ""
    with pytest.raises(ReviewWaits):
        rapid_review_update(
            review=under_way,
            actor=world.people["coordinator"],
            expected_version=under_way.version,
            fields={"decision": RapidReviewDecision.LCSPR, "decision_rationale": "R"},
        )
    meeting_page = html.unescape(client.get(f"/rapid-reviews/{reference}/meeting/").content.decode())
    assert waits in meeting_page and "Record that it was held" in meeting_page
    partner = html.unescape(
        signed_in(world.people["delegate_la"]).get(f"/rapid-reviews/{reference}/sign-off/").content.decode()
    )
    assert f"Sign-off waits for the rapid review meeting on {planned:%A %-d %B %Y}" in partner, "told when"


def test_sign_off_the_document_and_the_submission_wait_for_the_meeting(
    world: World, signed_in: SignIn, under_way: RapidReview
) -> None:
    planned = working_day_after(3)
    schedule(world, under_way, planned)
    # A decision recorded before this rule (or by any other way round it) still waits for the meeting.
    RapidReview.objects.filter(pk=under_way.pk).update(
        decision=RapidReviewDecision.NO_LCSPR, decision_rationale="R", decided_at=timezone.now()
    )
    under_way.refresh_from_db()
    with pytest.raises(SignOffError, match=f"Sign-off waits for the rapid review meeting on {planned:%A %-d %B %Y}"):
        sign_off_record(
            review=under_way,
            actor=world.people["delegate_la"],
            role=Role.DELEGATE_LA,
            decision=SignOffDecision.APPROVED,
        )
    with pytest.raises(DocumentWaits):
        document_generate(review=under_way, actor=world.people["coordinator"], fmt="docx")
    assert "Sending the rapid review to the Panel waits" in (submission_guard(under_way.case) or "")
    with pytest.raises(SubmissionError, match="waits for the rapid review meeting"):
        submission_record(review=under_way, actor=world.people["coordinator"])
    reference = under_way.case.reference
    partner = signed_in(world.people["delegate_la"])
    page = html.unescape(partner.get(f"/rapid-reviews/{reference}/sign-off/").content.decode())
    assert "Sign-off waits for the rapid review meeting" in page and 'name="decision"' not in page
    response = partner.post(f"/rapid-reviews/{reference}/sign-off/", {"decision": "approved", "comments": ""})
    assert "Sign-off waits for the rapid review meeting" in html.unescape(response.content.decode())
    assert not under_way.sign_offs.exists()
    coordinator = signed_in(world.people["coordinator"])
    page = html.unescape(coordinator.get(f"/rapid-reviews/{reference}/document/").content.decode())
    assert "The rapid review document waits for the rapid review meeting" in page and 'value="docx"' not in page
    assert coordinator.post(f"/rapid-reviews/{reference}/document/generate/", {"format": "docx"}).status_code == 302
    assert not under_way.case.documents.exists()


def test_the_meeting_recorded_as_held_meets_its_clock_that_day_and_the_letter_says_it_was_held(
    world: World, signed_in: SignIn, under_way: RapidReview
) -> None:
    planned = working_day_after(2)
    schedule(world, under_way, planned)
    assert "is planned for" not in document_context(under_way)["meeting_sentence"]
    assert document_context(under_way)["meeting_sentence"] == "The rapid review meeting has not been held yet."
    later = timezone.make_aware(datetime.combine(planned + timedelta(days=1), time(9, 0)))
    with time_machine.travel(later, tick=False):
        client = signed_in(world.people["coordinator"])
        reference = under_way.case.reference
        page = client.get(f"/rapid-reviews/{reference}/meeting/held/").content.decode()
        assert f'value="{planned.day}"' in page, "the planned day is offered"
        response = client.post(f"/rapid-reviews/{reference}/meeting/held/", date_fields("held_on", planned))
        assert response.status_code == 302
        clock = meeting_clock(under_way)
        assert clock.met_on == planned and clock.status in (ClockStatus.MET, ClockStatus.LATE)
        under_way.refresh_from_db()
        context = document_context(under_way)
        assert context["meeting_sentence"] == f"The rapid review meeting was held on {planned:%-d %B %Y}."
        assert context["meeting_date"] == f"{planned:%-d %B %Y}"
        rapid_review_update(
            review=under_way,
            actor=world.people["coordinator"],
            expected_version=under_way.version,
            fields={"decision": RapidReviewDecision.NO_LCSPR, "decision_rationale": "Learning captured here"},
        )
        under_way.refresh_from_db()
        assert under_way.decision == RapidReviewDecision.NO_LCSPR
        document_generate(review=under_way, actor=world.people["coordinator"], fmt="docx")
        assert under_way.case.documents.count() == 1


def test_a_held_date_in_the_future_or_before_the_notification_is_refused(
    world: World, signed_in: SignIn, under_way: RapidReview
) -> None:
    schedule(world, under_way, working_day_after(2))
    client = signed_in(world.people["coordinator"])
    url = f"/rapid-reviews/{under_way.case.reference}/meeting/held/"
    tomorrow = timezone.localdate() + timedelta(days=1)
    body = html.unescape(client.post(url, date_fields("held_on", tomorrow)).content.decode())
    assert "Date the meeting was held must be today or in the past" in body and "govuk-error-summary" in body
    sin = timezone.localdate() - timedelta(days=SIN_DAYS_AGO)
    body = html.unescape(client.post(url, date_fields("held_on", sin - timedelta(days=1))).content.decode())
    assert (
        f"Date the meeting was held must be on or after the date of the Serious Incident Notification, {sin:%-d %B %Y}"
        in body
    )
    under_way.meeting.refresh_from_db()
    assert under_way.meeting.held_on is None


def test_a_meeting_dated_before_the_notification_is_refused(
    world: World, signed_in: SignIn, under_way: RapidReview
) -> None:
    sin = timezone.localdate() - timedelta(days=SIN_DAYS_AGO)
    before = sin - timedelta(days=1)
    while before.weekday() >= 5:
        before -= timedelta(days=1)
    under_way.case.involved_agencies.add(world.agencies["police"])
    response = signed_in(world.people["coordinator"]).post(
        f"/rapid-reviews/{under_way.case.reference}/meeting/",
        {
            **date_fields("date", before),
            "start_time": "10:00",
            "duration_minutes": "120",
            "place": "Room 4",
            "members": [world.people["delegate_la"].pk],
        },
    )
    body = html.unescape(response.content.decode())
    assert (
        f"Date of the meeting must be on or after the date of the Serious Incident Notification, {sin:%-d %B %Y}"
        in body
    )
    assert not hasattr(RapidReview.objects.get(pk=under_way.pk), "meeting")
    with pytest.raises(MeetingError):
        schedule(world, under_way, before)


def test_moving_a_held_meeting_to_another_day_makes_it_a_meeting_to_hold_again(
    world: World, under_way: RapidReview
) -> None:
    from rapidreviews.services.meeting import meeting_held_record

    today = timezone.localdate()
    schedule(world, under_way, today)
    meeting_held_record(review=under_way, actor=world.people["coordinator"], held_on=today)
    schedule(world, under_way, working_day_after(4))
    under_way.refresh_from_db()
    assert under_way.meeting.held_on is None
