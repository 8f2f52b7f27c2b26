from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from cases.models import CaseState
from clocks.models import Clock, ClockRule, ClockStatus
from conftest import SignIn, World
from notifications.models import Message
from rapidreviews.models import AgencySummary, PanelResponseKind, RapidReview, RapidReviewDecision, SummaryStatus
from rapidreviews.services.review import rapid_review_update
from rapidreviews.services.submission import SubmissionError, panel_response_record, submission_record
from rapidreviews.tests.helpers import NOT_ALL_IN, all_three_approve, hold_meeting

pytestmark = pytest.mark.django_db


def signed_off(world: World, review: RapidReview, decision: str = RapidReviewDecision.NO_LCSPR) -> RapidReview:
    hold_meeting(world, review)
    rapid_review_update(
        review=review,
        actor=world.people["coordinator"],
        expected_version=review.version,
        fields={"decision": decision, "decision_rationale": "Because", "learning": "Share sooner"},
    )
    all_three_approve(world, review)
    return review


def test_it_cannot_be_sent_before_the_partners_sign_off(world: World, asked: RapidReview) -> None:
    with pytest.raises(SubmissionError):
        submission_record(review=asked, actor=world.people["coordinator"], missing_reason=NOT_ALL_IN)


def test_sending_meets_the_clock_moves_the_case_and_tells_agencies_and_the_referrer(
    world: World, asked: RapidReview, django_capture_on_commit_callbacks: Any
) -> None:
    review = signed_off(world, asked)
    with django_capture_on_commit_callbacks(execute=True):
        submission_record(review=review, actor=world.people["coordinator"], missing_reason=NOT_ALL_IN)
    review.case.refresh_from_db()
    assert review.case.state == CaseState.RAPID_REVIEW_SUBMITTED
    assert Clock.objects.get(case=review.case, rule=ClockRule.RAPID_REVIEW).status == ClockStatus.MET
    told = set(
        Message.objects.filter(case=review.case, subject__startswith="Outcome").values_list("to_email", flat=True)
    )
    assert {
        world.people["lead_hospital"].email,
        world.people["lead_school"].email,
        world.people["practitioner"].email,
    } <= told
    assert any(m.subject.startswith("Outcome") for m in mail.outbox)
    assert Clock.objects.filter(case=review.case, rule=ClockRule.PANEL_RESPONSE).exists()
    steps = (ClockRule.RR_REQUESTS_OUT, ClockRule.RR_RETURNS, ClockRule.RR_MEETING, ClockRule.RR_SIGN_OFF)
    still_running = Clock.objects.filter(case=review.case, rule__in=steps, status__in=["open", "extended", "paused"])
    assert not still_running.exists(), "no step of the local timetable is chased once the review has gone"


def test_a_late_submission_needs_a_reason(world: World, asked: RapidReview) -> None:
    review = signed_off(world, asked)
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        with pytest.raises(SubmissionError, match="late"):
            submission_record(review=review, actor=world.people["coordinator"], missing_reason=NOT_ALL_IN)
        submission_record(
            review=review,
            actor=world.people["coordinator"],
            missing_reason=NOT_ALL_IN,
            late_reason="Police disclosure took longer",
        )
    assert Clock.objects.get(case=review.case, rule=ClockRule.RAPID_REVIEW).status == ClockStatus.LATE


def test_criteria_not_met_closes_the_case(world: World, asked: RapidReview) -> None:
    review = signed_off(world, asked, RapidReviewDecision.CRITERIA_NOT_MET)
    submission_record(review=review, actor=world.people["coordinator"], missing_reason=NOT_ALL_IN)
    review.case.refresh_from_db()
    assert review.case.state == CaseState.CLOSED


def test_a_challenge_reopens_the_tasks_it_concerns(world: World, asked: RapidReview) -> None:
    review = signed_off(world, asked)
    AgencySummary.objects.filter(request__review=review).update(status=SummaryStatus.ACCEPTED)
    submission_record(review=review, actor=world.people["coordinator"], missing_reason=NOT_ALL_IN)
    panel_response_record(
        review=review,
        actor=world.people["coordinator"],
        received_on=date.today(),
        kind=PanelResponseKind.CHALLENGES,
        said="Reconsider an LCSPR",
        reopen=["decision", "returns"],
    )
    review.case.refresh_from_db()
    assert review.case.state == CaseState.RAPID_REVIEW
    assert review.decision == "" and review.submitted_at is None
    assert set(AgencySummary.objects.values_list("status", flat=True)) == {SummaryStatus.RETURNED}
    from rapidreviews.services.signoff_state import sign_off_state

    assert not sign_off_state(review).complete


def test_a_national_review_is_noted_on_the_case(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    review = signed_off(world, asked, RapidReviewDecision.NATIONAL)
    submission_record(review=review, actor=world.people["coordinator"], missing_reason=NOT_ALL_IN)
    response = signed_in(world.people["coordinator"]).post(
        f"/rapid-reviews/{review.case.reference}/panel-response/",
        {
            "received_on_0": timezone.localdate().day,
            "received_on_1": timezone.localdate().month,
            "received_on_2": timezone.localdate().year,
            "kind": "agrees",
            "national_review": "yes",
            "summary": "We will review",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.national_review
    page = signed_in(world.people["coordinator"]).get(f"/cases/{review.case.reference}/").content.decode()
    assert "national review" in page


def test_a_challenge_without_the_tasks_it_concerns_is_refused_with_a_message(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    review = signed_off(world, asked)
    submission_record(review=review, actor=world.people["coordinator"], missing_reason=NOT_ALL_IN)
    response = signed_in(world.people["coordinator"]).post(
        f"/rapid-reviews/{review.case.reference}/panel-response/",
        {"received_on_0": "1", "received_on_1": "1", "received_on_2": "2026", "kind": "challenges", "summary": "No"},
    )
    assert "Select the parts of the rapid review" in response.content.decode()


def test_the_case_page_sends_the_submission_step_to_the_rapid_review_not_the_generic_page(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    client = signed_in(world.people["coordinator"])
    page = client.get(f"/cases/{asked.case.reference}/").content.decode()
    assert f"/rapid-reviews/{asked.case.reference}/submission/" not in page, "not offered before sign-off"
    signed_off(world, asked)
    page = client.get(f"/cases/{asked.case.reference}/").content.decode()
    assert f"/rapid-reviews/{asked.case.reference}/submission/" in page
    response = client.post(f"/cases/{asked.case.reference}/step/submit_rapid_review/", {"version": asked.case.version})
    assert response.status_code == 404
    asked.case.refresh_from_db()
    assert asked.case.state == CaseState.RAPID_REVIEW
