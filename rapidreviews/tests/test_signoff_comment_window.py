"""Where the partnership wants the independent scrutineer's and the chair's comments, sign-off does
not complete the minute the three partners approve: it stays open until both have commented or a
set number of working days has passed, the page says so and until when, and it completes on the
comment that ends it or, once the time has passed, on the scheduler's tick."""

import html
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from clocks.models import Clock, ClockRule, ClockSettings, ClockStatus
from conftest import SignIn, World
from notifications.models import Message
from rapidreviews.models import RapidReview, RapidReviewDecision, SignOffDecision
from rapidreviews.services.review import rapid_review_update
from rapidreviews.services.signoff import sign_off_record
from rapidreviews.services.signoff_state import sign_off_state
from rapidreviews.services.submission import SubmissionError, submission_guard, submission_record
from rapidreviews.tests.helpers import NOT_ALL_IN, all_three_approve, hold_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(world: World, asked: RapidReview) -> RapidReview:
    hold_meeting(world, asked)
    rapid_review_update(
        review=asked,
        actor=world.people["coordinator"],
        expected_version=asked.version,
        fields={"decision": RapidReviewDecision.NO_LCSPR, "decision_rationale": "Learning captured here"},
    )
    asked.refresh_from_db()
    return asked


@pytest.fixture
def wants_comments(world: World) -> ClockSettings:
    return ClockSettings.objects.create(partnership=world.north, signoff_wait_for_comments=True, signoff_comment_days=2)


def comment(world: World, review: RapidReview, key: str, role: Role) -> None:
    sign_off_record(
        review=review, actor=world.people[key], role=role, decision=SignOffDecision.COMMENT, comments="Proportionate."
    )


def sign_off_clock(review: RapidReview) -> Clock:
    return Clock.objects.get(case=review.case, rule=ClockRule.RR_SIGN_OFF)


def test_by_default_sign_off_completes_with_the_third_approval(world: World, decided: RapidReview) -> None:
    all_three_approve(world, decided)
    assert sign_off_state(decided).complete
    assert sign_off_clock(decided).status == ClockStatus.MET
    assert submission_guard(decided.case) is None


def test_sign_off_stays_open_for_the_scrutineers_and_chairs_comments_and_the_page_says_until_when(
    world: World, signed_in: SignIn, decided: RapidReview, wants_comments: ClockSettings
) -> None:
    all_three_approve(world, decided)
    state = sign_off_state(decided)
    assert state.approved_by_all and not state.complete
    assert state.awaiting_comments == [Role.SCRUTINEER, Role.CHAIR]
    assert state.window_ends is not None
    until = timezone.localtime(state.window_ends)
    assert sign_off_clock(decided).status == ClockStatus.OPEN, "not signed off yet"
    page = html.unescape(
        signed_in(world.people["coordinator"])
        .get(f"/rapid-reviews/{decided.case.reference}/sign-off/")
        .content.decode()
    )
    assert (
        "Sign-off stays open for the comments of the independent scrutineer and the partnership chair until they have "
        "commented "
        f"or until {until:%A %-d %B %Y at %H:%M}" in page
    )
    guard = submission_guard(decided.case)
    assert guard is not None and "open for the comments of the independent scrutineer and the chair" in guard
    with pytest.raises(SubmissionError, match="open for the comments"):
        submission_record(review=decided, actor=world.people["coordinator"], missing_reason=NOT_ALL_IN)
    asked_for = Message.objects.filter(subject__contains="Your comments on the rapid review")
    assert {m.to_email for m in asked_for} == {world.people["scrutineer"].email, world.people["chair"].email}


def test_sign_off_completes_when_the_last_of_the_two_has_commented(
    world: World, decided: RapidReview, wants_comments: ClockSettings
) -> None:
    all_three_approve(world, decided)
    comment(world, decided, "scrutineer", Role.SCRUTINEER)
    assert sign_off_state(decided).awaiting_comments == [Role.CHAIR]
    assert sign_off_clock(decided).status == ClockStatus.OPEN
    comment(world, decided, "chair", Role.CHAIR)
    assert sign_off_state(decided).complete
    assert sign_off_clock(decided).status == ClockStatus.MET
    assert submission_guard(decided.case) is None


def test_comments_given_before_the_approvals_count(
    world: World, decided: RapidReview, wants_comments: ClockSettings
) -> None:
    comment(world, decided, "scrutineer", Role.SCRUTINEER)
    comment(world, decided, "chair", Role.CHAIR)
    all_three_approve(world, decided)
    assert sign_off_state(decided).complete


def test_once_the_time_has_passed_the_tick_completes_sign_off_once(
    world: World, decided: RapidReview, wants_comments: ClockSettings
) -> None:
    all_three_approve(world, decided)
    comment(world, decided, "scrutineer", Role.SCRUTINEER)
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        call_command("tick", verbosity=0)
        assert sign_off_clock(decided).status == ClockStatus.OPEN, "still within two working days"
        assert not sign_off_state(decided).complete
    with time_machine.travel(timezone.now() + timedelta(days=5)):
        assert sign_off_state(decided).complete, "a later request sees it complete"
        call_command("tick", verbosity=0)
        call_command("tick", verbosity=0)
        assert sign_off_clock(decided).status in (ClockStatus.MET, ClockStatus.LATE)
        told = Message.objects.filter(
            to_email=world.people["coordinator"].email, subject__contains="Sign-off of the rapid review"
        )
        assert told.count() == 1
        assert submission_guard(decided.case) is None


def test_the_partnership_administrator_turns_the_window_on_with_the_other_settings(
    world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.people["admin"])
    page = html.unescape(client.get(reverse("clocks:settings")).content.decode())
    assert "Keep sign-off open for the independent scrutineer's and the chair's comments" in page
    data = {
        "rapid_review_start": "sin_submitted",
        "rapid_review_days": "15",
        "rr_requests_out_day": "2",
        "rr_returns_day": "8",
        "rr_meeting_day": "12",
        "rr_sign_off_day": "13",
        "rr_submission_day": "15",
        "panel_reply_days": "10",
        "reminder_offsets": "2, 0",
        "signoff_wait_for_comments": "on",
        "signoff_comment_days": "eleven",
    }
    bad = html.unescape(client.post(reverse("clocks:settings"), data).content.decode())
    assert "Time for their comments must be a whole number of working days" in bad
    assert client.post(reverse("clocks:settings"), {**data, "signoff_comment_days": "3"}).status_code == 302
    saved = ClockSettings.objects.get(partnership=world.north)
    assert saved.signoff_wait_for_comments and saved.signoff_comment_days == 3
    south = ClockSettings.objects.filter(partnership=world.south).first()
    assert south is None or not south.signoff_wait_for_comments, "one partnership's setting only"


def test_the_document_says_sign_off_is_open_for_comments_while_it_waits(
    world: World, decided: RapidReview, wants_comments: ClockSettings
) -> None:
    from rapidreviews.rendering.document import document_context

    all_three_approve(world, decided)
    notice = document_context(decided)["draft_notice"]
    assert notice.startswith("DRAFT: approved by the three safeguarding partners; sign-off is open for the comments")
    comment(world, decided, "scrutineer", Role.SCRUTINEER)
    comment(world, decided, "chair", Role.CHAIR)
    assert document_context(decided)["draft_notice"] == ""
