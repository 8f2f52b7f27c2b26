"""The sign-off page as the partners use it: the draft is there to read before they approve, an
approval is given once, and every step reads in words."""

import html
from typing import Any

import pytest

from accounts.roles import Role
from conftest import SignIn, World
from notifications.models import Message
from rapidreviews.models import RapidReview, RapidReviewDecision, SignOff, SignOffDecision
from rapidreviews.panels import home_sign_off_panel
from rapidreviews.services.review import rapid_review_update
from rapidreviews.services.signoff import SignOffError, sign_off_record
from rapidreviews.services.submission import submission_record
from rapidreviews.tests.helpers import NOT_ALL_IN, all_three_approve, complete, hold_meeting, summary_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(world: World, asked: RapidReview) -> RapidReview:
    hold_meeting(world, asked)
    from rapidreviews.services.summaries import agency_summary_submit

    hospital = summary_of(asked, world.agencies["hospital"])
    complete(hospital, world.people["lead_hospital"])
    agency_summary_submit(
        agency_summary=hospital, actor=world.people["lead_hospital"], expected_version=hospital.version
    )
    rapid_review_update(
        review=asked,
        actor=world.people["coordinator"],
        expected_version=asked.version,
        fields={
            "decision": RapidReviewDecision.LCSPR,
            "decision_rationale": "Three agencies held parts of the picture",
            "incident_summary": "Admitted with a head injury",
            "learning": "Join up contacts sooner",
        },
    )
    asked.refresh_from_db()
    return asked


def _page(signed_in: SignIn, user: Any, review: RapidReview) -> str:
    return html.unescape(signed_in(user).get(f"/rapid-reviews/{review.case.reference}/sign-off/").content.decode())


def test_a_partner_reads_the_whole_draft_before_signing_off(
    world: World, signed_in: SignIn, decided: RapidReview
) -> None:
    body = _page(signed_in, world.people["delegate_icb"], decided)
    for text in (
        "The rapid review you are signing off",
        "Admitted with a head injury",
        "Three agencies held parts of the picture",
        "Join up contacts sooner",
        "Text for involvement_summary",  # the hospital's submitted summary
    ):
        assert text in body
    assert "Your sign-off" in body


def test_a_partner_may_generate_the_document_to_read_it(world: World, signed_in: SignIn, decided: RapidReview) -> None:
    response = signed_in(world.people["delegate_icb"]).post(
        f"/rapid-reviews/{decided.case.reference}/document/generate/", {"format": "docx"}, follow=True
    )
    assert "Generated: Rapid review document (DOCX), version 1" in response.content.decode()


def test_an_approval_is_given_once_and_the_page_says_it_was(
    world: World, signed_in: SignIn, decided: RapidReview
) -> None:
    delegate = world.people["delegate_la"]
    sign_off_record(review=decided, actor=delegate, role=Role.DELEGATE_LA, decision=SignOffDecision.APPROVED)
    with pytest.raises(SignOffError, match="You approved this rapid review on"):
        sign_off_record(review=decided, actor=delegate, role=Role.DELEGATE_LA, decision=SignOffDecision.APPROVED)
    assert SignOff.objects.filter(review=decided, role=Role.DELEGATE_LA).count() == 1
    body = _page(signed_in, delegate, decided)
    assert "You approved this rapid review on" in body and "Ask for changes instead" in body
    assert "(Partner delegate (local authority)) approved" in body, "roles in words, not codes"


def test_asking_for_changes_tells_the_coordinator_what_and_who(world: World, decided: RapidReview) -> None:
    sign_off_record(
        review=decided,
        actor=world.people["delegate_police"],
        role=Role.DELEGATE_POLICE,
        decision=SignOffDecision.CHANGES,
        comments="Add the dates of the call-outs.\nAnd the officers' names.",
    )
    message = Message.objects.get(subject__contains="asked for changes")
    assert message.subject == (
        f"Partner delegate (police) asked for changes to the rapid review of {decided.case.reference}"
    )
    assert "asked for these changes before they approve:" in message.body
    assert "Add the dates of the call-outs." in message.body


def test_comments_keep_their_line_breaks(world: World, signed_in: SignIn, decided: RapidReview) -> None:
    sign_off_record(
        review=decided,
        actor=world.people["scrutineer"],
        role=Role.SCRUTINEER,
        decision=SignOffDecision.COMMENT,
        comments="First point.\nSecond point.",
    )
    assert "First point.<br>Second point." in _page(signed_in, world.people["delegate_la"], decided)


def test_the_scrutineer_sees_what_awaits_their_comments(world: World, decided: RapidReview) -> None:
    scrutineer = world.people["scrutineer"]
    panel = home_sign_off_panel(scrutineer)
    assert panel is not None and panel["rr_heading"] == "Rapid reviews awaiting your comments"
    assert [r.pk for r in panel["rr_waiting"]] == [decided.pk]
    sign_off_record(
        review=decided, actor=scrutineer, role=Role.SCRUTINEER, decision=SignOffDecision.COMMENT, comments="Sound"
    )
    assert home_sign_off_panel(scrutineer) is None  # nothing waits: the home page says so once, not per section


def test_sign_off_closes_once_the_review_is_sent(world: World, signed_in: SignIn, decided: RapidReview) -> None:
    all_three_approve(world, decided)
    submission_record(review=decided, actor=world.people["coordinator"], missing_reason=NOT_ALL_IN)
    body = _page(signed_in, world.people["delegate_la"], decided)
    assert "sign-off is closed" in body and "Your sign-off" not in body
