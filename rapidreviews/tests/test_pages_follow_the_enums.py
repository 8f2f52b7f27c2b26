"""The pages that compare a status with its enum (given in their context) take each branch: a
missing enum would make every comparison quietly false, so each branch is seen once here."""

import html
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.roles import Role
from cases.models import Case, CaseState
from conftest import SignIn, World
from rapidreviews.models import (
    ImmediateAction,
    ImmediateActionStatus,
    RapidReview,
    RapidReviewDecision,
    SignOffDecision,
    SummaryStatus,
)
from rapidreviews.services.review import rapid_review_update
from rapidreviews.services.signoff import sign_off_record
from rapidreviews.services.summaries import agency_summary_check, agency_summary_submit
from rapidreviews.tests.helpers import complete, hold_meeting, summary_of
from rapidreviews.tests.test_chronology import add

pytestmark = pytest.mark.django_db


def page(signed_in: SignIn, user: Any, url: str) -> str:
    response = signed_in(user).get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def sent(world: World, review: RapidReview, agency: str, lead: str) -> Any:
    agency_summary = summary_of(review, world.agencies[agency])
    complete(agency_summary, world.people[lead])
    agency_summary.refresh_from_db()
    agency_summary_submit(
        agency_summary=agency_summary, actor=world.people[lead], expected_version=agency_summary.version
    )
    agency_summary.refresh_from_db()
    return agency_summary


def test_the_chronology_marks_entries_of_summaries_sent_back_or_not_yet_sent(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    add(asked, world.agencies["hospital"], world.people["lead_hospital"], date(2025, 6, 1), "Seen in A&E")
    add(asked, world.agencies["school"], world.people["lead_school"], date(2025, 6, 2), "Absent")
    url = f"/rapid-reviews/{asked.case.reference}/chronology/"
    body = page(signed_in, world.people["coordinator"], url)
    assert body.count("not yet submitted, may change") == 2
    school = sent(world, asked, "school", "lead_school")
    body = page(signed_in, world.people["coordinator"], url)
    assert body.count("not yet submitted, may change") == 1
    agency_summary_check(agency_summary=school, actor=world.people["coordinator"], accept=False, comments="More")
    body = page(signed_in, world.people["coordinator"], url)
    assert "being changed by the agency" in body


def test_the_summary_pages_follow_its_status(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    school = sent(world, asked, "school", "lead_school")
    ref, agency = asked.case.reference, world.agencies["school"].pk
    own = page(signed_in, world.people["lead_school"], f"/rapid-reviews/{ref}/returns/{agency}/")
    assert "Your summary was sent to the review coordinator" in own and "Not yet submitted" not in own
    agency_summary_check(agency_summary=school, actor=world.people["coordinator"], accept=True, comments="")
    school.refresh_from_db()
    assert school.status == SummaryStatus.ACCEPTED
    own = page(signed_in, world.people["lead_school"], f"/rapid-reviews/{ref}/returns/{agency}/")
    assert "The review coordinator has accepted your summary" in own
    review_page = page(signed_in, world.people["coordinator"], f"/rapid-reviews/{ref}/returns/{agency}/review/")
    assert "it has been accepted already" in review_page
    hospital = world.agencies["hospital"].pk
    draft = page(signed_in, world.people["coordinator"], f"/rapid-reviews/{ref}/returns/{hospital}/")
    assert "Not yet submitted: this is" in draft


def test_the_sign_off_page_shows_an_approval_in_green(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    hold_meeting(world, asked)
    rapid_review_update(
        review=asked,
        actor=world.people["coordinator"],
        expected_version=asked.version,
        fields={"decision": RapidReviewDecision.NO_LCSPR, "decision_rationale": "Because"},
    )
    asked.refresh_from_db()
    sign_off_record(
        review=asked, actor=world.people["delegate_la"], role=Role.DELEGATE_LA, decision=SignOffDecision.APPROVED
    )
    sign_off_record(
        review=asked,
        actor=world.people["delegate_icb"],
        role=Role.DELEGATE_ICB,
        decision=SignOffDecision.CHANGES,
        comments="Say more",
    )
    body = page(signed_in, world.people["coordinator"], f"/rapid-reviews/{asked.case.reference}/sign-off/")
    assert body.count('govuk-tag govuk-tag--green">Approved') == 1
    assert body.count('govuk-tag govuk-tag--orange">Asked for changes') == 1


def test_the_task_list_says_what_cannot_start_yet(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    body = page(signed_in, world.people["coordinator"], f"/rapid-reviews/{asked.case.reference}/")
    assert '<span class="govuk-task-list__status--cannot-start-yet">Cannot start yet</span>' in body
    assert "Today is working day" in body


def test_only_an_open_action_past_its_date_is_overdue(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    for status in (ImmediateActionStatus.OPEN, ImmediateActionStatus.DONE):
        ImmediateAction.objects.create(
            review=asked,
            description=f"Action {status}",
            owner="Northshire Police",
            due=yesterday,
            status=status,
            created_by=world.people["coordinator"],
        )
    body = page(signed_in, world.people["coordinator"], f"/rapid-reviews/{asked.case.reference}/actions/")
    assert body.count("Overdue</strong>") == 1


def test_a_case_moved_to_the_rapid_review_without_one_says_so(world: World, signed_in: SignIn) -> None:
    case = world.cases["north"]
    Case.objects.filter(pk=case.pk).update(state=CaseState.RAPID_REVIEW)
    body = page(signed_in, world.people["coordinator"], f"/rapid-reviews/{case.reference}/")
    assert "The case has moved to the rapid review" in body
