"""The Panel's response says what it thinks of the decision and, as a separate answer, whether it will
hold a national review: it may challenge the decision and hold one too, and "no national review"
is an answer the coordinator gives, not a gap."""

import html
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from audit.models import AuditEvent
from cases.models import CaseState
from conftest import SignIn, World
from rapidreviews.models import PanelResponse, PanelResponseKind, RapidReview, RapidReviewDecision
from rapidreviews.services.submission import submission_record
from rapidreviews.tests.helpers import NOT_ALL_IN
from rapidreviews.tests.test_submission import signed_off

pytestmark = pytest.mark.django_db


def sent(world: World, review: RapidReview, decision: str = RapidReviewDecision.LCSPR) -> RapidReview:
    signed_off(world, review, decision)
    submission_record(review=review, actor=world.people["coordinator"], missing_reason=NOT_ALL_IN)
    review.refresh_from_db()
    return review


def reply(signed_in: SignIn, world: World, review: RapidReview, **answers: Any) -> Any:
    today = timezone.localdate()
    data = {
        "received_on_0": today.day,
        "received_on_1": today.month,
        "received_on_2": today.year,
        "summary": "The Panel's letter",
        **answers,
    }
    return signed_in(world.people["coordinator"]).post(f"/rapid-reviews/{review.case.reference}/panel-response/", data)


def test_the_form_asks_whether_there_will_be_a_national_review_and_requires_an_answer(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    review = sent(world, asked)
    page = html.unescape(
        signed_in(world.people["coordinator"])
        .get(f"/rapid-reviews/{review.case.reference}/panel-response/")
        .content.decode()
    )
    assert "Will the Panel hold a national review of this case?" in page
    assert "No national review" in page
    assert "Will hold a national review" not in page, "no longer one of the answers about the decision"
    body = html.unescape(reply(signed_in, world, review, kind="agrees").content.decode())
    assert "govuk-error-summary" in body
    assert 'href="#id_national_review_0">Select whether the Panel will hold a national review' in body
    assert not review.panel_responses.exists()


def test_a_challenge_with_a_national_review_reopens_the_review_and_keeps_the_national_review(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    review = sent(world, asked)
    response = reply(signed_in, world, review, kind="challenges", national_review="yes", reopen=["decision"])
    assert response.status_code == 302
    answer = PanelResponse.objects.get(review=review)
    assert (answer.kind, answer.national_review, answer.reopened_tasks) == ("challenges", True, ["decision"])
    review.refresh_from_db()
    assert review.national_review
    assert review.case.state == CaseState.RAPID_REVIEW, "reopened as any challenge is"
    assert review.decision == "", "the challenged decision is cleared, as any challenge does"
    event = AuditEvent.objects.filter(case=review.case, target_type="rapidreviews.panelresponse").get()
    assert event.details["summary"] == "The Panel's response: challenges the decision; it will hold a national review"
    page = html.unescape(
        signed_in(world.people["delegate_la"]).get(f"/cases/{review.case.reference}/").content.decode()
    )
    assert "The Panel will also hold a national review of this case." in page


def test_an_agreement_with_no_national_review_says_so(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    review = sent(world, asked)
    assert reply(signed_in, world, review, kind="agrees", national_review="no").status_code == 302
    answer = PanelResponse.objects.get(review=review)
    assert (answer.kind, answer.national_review) == ("agrees", False)
    review.refresh_from_db()
    assert not review.national_review
    page = html.unescape(
        signed_in(world.people["coordinator"])
        .get(f"/rapid-reviews/{review.case.reference}/panel-response/")
        .content.decode()
    )
    assert "No national review." in page


def test_a_reply_recorded_as_a_national_review_before_keeps_it_and_reads_as_agreeing(
    world: World, asked: RapidReview
) -> None:
    review = sent(world, asked)
    old = PanelResponse.objects.create(
        review=review,
        received_on=timezone.localdate(),
        kind="national_review",
        said="Joins the national review",
        recorded_by=world.people["coordinator"],
    )
    kept = PanelResponse.objects.create(
        review=review,
        received_on=timezone.localdate(),
        kind=PanelResponseKind.CHALLENGES,
        said="Reconsider",
        reopened_tasks=["decision"],
        recorded_by=world.people["coordinator"],
    )
    migration = importlib.import_module("rapidreviews.migrations.0020_national_review_beside_the_reply")
    migration.split_national_review(apps, None)
    old.refresh_from_db()
    kept.refresh_from_db()
    assert (old.kind, old.national_review) == (PanelResponseKind.AGREES, True)
    assert (kept.kind, kept.national_review) == (PanelResponseKind.CHALLENGES, False)
    migration.join_national_review(apps, None)
    old.refresh_from_db()
    assert old.kind == "national_review"
