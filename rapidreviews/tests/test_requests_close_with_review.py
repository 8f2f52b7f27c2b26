"""A request does not outlive its review: the coordinator is warned about every agency whose summary
has not come in, sends without it only with a reason (in the document and the ledger), and the
request then closes: off its lead's to-do list, no more reminders, no more changes, and it says why."""

import html
import io
from typing import Any

import pytest
from django.template.loader import render_to_string
from docx import Document as Docx

from audit.models import AuditEvent
from cases.models import CaseState
from clocks.models import Clock, ClockRule, ClockStatus
from conftest import SignIn, World
from documents.models import Document
from documents.services import document_open
from notifications.models import Message
from rapidreviews.models import AgencySummary, PanelResponseKind, RapidReview, SummaryStatus
from rapidreviews.rendering.document import document_context
from rapidreviews.services.document import TOPIC
from rapidreviews.services.requests import summaries_chase
from rapidreviews.services.submission import SubmissionError, panel_response_record, submission_record
from rapidreviews.services.summaries import (
    SummaryStateError,
    agency_summary_check,
    agency_summary_save,
    agency_summary_submit,
)
from rapidreviews.tests.helpers import complete, summary_of
from rapidreviews.tests.test_submission import signed_off

pytestmark = pytest.mark.django_db

REASON = "The school did not answer three reminders; the Panel's deadline cannot move."


@pytest.fixture
def hospital_in(world: World, asked: RapidReview) -> RapidReview:
    """The hospital has sent its summary and it is accepted; the school has only started its own."""
    hospital = summary_of(asked, world.agencies["hospital"])
    complete(hospital, world.people["lead_hospital"])
    hospital.refresh_from_db()
    agency_summary_submit(
        agency_summary=hospital, actor=world.people["lead_hospital"], expected_version=hospital.version
    )
    hospital.refresh_from_db()
    agency_summary_check(agency_summary=hospital, actor=world.people["coordinator"], accept=True, comments="")
    school = summary_of(asked, world.agencies["school"])
    agency_summary_save(
        agency_summary=school,
        actor=world.people["lead_school"],
        expected_version=school.version,
        fields={"involvement_summary": "Half a summary"},
    )
    return signed_off(world, asked)


def submission_url(review: RapidReview) -> str:
    return f"/rapid-reviews/{review.case.reference}/submission/"


def page(response: Any) -> str:
    return html.unescape(response.content.decode())


def send_without_school(world: World, signed_in: SignIn, review: RapidReview) -> Any:
    school = summary_of(review, world.agencies["school"])
    return signed_in(world.people["coordinator"]).post(
        submission_url(review),
        {"late_reason": "", "send_without": "on", "missing_reason": REASON, "sent_without": str(school.request_id)},
    )


def test_the_submission_page_warns_about_every_agency_whose_summary_has_not_come_in(
    world: World, signed_in: SignIn, hospital_in: RapidReview
) -> None:
    text = page(signed_in(world.people["coordinator"]).get(submission_url(hospital_in)))
    assert "1 agency has not sent its summary" in text
    warned = text.split("Summaries not received")[1].split("</table>")[0]
    assert world.agencies["school"].name in warned and "In progress" in warned
    assert world.agencies["hospital"].name not in warned
    assert "Send the rapid review to the Panel without these summaries" in text


def test_sending_without_a_summary_needs_the_choice_and_a_reason(
    world: World, signed_in: SignIn, hospital_in: RapidReview
) -> None:
    response = signed_in(world.people["coordinator"]).post(submission_url(hospital_in), {"late_reason": ""})
    assert response.status_code == 200
    text = page(response)
    assert "Confirm that the rapid review goes to the Panel without these summaries" in text
    assert "Enter why the rapid review is being sent without these summaries" in text
    hospital_in.case.refresh_from_db()
    assert hospital_in.case.state == CaseState.RAPID_REVIEW
    with pytest.raises(SubmissionError, match="Enter why"):
        submission_record(review=hospital_in, actor=world.people["coordinator"])


def test_a_summary_sent_meanwhile_means_deciding_again(
    world: World, signed_in: SignIn, hospital_in: RapidReview
) -> None:
    response = signed_in(world.people["coordinator"]).post(
        submission_url(hospital_in),
        {"late_reason": "", "send_without": "on", "missing_reason": REASON, "sent_without": "999999"},
    )
    assert response.status_code == 200
    assert "have changed since the page was opened" in page(response)
    assert summary_of(hospital_in, world.agencies["school"]).status == SummaryStatus.DRAFT


def test_sending_without_a_summary_closes_its_request_and_the_returns_step_is_not_met(
    world: World, signed_in: SignIn, hospital_in: RapidReview, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = send_without_school(world, signed_in, hospital_in)
    assert response.status_code == 302
    school = summary_of(hospital_in, world.agencies["school"])
    assert school.status == SummaryStatus.CLOSED and school.closed_at is not None
    assert summary_of(hospital_in, world.agencies["hospital"]).status == SummaryStatus.ACCEPTED
    hospital_in.refresh_from_db()
    assert hospital_in.missing_summaries_reason == REASON
    summaries_clock = Clock.objects.get(case=hospital_in.case, rule=ClockRule.RR_RETURNS)
    assert summaries_clock.status == ClockStatus.CANCELLED, "a summary that never came does not meet the step"
    assert REASON in summaries_clock.reason and world.agencies["school"].name in summaries_clock.reason
    sent = AuditEvent.objects.filter(case=hospital_in.case, details__missing_reason=REASON).get()
    assert sent.details["sent_without"] == [world.agencies["school"].name]
    summaries = [e.details.get("summary", "") for e in AuditEvent.objects.filter(case=hospital_in.case)]
    assert any("closed: the rapid review was sent without its summary" in s for s in summaries)
    told = Message.objects.get(to_email=world.people["lead_school"].email, subject__contains="without your agency's")
    assert REASON in told.body
    page_after = page(signed_in(world.people["coordinator"]).get(submission_url(hospital_in)))
    assert "Sent without these agencies' summaries" in page_after and REASON in page_after


def test_the_document_kept_as_sent_names_the_missing_agencies_and_the_reason(
    world: World, signed_in: SignIn, hospital_in: RapidReview
) -> None:
    send_without_school(world, signed_in, hospital_in)
    kept = Document.objects.filter(case=hospital_in.case, topic=TOPIC, title__contains="(DOCX)").latest("created_at")
    with document_open(kept) as stored:
        words = "\n".join(p.text for p in Docx(io.BytesIO(stored.read())).paragraphs)
    assert f"No summary received from: {world.agencies['school'].name}." in words
    assert f"Why the rapid review was sent without them: {REASON}" in words
    hospital_in.refresh_from_db()
    pdf_html = render_to_string("rapidreviews/pdf/document.html", document_context(hospital_in))
    assert REASON in html.unescape(pdf_html) and world.agencies["school"].name in pdf_html


def test_a_closed_request_leaves_the_leads_home_and_cannot_be_changed(
    world: World, signed_in: SignIn, hospital_in: RapidReview
) -> None:
    send_without_school(world, signed_in, hospital_in)
    ref, school_id = hospital_in.case.reference, world.agencies["school"].pk
    lead = signed_in(world.people["lead_school"])
    home = page(lead.get("/"))
    assert f"Summary for {ref}" not in home and "Summary due" not in home
    summary = page(lead.get(f"/rapid-reviews/{ref}/returns/{school_id}/"))
    assert "This request is closed" in summary and REASON in summary
    assert "Check and submit your summary" not in summary
    redirected = lead.get(f"/rapid-reviews/{ref}/returns/{school_id}/involvement/", follow=True)
    assert "the rapid review was sent to the Panel without it" in page(redirected)
    refused = lead.post(
        f"/rapid-reviews/{ref}/returns/{school_id}/answers/",
        {"learning": "Typed after the review went"},
    )
    assert refused.status_code == 409
    assert "The request for your agency's summary is closed" in page(refused)
    school = summary_of(hospital_in, world.agencies["school"])
    with pytest.raises(SummaryStateError):
        agency_summary_save(
            agency_summary=school, actor=world.people["lead_school"], expected_version=school.version, fields={}
        )


def test_no_reminder_chases_a_closed_request(world: World, signed_in: SignIn, hospital_in: RapidReview) -> None:
    clock = Clock.objects.get(case=hospital_in.case, rule=ClockRule.RR_RETURNS)
    assert any(chase.user == world.people["lead_school"] for chase in summaries_chase(clock)), "chased before"
    send_without_school(world, signed_in, hospital_in)
    assert summaries_chase(clock) == []


def test_the_panel_asking_for_the_returns_again_reopens_a_closed_request(
    world: World, signed_in: SignIn, hospital_in: RapidReview
) -> None:
    send_without_school(world, signed_in, hospital_in)
    hospital_in.refresh_from_db()
    panel_response_record(
        review=hospital_in,
        actor=world.people["coordinator"],
        received_on=hospital_in.submitted_at.date(),  # type: ignore[union-attr]
        kind=PanelResponseKind.MORE_INFORMATION,
        said="We need the school's view.",
        reopen=["returns"],
    )
    school = AgencySummary.objects.get(pk=summary_of(hospital_in, world.agencies["school"]).pk)
    assert school.status == SummaryStatus.DRAFT and school.is_editable
    hospital_in.refresh_from_db()
    assert hospital_in.missing_summaries_reason == ""
