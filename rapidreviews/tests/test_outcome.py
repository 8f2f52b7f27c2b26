"""The outcome in words: where the case stands after the rapid review is sent and the Panel
replies (case page and referrer's page), what the people told read, and a reopened review."""

import html
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from cases.models import CaseState
from conftest import SignIn, World
from notifications.models import Message
from rapidreviews.models import PanelResponseKind, RapidReview, RapidReviewDecision
from rapidreviews.panels import home_sign_off_panel
from rapidreviews.services.meeting import meeting_schedule
from rapidreviews.services.review import rapid_review_update
from rapidreviews.services.submission import panel_response_record, submission_record
from rapidreviews.task_list import review_tasks
from rapidreviews.tests.helpers import NOT_ALL_IN, all_three_approve, panel_challenges_the_decision
from rapidreviews.tests.test_submission import signed_off

pytestmark = pytest.mark.django_db


def sent(world: World, review: RapidReview, decision: str = RapidReviewDecision.LCSPR) -> RapidReview:
    signed_off(world, review, decision)
    submission_record(review=review, actor=world.people["coordinator"], missing_reason=NOT_ALL_IN)
    review.refresh_from_db()
    return review


def page(signed_in: SignIn, user: Any, review: RapidReview) -> str:
    return html.unescape(signed_in(user).get(f"/cases/{review.case.reference}/").content.decode())


def test_the_case_says_it_waits_for_the_panel_then_what_the_panel_replied(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    review = sent(world, asked)
    today = timezone.localdate()
    body = page(signed_in, world.people["delegate_la"], review)
    assert f"sent to the Panel on {today:%-d %B %Y} with the partners' decision: to hold a local child" in body
    assert "Waiting for the Panel's response." in body
    panel_response_record(
        review=review,
        actor=world.people["coordinator"],
        received_on=today,
        kind=PanelResponseKind.AGREES,
        said="It joins the national review.",
        reopen=[],
        national_review=True,
    )
    body = page(signed_in, world.people["delegate_la"], review)
    assert "Waiting for the Panel's response" not in body
    assert "the Panel responded: agrees with the decision, and that it will hold a national review of this case" in body


def test_the_referrer_reads_the_outcome_in_the_service_too(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    review = sent(world, asked, RapidReviewDecision.NO_LCSPR)
    body = page(signed_in, world.people["practitioner"], review)
    assert "the partners' decision: no further review: the learning is captured in the rapid review" in body


def test_criteria_not_met_reads_as_such_and_not_as_a_review_sent(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    review = sent(world, asked, RapidReviewDecision.CRITERIA_NOT_MET)
    assert review.case.state == CaseState.CLOSED
    body = page(signed_in, world.people["practitioner"], review)
    assert "serious incident criteria were not met after all" in body
    message = Message.objects.get(
        case=review.case, recipient=world.people["practitioner"], subject__startswith="Outcome"
    )
    assert "has been sent to the Child Safeguarding" not in message.body
    assert "did not meet the serious incident criteria after all, so no further review" in message.body


def test_the_referrer_and_the_agencies_are_each_thanked_for_their_part_and_told_what_happens_next(
    world: World, asked: RapidReview
) -> None:
    review = sent(world, asked, RapidReviewDecision.LCSPR)
    referrer = Message.objects.get(
        case=review.case, recipient=world.people["practitioner"], subject__startswith="Outcome"
    )
    lead = Message.objects.get(case=review.case, recipient=world.people["lead_school"], subject__startswith="Outcome")
    assert "Thank you for referring this incident." in referrer.body and "agency's summary" not in referrer.body
    assert "Thank you for your agency's summary and chronology." in lead.body
    for message in (referrer, lead):
        assert "What happens next: The safeguarding partners will commission a local child" in message.body
        assert f"/cases/{review.case.reference}/" in message.body


def test_a_reopened_decision_is_not_offered_for_sign_off_and_the_workspace_says_what_reopened(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    review = sent(world, asked)
    panel_challenges_the_decision(world, review, "Reconsider the police's part.")
    panel = home_sign_off_panel(world.people["delegate_la"])
    assert panel is None or review not in panel["rr_waiting"], "nothing to sign off until decided again"
    body = signed_in(world.people["coordinator"]).get(f"/rapid-reviews/{review.case.reference}/").content.decode()
    assert "the Panel responded: challenges the decision." in body
    assert "The Panel asked for more work on the decision." in body and "Reconsider the police&#x27;s part." in body
    tasks = {t.title: t for t in review_tasks(review)}
    reopened_by = f"Reopened by the Panel's response of {timezone.localdate():%-d %B}"
    assert tasks["Decision"].clock == reopened_by
    assert tasks["Sign-off by the three safeguarding partners"].clock == reopened_by
    assert "met on" not in tasks["Submission to the Panel"].clock
    assert "The rapid review is under way again." in page(signed_in, world.people["delegate_la"], review)
    rapid_review_update(
        review=review,
        actor=world.people["coordinator"],
        expected_version=review.version,
        fields={"decision": RapidReviewDecision.LCSPR},
    )
    panel = home_sign_off_panel(world.people["delegate_la"])
    assert panel is not None and [r.pk for r in panel["rr_waiting"]] == [review.pk]


def test_a_meeting_is_not_completed_before_it_is_recorded_as_held(world: World, asked: RapidReview) -> None:
    from datetime import time

    from rapidreviews.services.meeting import meeting_held_record

    planned = timezone.localdate() + timedelta(days=2)
    meeting_schedule(
        review=asked,
        actor=world.people["coordinator"],
        date=planned,
        start_time=time(10, 0),
        duration_minutes=60,
        place="Room 2",
        online_link="",
        members=[],
    )
    rapid_review_update(
        review=asked, actor=world.people["coordinator"], expected_version=asked.version, fields={"facts_agreed": "X"}
    )
    asked.refresh_from_db()
    assert {t.title: t.status for t in review_tasks(asked)}["Meeting"] == f"Planned for {planned:%-d %B}"
    asked.meeting.date = date.today() - timedelta(days=1)
    asked.meeting.save()
    assert {t.title: t.status for t in review_tasks(asked)}["Meeting"] == "Not held yet", "its day alone is not enough"
    meeting_held_record(review=asked, actor=world.people["coordinator"], held_on=asked.meeting.date)
    asked.refresh_from_db()
    assert {t.title: t.status for t in review_tasks(asked)}["Meeting"] == "Completed"


def test_the_panels_response_cannot_predate_the_submission_nor_reopen_with_an_agreement(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    review = sent(world, asked)
    url = f"/rapid-reviews/{review.case.reference}/panel-response/"
    before = timezone.localdate() - timedelta(days=3)
    client = signed_in(world.people["coordinator"])
    body = html.unescape(
        client.post(
            url,
            {
                "received_on_0": before.day,
                "received_on_1": before.month,
                "received_on_2": before.year,
                "kind": PanelResponseKind.AGREES,
                "summary": "Agreed",
                "reopen": ["decision"],
            },
        ).content.decode()
    )
    assert "Date the Panel responded must be on or after" in body
    assert "Only a challenge or a request for more information reopens parts of the rapid review" in body
    assert not review.panel_responses.exists()


def test_a_review_sent_again_after_a_challenge_waits_for_the_panels_new_reply(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:

    review = sent(world, asked)
    panel_challenges_the_decision(world, review, "Reconsider.")
    rapid_review_update(
        review=review,
        actor=world.people["coordinator"],
        expected_version=review.version,
        fields={"decision": RapidReviewDecision.LCSPR},
    )
    review.refresh_from_db()
    all_three_approve(world, review)
    submission_record(review=review, actor=world.people["coordinator"], missing_reason=NOT_ALL_IN)
    review.refresh_from_db()
    body = page(signed_in, world.people["delegate_la"], review)
    assert "Waiting for the Panel's response." in body and "challenges the decision" not in body.split("<h1")[1][:600]
    assert {t.title: t.status for t in review_tasks(review)}["The Panel's response"] == "Not started"


def test_the_partners_are_asked_to_sign_off_when_the_decision_is_made_and_again_when_it_changes(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    review = sent(world, asked)
    asks = Message.objects.filter(
        subject__startswith=f"The rapid review of {review.case.reference} is ready for your sign-off"
    )
    assert {m.recipient for m in asks} == {world.people[k] for k in ("delegate_la", "delegate_icb", "delegate_police")}
    panel_challenges_the_decision(world, review, "Reconsider.")
    workspace = html.unescape(
        signed_in(world.people["coordinator"]).get(f"/rapid-reviews/{review.case.reference}/").content.decode()
    )
    assert (
        "the Panel's response of" in workspace
        and "reopened it" in workspace
        and "(met on" not in workspace.split("<h1")[1][:400]
    )
    decision_page = html.unescape(
        signed_in(world.people["coordinator"])
        .get(f"/rapid-reviews/{review.case.reference}/meeting/decision/")
        .content.decode()
    )
    assert "The decision sent to the Panel was:" in decision_page and "Reconsider." in decision_page
    rapid_review_update(
        review=review,
        actor=world.people["coordinator"],
        expected_version=review.version,
        fields={"decision": RapidReviewDecision.NO_LCSPR},
    )
    assert asks.filter(subject__endswith="sign-off again").count() == 3
    body = html.unescape(
        signed_in(world.people["delegate_la"]).get(f"/rapid-reviews/{review.case.reference}/sign-off/").content.decode()
    )
    assert body.count("No longer counts") == 3, "the three earlier approvals"


def test_saving_no_criterion_saves_nothing(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    from audit.models import AuditEvent

    response = signed_in(world.people["coordinator"]).post(
        f"/rapid-reviews/{asked.case.reference}/meeting/criteria/", {}
    )
    assert "Answer at least one criterion before you save" in response.content.decode()
    assert not AuditEvent.objects.filter(details__summary="Regulation 11 criteria considered").exists()
