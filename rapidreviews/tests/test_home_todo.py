"""'What you need to do next' lists only what is still open for the person, and says honestly when
there is nothing (and why)."""

import html
from typing import Any

import pytest
from django.utils import timezone

from cases.models import Case, CaseState
from cases.workflow import case_transition
from conftest import SignIn, World
from rapidreviews.models import PanelResponseKind, RapidReview, RapidReviewDecision
from rapidreviews.services.submission import panel_response_record, submission_record
from rapidreviews.tests.helpers import NOT_ALL_IN, summary_of
from rapidreviews.tests.test_submission import signed_off

pytestmark = pytest.mark.django_db


def home(signed_in: SignIn, user: Any) -> str:
    return html.unescape(signed_in(user).get("/").content.decode())


def closed(world: World, review: RapidReview) -> Case:
    submission_record(review=review, actor=world.people["coordinator"], missing_reason=NOT_ALL_IN)
    panel_response_record(
        review=review,
        actor=world.people["coordinator"],
        received_on=timezone.localdate(),
        kind=PanelResponseKind.AGREES,
        said="Agreed.",
        reopen=[],
    )
    case = Case.objects.get(pk=review.case_id)
    case_transition(
        case=case, name="close", actor=world.people["coordinator"], expected_version=case.version, note="Done"
    )
    return case


def test_a_sign_off_request_for_a_case_already_closed_is_not_listed_as_something_to_do(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    from rapidreviews.services.review import rapid_review_update
    from rapidreviews.tests.helpers import hold_meeting

    hold_meeting(world, asked)
    rapid_review_update(
        review=asked, actor=world.people["coordinator"], expected_version=asked.version, fields={"decision": "no_lcspr"}
    )
    reference = asked.case.reference
    before = home(signed_in, world.people["delegate_la"])
    assert f"Sign off {reference}" in before  # what is open now, from the review itself
    review = signed_off(world, RapidReview.objects.get(pk=asked.pk), RapidReviewDecision.NO_LCSPR)
    case = closed(world, review)
    assert case.state == CaseState.CLOSED
    page = home(signed_in, world.people["delegate_la"])
    assert f"The rapid review of {reference} is ready for your sign-off" not in page
    assert f"Sign off {reference}" not in page
    assert "All your messages" in page  # the message itself is still there to read


def test_a_summary_for_a_review_already_sent_to_the_panel_is_not_a_summary_to_write(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    reference = asked.case.reference
    assert f"Summary for {reference}" in home(signed_in, world.people["lead_school"])
    review = signed_off(world, asked, RapidReviewDecision.NO_LCSPR)
    submission_record(review=review, actor=world.people["coordinator"], missing_reason=NOT_ALL_IN)
    assert summary_of(review, world.agencies["school"]).status != "submitted"  # never sent by the school
    assert f"Summary for {reference}" not in home(signed_in, world.people["lead_school"])


def test_a_summary_already_sent_waits_for_the_coordinator_and_is_not_a_task_for_the_lead(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    from rapidreviews.services.summaries import agency_summary_submit
    from rapidreviews.tests.helpers import complete

    lead = world.people["lead_hospital"]
    agency_summary = summary_of(asked, world.agencies["hospital"])
    complete(agency_summary, lead)
    agency_summary.refresh_from_db()
    agency_summary_submit(agency_summary=agency_summary, actor=lead, expected_version=agency_summary.version)
    page = home(signed_in, lead)
    todo, _, rest = page.partition("Sent, waiting for the review coordinator")
    assert f"Summary for {asked.case.reference}" not in todo
    assert asked.case.reference in rest


def test_the_commissioned_reviewer_with_nothing_to_do_is_told_so_and_why(world: World, signed_in: SignIn) -> None:
    page = home(signed_in, world.people["reviewer"])
    assert "You have nothing to do here at the moment" in page
    assert "once a partnership commissions you to review a case and shares it with you" in page
    assert "See the cases you are involved in" not in page  # there are none to see


def test_a_partner_with_nothing_waiting_gets_one_empty_state_rather_than_empty_sections(
    world: World, signed_in: SignIn
) -> None:
    Case.objects.filter(pk=world.cases["north"].pk).update(state=CaseState.NOT_NOTIFIED)  # decided: nothing waits
    page = home(signed_in, world.people["delegate_la"])
    assert "You have nothing to do here at the moment" in page
    assert "Nothing is waiting for the partners' decision or your sign-off" in page
    assert "Nothing is waiting for you." not in page
    assert "Rapid reviews awaiting your sign-off" not in page
