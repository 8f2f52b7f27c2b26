"""Factual accuracy rounds: the reviewer sends a kept version to the agencies involved with a
deadline; each agency comments by section, privately to itself and the review side until answered;
the reviewer accepts or declines each comment; nothing is lost when two people comment at once."""

from datetime import date

import pytest
import time_machine
from django.test import Client

from audit.models import AuditEvent
from cases.models import Case, CaseAccess
from clocks.models import Clock, ClockStatus
from conftest import SignIn, World, sign_in
from core.tests.queries import max_page_queries
from localreviews.accuracy_models import AccuracyComment, AccuracyRound, Decision, RoundStatus
from localreviews.accuracy_services import AccuracyError, comment_add, comment_decide, round_send
from localreviews.clock_rules import ACCURACY
from localreviews.models import DecidedWhen, LocalReview, ReviewKind
from localreviews.report_models import ReportVersion
from localreviews.selectors import task_list
from localreviews.services import local_review_open
from notifications.models import Message

REF = "NSCP-2026-001"
BASE = f"/local-reviews/{REF}/accuracy/"


@pytest.fixture
def review(world: World, sent: Case, today: None) -> LocalReview:
    """The Northshire LCSPR with its reviewer commissioned, the school involved beside the hospital,
    and draft 1 of the report kept."""
    review = local_review_open(
        case=sent,
        actor=world.people["coordinator"],
        kind=ReviewKind.LCSPR,
        alternative_type="",
        decided_on=date(2026, 3, 2),
        decided_when=DecidedWhen.RAPID_REVIEW,
        rationale="Learning about discharge planning.",
        expected_version=sent.version,
        started_on=date(2026, 2, 16),
    )
    sent.involved_agencies.add(world.agencies["school"])
    CaseAccess.objects.create(case=sent, user=world.people["reviewer"], reason=CaseAccess.Reason.COMMISSIONED_REVIEWER)
    ReportVersion.objects.create(
        review=review,
        number=1,
        sections={"overview": "The baby was born in March 2025.", "findings": "Discharge was not planned."},
        created_by=world.people["reviewer"],
    )
    return review


def _send(world: World, review: LocalReview) -> AccuracyRound:
    return round_send(
        review=review,
        actor=world.people["reviewer"],
        report_version=review.report_versions.get(),
        agency_ids=[world.agencies["hospital"].pk, world.agencies["school"].pk],
    )


def _comment(world: World, accuracy_round: AccuracyRound, persona: str, agency: str, text: str) -> AccuracyComment:
    return comment_add(
        accuracy_round=accuracy_round,
        actor=world.people[persona],
        section="overview",
        text=text,
        agency_id=world.agencies[agency].pk,
    )


def test_sending_emails_each_agencys_leads_and_starts_the_rounds_clock(
    world: World, review: LocalReview, signed_in: SignIn
) -> None:
    browser = signed_in(world.people["reviewer"])
    page = browser.get(BASE + "send/")
    assert page.status_code == 200
    assert "10 working days from today" in page.content.decode()
    # Both agencies involved are chosen by default.
    assert page.content.decode().count('name="agencies"') == 2
    version = review.report_versions.get()
    hospital, school = world.agencies["hospital"].pk, world.agencies["school"].pk
    response = browser.post(BASE + "send/", {"report_version": version.pk, "agencies": [hospital, school]})
    accuracy_round = AccuracyRound.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}{accuracy_round.pk}/"
    clock = Clock.objects.get(case=review.case, rule=ACCURACY)
    assert clock.start_date == date(2026, 3, 20) and clock.due_date == accuracy_round.deadline
    assert accuracy_round.deadline > date(2026, 4, 2)  # ten working days on, past the Easter weekend's start
    assert {m.to_email for m in Message.objects.filter(case=review.case)} == {
        world.people["lead_hospital"].email,
        world.people["lead_school"].email,
    }
    email = Message.objects.get(recipient=world.people["lead_school"])
    assert "Draft 1" in email.body and f"/accuracy/{accuracy_round.pk}/" in email.body
    assert email.subject.startswith(f"Check the facts of the draft report for case {REF} by ")
    task = next(t for t in task_list(review) if t.text == "Factual accuracy round")
    assert (task.status, task.needed) == ("In progress", True)
    # One round at a time.
    with pytest.raises(AccuracyError, match="already open"):
        _send(world, review)


def test_sending_needs_a_version_and_agencies_involved(world: World, review: LocalReview, signed_in: SignIn) -> None:
    browser = signed_in(world.people["coordinator"])
    page = browser.post(BASE + "send/", {"report_version": "", "message": "Please check by Easter."})
    text = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" in text
    assert "Select the version to send" in text and "Select at least one agency" in text
    assert "Please check by Easter." in text
    police = world.agencies["police"].pk  # not involved in the case: its leads could not read the draft
    page = browser.post(BASE + "send/", {"report_version": review.report_versions.get().pk, "agencies": [police]})
    assert "Select agencies involved in the case" in page.content.decode()
    assert not AccuracyRound.objects.exists()


def test_another_agency_never_sees_an_agencys_comments(world: World, review: LocalReview) -> None:
    accuracy_round = _send(world, review)
    hospital = _comment(world, accuracy_round, "lead_hospital", "hospital", "Born in February, not March.")
    _comment(world, accuracy_round, "lead_school", "school", "The school nurse saw the mother in April.")
    page_url = f"{BASE}{accuracy_round.pk}/"
    school = sign_in(Client(), world.people["lead_school"])
    text = school.get(page_url).content.decode()
    assert "The baby was born in March 2025." in text  # the draft itself
    assert "school nurse" in text and "Born in February" not in text
    assert school.get(f"/local-reviews/{REF}/accuracy-comments/{hospital.pk}/change/").status_code == 404
    assert school.get(f"{page_url}comment/?reply={hospital.pk}").status_code == 404
    # A partner reads a thread only once the review side has answered it.
    partner = sign_in(Client(), world.people["delegate_la"])
    assert "Born in February" not in partner.get(page_url).content.decode()
    comment_add(
        accuracy_round=accuracy_round, actor=world.people["reviewer"], section="", text="Thank you.", parent=hospital
    )
    assert "Born in February" in partner.get(page_url).content.decode()
    assert "Born in February" not in school.get(page_url).content.decode()
    # An agency the round did not go to (and whose leads do not see the case) finds nothing.
    police = sign_in(Client(), world.people["lead_police"])
    assert police.get(page_url).status_code == 404
    assert police.get(BASE).status_code == 404


def test_replies_join_the_thread_of_the_first_comment(world: World, review: LocalReview) -> None:
    accuracy_round = _send(world, review)
    first = _comment(world, accuracy_round, "lead_hospital", "hospital", "Born in February.")
    reply = comment_add(
        accuracy_round=accuracy_round, actor=world.people["reviewer"], section="", text="Source?", parent=first
    )
    again = comment_add(
        accuracy_round=accuracy_round,
        actor=world.people["lead_hospital"],
        section="",
        text="The birth record.",
        parent=reply,
    )
    assert (reply.parent_id, again.parent_id) == (first.pk, first.pk)
    assert (reply.by_review, again.by_review) == (True, False)
    assert (again.agency_id, again.section) == (first.agency_id, "overview")
    first.refresh_from_db()
    assert first.replied_at is not None
    # The school's lead cannot write into the hospital's thread.
    with pytest.raises(AccuracyError):
        comment_add(
            accuracy_round=accuracy_round, actor=world.people["lead_school"], section="", text="x", parent=first
        )


def test_declining_needs_a_reason_and_a_stale_decision_keeps_what_was_typed(
    world: World, review: LocalReview, signed_in: SignIn
) -> None:
    accuracy_round = _send(world, review)
    comment = _comment(world, accuracy_round, "lead_hospital", "hospital", "Born in February.")
    url = f"/local-reviews/{REF}/accuracy-comments/{comment.pk}/decide/"
    browser = signed_in(world.people["reviewer"])
    page = browser.post(url, {"version": comment.version, "decision": "declined", "reason": ""})
    assert page.status_code == 200 and "Enter why you decline the comment" in page.content.decode()
    page = browser.post(
        url, {"version": comment.version + 5, "decision": "declined", "reason": "The record says March."}
    )
    text = page.content.decode()
    assert "govuk-error-summary" in text and "The record says March." in text
    comment.refresh_from_db()
    assert comment.decision == Decision.PENDING
    assert browser.post(url, {"version": comment.version, "decision": "accepted", "reason": ""}).status_code == 302
    comment.refresh_from_db()
    assert (comment.decision, comment.decided_by, comment.version) == (Decision.ACCEPTED, world.people["reviewer"], 2)
    with pytest.raises(AccuracyError, match="Enter why"):
        comment_decide(
            comment=comment, actor=world.people["reviewer"], decision=Decision.DECLINED, reason=" ", expected_version=2
        )
    # The agency's lead may not decide.
    lead = sign_in(Client(), world.people["lead_hospital"])
    assert lead.get(url).status_code == 403
    assert AuditEvent.objects.filter(
        case=review.case, details__summary="Local review: factual accuracy comment accepted"
    ).exists()


def test_two_people_commenting_at_once_both_keep_their_words(world: World, review: LocalReview) -> None:
    from conftest import make_person

    accuracy_round = _send(world, review)
    from accounts.roles import Role

    second = make_person("lead_hospital_2", world.north, Role.AGENCY_LEAD, world.agencies["hospital"])
    url = f"{BASE}{accuracy_round.pk}/comment/?section=overview"
    first_browser = sign_in(Client(), world.people["lead_hospital"])
    second_browser = sign_in(Client(), second)
    assert first_browser.get(url).status_code == 200 and second_browser.get(url).status_code == 200
    for browser, text in ((first_browser, "Born in February."), (second_browser, "Discharged on a Sunday.")):
        response = browser.post(url, {"agency": world.agencies["hospital"].pk, "section": "overview", "text": text})
        assert response.status_code == 302
    assert sorted(AccuracyComment.objects.values_list("text", flat=True)) == [
        "Born in February.",
        "Discharged on a Sunday.",
    ]
    # Changing a comment from a stale page keeps the new words on the page and saves nothing.
    comment = AccuracyComment.objects.get(author=second)
    change = f"/local-reviews/{REF}/accuracy-comments/{comment.pk}/change/"
    assert second_browser.post(change, {"version": 1, "text": "Discharged on Sunday 9 March."}).status_code == 302
    page = second_browser.post(change, {"version": 1, "text": "Discharged at night."})
    assert "Discharged at night." in page.content.decode() and "govuk-error-summary" in page.content.decode()
    comment.refresh_from_db()
    assert comment.text == "Discharged on Sunday 9 March."
    # Someone else's comment is not theirs to change.
    mine = AccuracyComment.objects.get(author=world.people["lead_hospital"])
    assert second_browser.get(f"/local-reviews/{REF}/accuracy-comments/{mine.pk}/change/").status_code == 403


def test_an_empty_comment_is_refused_with_an_error_summary(
    world: World, review: LocalReview, signed_in: SignIn
) -> None:
    accuracy_round = _send(world, review)
    browser = signed_in(world.people["lead_hospital"])
    page = browser.post(
        f"{BASE}{accuracy_round.pk}/comment/", {"agency": world.agencies["hospital"].pk, "section": "", "text": ""}
    )
    text = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" in text
    assert "Select the section the comment is about" in text and "Enter your comment" in text
    assert not AccuracyComment.objects.exists()


def test_the_round_closes_when_all_are_answered_and_meets_its_clock(
    world: World, review: LocalReview, signed_in: SignIn
) -> None:
    accuracy_round = _send(world, review)
    browser = signed_in(world.people["reviewer"])
    close = f"{BASE}{accuracy_round.pk}/close/"
    browser.post(close, {"version": accuracy_round.version})
    accuracy_round.refresh_from_db()
    assert accuracy_round.status == RoundStatus.OPEN  # neither agency has commented
    hospital = _comment(world, accuracy_round, "lead_hospital", "hospital", "Born in February.")
    school = _comment(world, accuracy_round, "lead_school", "school", "The nurse saw the mother.")
    for comment in (hospital, school):
        comment_decide(
            comment=comment, actor=world.people["reviewer"], decision=Decision.ACCEPTED, reason="", expected_version=1
        )
    assert browser.post(close, {"version": accuracy_round.version}).status_code == 302
    accuracy_round.refresh_from_db()
    assert accuracy_round.status == RoundStatus.CLOSED and accuracy_round.closed_at is not None
    clock = Clock.objects.get(case=review.case, rule=ACCURACY)
    assert (clock.status, clock.met_on) == (ClockStatus.MET, date(2026, 3, 20))
    task = next(t for t in task_list(review) if t.text == "Factual accuracy round")
    assert task.status == "Completed"
    # Closed: no more comments.
    with pytest.raises(AccuracyError, match="closed"):
        _comment(world, accuracy_round, "lead_hospital", "hospital", "One more.")


def test_after_its_deadline_the_round_closes_unanswered_and_takes_no_more_comments(
    world: World, review: LocalReview, signed_in: SignIn
) -> None:
    accuracy_round = _send(world, review)
    deadline = accuracy_round.deadline
    with time_machine.travel("2026-04-20 10:00 +01:00", tick=False):
        with pytest.raises(AccuracyError, match="closed for comments"):
            _comment(world, accuracy_round, "lead_hospital", "hospital", "Late.")
        browser = signed_in(world.people["coordinator"])
        assert browser.post(f"{BASE}{accuracy_round.pk}/close/", {"version": accuracy_round.version}).status_code == 302
    clock = Clock.objects.get(case=review.case, rule=ACCURACY)
    assert (clock.status, clock.met_on) == (ClockStatus.MET, deadline)


def test_only_the_reviewer_and_coordinator_send_and_close(world: World, review: LocalReview, signed_in: SignIn) -> None:
    accuracy_round = _send(world, review)
    partner = signed_in(world.people["delegate_police"])
    assert partner.get(BASE + "send/").status_code == 403
    assert partner.post(f"{BASE}{accuracy_round.pk}/close/", {"version": 1}).status_code == 403
    lead = sign_in(Client(), world.people["lead_hospital"])
    assert lead.get(BASE + "send/").status_code == 404
    assert lead.get(BASE).status_code == 200


def test_the_pages_keep_to_the_query_budget(world: World, review: LocalReview, signed_in: SignIn) -> None:
    accuracy_round = _send(world, review)
    first = _comment(world, accuracy_round, "lead_hospital", "hospital", "Born in February.")
    comment_add(
        accuracy_round=accuracy_round, actor=world.people["reviewer"], section="", text="Thank you.", parent=first
    )
    _comment(world, accuracy_round, "lead_school", "school", "The nurse saw the mother.")
    round_url = f"{BASE}{accuracy_round.pk}/"
    reviewer = signed_in(world.people["reviewer"])
    for url in (
        BASE,
        round_url,
        round_url + "comment/?reply=" + str(first.pk),
        f"/local-reviews/{REF}/accuracy-comments/{first.pk}/decide/",
        f"/local-reviews/{REF}/",
    ):
        with max_page_queries():
            assert reviewer.get(url).status_code == 200, url
    lead = sign_in(Client(), world.people["lead_hospital"])
    for url in (BASE, round_url, round_url + "comment/?section=findings"):
        with max_page_queries():
            assert lead.get(url).status_code == 200, url


def test_the_agencies_still_to_comment_read_as_a_list() -> None:
    from localreviews.accuracy_workflow import _in_words

    assert _in_words(["Police"]) == "Police"
    assert _in_words(["Police", "School"]) == "Police and School"
    assert _in_words(["Hospital", "Police", "School"]) == "Hospital, Police and School"
