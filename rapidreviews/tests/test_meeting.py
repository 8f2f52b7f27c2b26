from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core import mail

from audit.models import AuditEvent, Verb
from cases.models import CaseAccess, CaseState
from conftest import SignIn, World
from documents.tests.pdf_checks import check_tagged, outline
from rapidreviews.models import ImmediateAction, ImmediateActionStatus, RapidReview, RapidReviewDecision
from rapidreviews.rendering.ics import meeting_ics
from rapidreviews.services.requests import summaries_share
from rapidreviews.tests.helpers import hold_meeting

pytestmark = pytest.mark.django_db


def schedule(client: Any, review: RapidReview, members: list[Any], **extra: str) -> Any:
    from partnerships.models import Agency

    # The police were involved with the family (their lead may be asked to the meeting).
    review.case.involved_agencies.add(
        *Agency.objects.filter(
            pk__in=[m.memberships.first().agency_id for m in members if m.memberships.first().agency_id]
        )
    )
    data = {
        "date_0": "20",
        "date_1": "1",
        "date_2": "2026",
        "start_time": "10:00",
        "duration_minutes": "120",
        "place": "Room 4, Civic Centre",
        "members": [m.pk for m in members],
        **extra,
    }
    return client.post(f"/rapid-reviews/{review.case.reference}/meeting/", data)


def test_scheduling_sends_each_member_an_ics_invitation_and_grants_access(
    world: World, signed_in: SignIn, asked: RapidReview, django_capture_on_commit_callbacks: Any
) -> None:
    asked.case.involved_agencies.add(world.agencies["police"])  # so its lead may be asked to the meeting
    members = [world.people["delegate_la"], world.people["lead_police"]]
    with django_capture_on_commit_callbacks(execute=True):
        response = schedule(signed_in(world.people["coordinator"]), asked, members)
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    name, content, mimetype = mail.outbox[0].attachments[0]
    text = content.decode() if isinstance(content, bytes) else content
    assert name == "invite.ics" and mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in text and "DTSTART:20260120T100000Z" in text and "\r\n" in text
    assert CaseAccess.objects.filter(user=world.people["lead_police"], reason=CaseAccess.Reason.MEETING_MEMBER).exists()
    from notifications.models import Message

    logged = Message.objects.filter(case=asked.case, kind="invitation", attachment_name="invite.ics")
    assert {m.to_email for m in logged} == {m.email for m in members}, "invitations are in the case's message log"


def test_rescheduling_raises_the_sequence(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    client = signed_in(world.people["coordinator"])
    schedule(client, asked, [world.people["delegate_la"]])
    schedule(client, asked, [world.people["delegate_la"]], start_time="14:30")
    asked.refresh_from_db()
    assert asked.meeting.sequence == 1


def test_a_meeting_needs_a_place_or_a_link(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    response = schedule(signed_in(world.people["coordinator"]), asked, [world.people["delegate_la"]], place="")
    assert "Enter the place or an online meeting link" in response.content.decode()


def test_ics_lines_are_folded_and_text_escaped() -> None:
    ics = meeting_ics(
        uid="x@y",
        sequence=0,
        start=datetime(2026, 1, 20, 10, tzinfo=UTC),
        minutes=60,
        summary="S",
        location="a,b;c\nd",
        description="D" + "é" * 80,
        organizer=("O", "o@example.test"),
        attendees=[("A", "a@example.test")],
    ).decode()
    assert "LOCATION:a\\,b\\;c\\nd\r\n" in ics
    assert all(len(part.encode()) <= 75 for part in ics.split("\r\n"))
    assert ics.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and ics.endswith("END:VCALENDAR\r\n")
    assert "DTEND:20260120T110000Z" in ics


def test_papers_wait_until_returns_are_shared_then_come_as_a_pdf(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    coordinator = signed_in(world.people["coordinator"])
    asked.case.involved_agencies.add(world.agencies["police"])
    schedule(coordinator, asked, [world.people["lead_police"]])
    police = signed_in(world.people["lead_police"])
    url = f"/rapid-reviews/{asked.case.reference}/meeting/papers.pdf"
    assert b"not ready" in police.get(url).content
    summaries_share(review=asked, actor=world.people["coordinator"])
    response = police.get(url)
    assert response["Content-Type"] == "application/pdf" and response.content[:5] == b"%PDF-"
    papers = check_tagged(response.content)  # the summaries and the chronology, one structure tree
    assert [title for depth, title, _page in outline(papers) if depth == 0][-1] == "Merged chronology"
    assert AuditEvent.objects.filter(verb=Verb.DOWNLOAD, case=asked.case).exists()


def test_someone_not_at_the_meeting_cannot_have_the_papers(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    response = signed_in(world.people["lead_hospital"]).get(f"/rapid-reviews/{asked.case.reference}/meeting/papers.pdf")
    assert response.status_code == 403


def test_the_decision_needs_a_type_for_an_alternative_review(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    hold_meeting(world, asked)
    client = signed_in(world.people["coordinator"])
    url = f"/rapid-reviews/{asked.case.reference}/meeting/decision/"
    response = client.post(
        url, {"version": asked.version, "decision": RapidReviewDecision.ALTERNATIVE, "decision_rationale": "R"}
    )
    assert "Enter the type of alternative learning review" in response.content.decode()
    response = client.post(
        url,
        {
            "version": asked.version,
            "decision": RapidReviewDecision.ALTERNATIVE,
            "alternative_review_type": "Appreciative inquiry",
            "decision_rationale": "Learning is local",
            "themes": ["neglect", "domestic_abuse"],
        },
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.decision == RapidReviewDecision.ALTERNATIVE and asked.themes == ["neglect", "domestic_abuse"]
    assert asked.decided_at is not None


def test_a_stale_decision_form_keeps_the_typed_rationale(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    hold_meeting(world, asked)
    response = signed_in(world.people["coordinator"]).post(
        f"/rapid-reviews/{asked.case.reference}/meeting/decision/",
        {
            "version": asked.version - 1,
            "decision": RapidReviewDecision.LCSPR,
            "decision_rationale": "My careful rationale",
        },
    )
    body = response.content.decode()
    assert "Someone else saved this page" in body and "My careful rationale" in body


def test_each_criterion_is_recorded_with_notes(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    data = {f"answer_{c}": "met" for c in "abcd"} | {"notes_c": "Health and police did not share"}
    response = signed_in(world.people["coordinator"]).post(
        f"/rapid-reviews/{asked.case.reference}/meeting/criteria/", data
    )
    assert response.status_code == 302
    assert asked.criteria.get(criterion="c").notes == "Health and police did not share"


def test_the_immediate_actions_log_stays_open_after_the_case_closes(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    client = signed_in(world.people["coordinator"])
    url = f"/rapid-reviews/{asked.case.reference}/actions/new/"
    data = {
        "description": "Check siblings",
        "owner": "Children's services",
        "due_0": "1",
        "due_1": "2",
        "due_2": "2026",
        "status": "open",
    }
    assert client.post(url, data).status_code == 302
    asked.case.state = CaseState.CLOSED
    asked.case.save()
    action = ImmediateAction.objects.get()
    response = client.post(
        f"/rapid-reviews/{asked.case.reference}/actions/{action.pk}/",
        {**data, "status": "done", "evidence": "Visit 3 Feb"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ImmediateActionStatus.DONE and action.evidence == "Visit 3 Feb"
    assert date(2026, 2, 1) == action.due


def test_the_meeting_is_offered_to_the_leads_of_the_agencies_on_the_case_not_every_lead(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    body = (
        signed_in(world.people["coordinator"]).get(f"/rapid-reviews/{asked.case.reference}/meeting/").content.decode()
    )
    assert world.people["lead_school"].display_name in body, "asked for a summary"
    assert world.people["lead_police"].display_name not in body, "neither involved nor asked"
    assert world.people["delegate_icb"].display_name in body


def test_a_meeting_years_away_is_a_mistyped_year(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    response = schedule(signed_in(world.people["coordinator"]), asked, [world.people["delegate_la"]], date_2="2099")
    assert "Date of the meeting must be within a year of today" in response.content.decode()


def test_an_action_done_needs_its_evidence_and_an_overdue_one_says_so(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    client = signed_in(world.people["coordinator"])
    url = f"/rapid-reviews/{asked.case.reference}/actions/new/"
    data = {"description": "Visit the brother", "owner": "Children's services", "status": ImmediateActionStatus.DONE}
    today = date.today()
    response = client.post(url, {**data, "due_0": today.day, "due_1": today.month, "due_2": today.year})
    assert "Enter the evidence that the action is done" in response.content.decode()
    past = today - timedelta(days=365)
    client.post(
        url, {**data, "status": ImmediateActionStatus.OPEN, "due_0": past.day, "due_1": past.month, "due_2": past.year}
    )
    page = client.get(f"/rapid-reviews/{asked.case.reference}/actions/").content.decode()
    assert "1 action, 1 overdue" in page and ">Overdue<" in page
    assert 'Change<span class="govuk-visually-hidden"> the action: Visit the brother' in page


def test_sharing_asks_first_says_with_whom_and_tells_the_members(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    from notifications.models import Message

    client = signed_in(world.people["coordinator"])
    asked.case.involved_agencies.add(world.agencies["police"])
    schedule(client, asked, [world.people["delegate_la"], world.people["lead_police"]])
    url = f"/rapid-reviews/{asked.case.reference}/returns/share/"
    page = client.get(url).content.decode()
    assert "Share the submitted summaries?" in page and world.people["lead_police"].display_name in page
    asked.refresh_from_db()
    assert asked.summaries_shared_at is None, "asking first shares nothing"
    assert client.post(url).status_code == 302
    told = Message.objects.filter(case=asked.case, subject__startswith="Papers for the rapid review meeting")
    assert {m.to_email for m in told} == {world.people["delegate_la"].email, world.people["lead_police"].email}
    first = told.first()
    assert first is not None
    assert f"/rapid-reviews/{asked.case.reference}/meeting/papers.pdf" in first.body


def test_a_summary_not_yet_sent_offers_nothing_to_accept(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    page = signed_in(world.people["coordinator"]).get(
        f"/rapid-reviews/{asked.case.reference}/returns/{world.agencies['school'].pk}/review/"
    )
    body = page.content.decode()
    assert "the agency has not sent it yet" in body and 'name="outcome"' not in body


def test_an_empty_meeting_record_is_not_saved(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    response = signed_in(world.people["coordinator"]).post(
        f"/rapid-reviews/{asked.case.reference}/meeting/record/", {"version": asked.version}
    )
    assert "Enter at least one part of the meeting record" in response.content.decode()


def test_the_criteria_are_considered_one_at_a_time(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    client = signed_in(world.people["coordinator"])
    url = f"/rapid-reviews/{asked.case.reference}/meeting/criteria/"
    response = client.post(url, {"answer_a": "met", "notes_a": "Improvements needed", "notes_b": "Not yet"})
    assert "Select whether criterion (b) is met" in response.content.decode(), "notes need an answer"
    response = client.post(url, {"answer_a": "met", "notes_a": "Improvements needed"}, follow=True)
    assert "3 still to consider" in response.content.decode()
    assert list(asked.criteria.values_list("criterion", "answer")) == [("a", "met")]
    page = client.get(url).content.decode()
    assert "Improvements needed" in page, "what was saved comes back"


def test_the_papers_say_when_and_where_the_meeting_is_who_is_asked_and_which_summaries_are_missing(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    from django.template.loader import render_to_string

    from rapidreviews.chronology import merge
    from rapidreviews.rendering.papers import papers_context

    schedule(signed_in(world.people["coordinator"]), asked, [world.people["delegate_la"]])
    asked.refresh_from_db()
    context = papers_context(case=asked.case, review=asked, returns=[], chronology=merge([], 90))
    html = render_to_string("rapidreviews/pdf/papers.html", context)
    assert "Tuesday 20 January 2026, 10:00, for 120 minutes" in html and "Room 4, Civic Centre" in html
    assert world.people["delegate_la"].display_name in html
    assert "Not in these papers, because not yet sent:" in html and world.agencies["school"].name in html


def test_a_meeting_on_a_weekend_is_refused(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    saturday = date.today() + timedelta(days=(5 - date.today().weekday()) % 7 or 7)
    response = schedule(
        signed_in(world.people["coordinator"]),
        asked,
        [world.people["delegate_la"]],
        date_0=str(saturday.day),
        date_1=str(saturday.month),
        date_2=str(saturday.year),
    )
    assert f"Date of the meeting must be a working day: Saturday {saturday.day}" in response.content.decode()


def test_an_agency_lead_invited_to_the_meeting_reads_the_meeting_page_but_cannot_change_it(
    world: World, signed_in: SignIn, asked: RapidReview, django_capture_on_commit_callbacks: Any
) -> None:
    asked.case.involved_agencies.add(world.agencies["police"])
    members = [world.people["delegate_la"], world.people["lead_police"]]
    with django_capture_on_commit_callbacks(execute=True):
        schedule(signed_in(world.people["coordinator"]), asked, members)
    url = f"/rapid-reviews/{asked.case.reference}/meeting/"
    lead = signed_in(world.people["lead_police"])
    page = lead.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Tuesday 20 January 2026 at 10:00" in body and "Room 4, Civic Centre" in body
    assert "Schedule and send" not in body and "Change the meeting" not in body, "only the coordinator changes it"
    assert lead.post(url, {"place": "Elsewhere"}).status_code == 403
    assert any(url in m.body for m in mail.outbox if world.people["lead_police"].email in m.to), (
        "the invitation links it"
    )
    assert signed_in(world.people["lead_hospital"]).get(url).status_code == 403, "a lead not invited still may not"
