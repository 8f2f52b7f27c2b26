"""The decision the Panel answered is kept on its response, as it was sent: a challenge clears the
decision from the review, and the decision page shows what was challenged from the response, never
from the wording of the audit ledger."""

import html
import importlib

import pytest
from django.apps import apps

from conftest import SignIn, World
from rapidreviews.models import PanelResponse, RapidReview, RapidReviewDecision
from rapidreviews.services.review import rapid_review_update
from rapidreviews.services.submission import submission_record
from rapidreviews.tests.helpers import NOT_ALL_IN, panel_challenges_the_decision
from rapidreviews.tests.test_submission import signed_off

pytestmark = pytest.mark.django_db


def challenged(world: World, review: RapidReview, decision: str = RapidReviewDecision.ALTERNATIVE) -> PanelResponse:
    signed_off(world, review, decision)
    rapid_review_update(
        review=review,
        actor=world.people["coordinator"],
        expected_version=review.version,
        fields={"alternative_review_type": "Appreciative inquiry", "decision_rationale": "Two agencies missed it"},
    )
    submission_record(review=review, actor=world.people["coordinator"], missing_reason=NOT_ALL_IN)
    review.refresh_from_db()
    panel_challenges_the_decision(world, review, "Reconsider the threshold.")
    return PanelResponse.objects.get(review=review)


def decision_page(signed_in: SignIn, world: World, review: RapidReview) -> str:
    client = signed_in(world.people["coordinator"])
    return html.unescape(client.get(f"/rapid-reviews/{review.case.reference}/meeting/decision/").content.decode())


def test_the_response_keeps_the_decision_and_rationale_that_were_sent(world: World, asked: RapidReview) -> None:
    response = challenged(world, asked)
    asked.refresh_from_db()
    assert asked.decision == "", "the challenge reopened the decision"
    assert response.sent_decision == RapidReviewDecision.ALTERNATIVE
    assert response.sent_alternative_review_type == "Appreciative inquiry"
    assert response.sent_rationale == "Two agencies missed it"


def test_the_decision_page_shows_the_challenged_decision_from_the_response(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    response = challenged(world, asked)
    body = decision_page(signed_in, world, asked)
    assert "The decision sent to the Panel was: <strong>An alternative learning review</strong>" in body
    # What the response holds is what the page says, whatever the ledger's wording.
    PanelResponse.objects.filter(pk=response.pk).update(sent_decision=RapidReviewDecision.NATIONAL)
    body = decision_page(signed_in, world, asked)
    assert "The decision sent to the Panel was: <strong>Suggest a national review to the Panel</strong>" in body


def test_responses_recorded_before_get_the_decision_from_the_ledger(world: World, asked: RapidReview) -> None:
    response = challenged(world, asked, RapidReviewDecision.LCSPR)
    PanelResponse.objects.filter(pk=response.pk).update(
        sent_decision="", sent_alternative_review_type="", sent_rationale=""
    )
    migration = importlib.import_module("rapidreviews.migrations.0014_challenged_decision_on_response")
    migration.fill_from_ledger(apps, None)
    response.refresh_from_db()
    assert response.sent_decision == RapidReviewDecision.LCSPR
    # The challenge reopened the decision: the rationale now in the review may not be the one sent.
    assert response.sent_rationale == ""


def test_a_reply_that_left_the_decision_alone_gets_its_rationale_from_the_review(
    world: World, asked: RapidReview
) -> None:
    from django.utils import timezone

    from rapidreviews.models import PanelResponseKind
    from rapidreviews.services.submission import panel_response_record

    signed_off(world, asked, RapidReviewDecision.NO_LCSPR)
    submission_record(review=asked, actor=world.people["coordinator"], missing_reason=NOT_ALL_IN)
    asked.refresh_from_db()
    response = panel_response_record(
        review=asked,
        actor=world.people["coordinator"],
        received_on=timezone.localdate(),
        kind=PanelResponseKind.AGREES,
        said="Agreed.",
        reopen=[],
    )
    PanelResponse.objects.filter(pk=response.pk).update(sent_decision="", sent_rationale="")
    migration = importlib.import_module("rapidreviews.migrations.0014_challenged_decision_on_response")
    migration.fill_from_ledger(apps, None)
    response.refresh_from_db()
    assert (response.sent_decision, response.sent_rationale) == (RapidReviewDecision.NO_LCSPR, "Because")
