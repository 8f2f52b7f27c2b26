import re
from datetime import date
from typing import Any

import pytest
from django.core import mail

from cases.models import CaseAccess, CaseState
from conftest import SignIn, World, found
from notifications.models import Message, MessageKind
from rapidreviews.models import RapidReview, SummaryStatus
from rapidreviews.services.summaries import (
    SummaryConflict,
    SummaryStateError,
    agency_summary_check,
    agency_summary_save,
    agency_summary_submit,
    chronology_entry_save,
)
from rapidreviews.tests.helpers import complete, summary_of

pytestmark = pytest.mark.django_db


def test_starting_the_review_moves_the_case_on(world: World, review: RapidReview) -> None:
    review.case.refresh_from_db()
    assert review.case.state == CaseState.RAPID_REVIEW


def test_coordinator_sees_the_task_list_with_clocks(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    response = signed_in(world.people["coordinator"]).get(f"/rapid-reviews/{asked.case.reference}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Returns due: working day 8," in body
    assert "Agency summaries" in body
    assert f'/rapid-reviews/{asked.case.reference}/panel-response/"' not in body, "cannot start yet: no link"


def test_a_request_emails_the_lead_and_grants_access(
    world: World, asked: RapidReview, django_capture_on_commit_callbacks: Any
) -> None:
    assert CaseAccess.objects.filter(case=asked.case, user=world.people["lead_school"]).exists()
    assert world.agencies["school"] in asked.case.involved_agencies.all()


def test_the_coordinator_can_invite_a_lead_who_has_no_account(
    world: World, signed_in: SignIn, review: RapidReview, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in(world.people["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/rapid-reviews/{review.case.reference}/requests/new/",
            {
                "agency": world.agencies["police"].pk,
                "invite_first_name": "Tamsin",
                "invite_last_name": "Orrell",
                "invite_email": "tamsin.orrell@example.test",
            },
        )
    assert response.status_code == 302
    assert review.requests.get(agency=world.agencies["police"]).invitation is not None
    assert any("tamsin.orrell@example.test" in m.to for m in mail.outbox)


def test_a_request_without_lead_or_invitation_says_what_is_missing(
    world: World, signed_in: SignIn, review: RapidReview
) -> None:
    response = signed_in(world.people["coordinator"]).post(
        f"/rapid-reviews/{review.case.reference}/requests/new/", {"agency": world.agencies["police"].pk}
    )
    assert response.status_code == 200
    assert "Select the safeguarding lead" in response.content.decode()


def test_it_hides_other_agencies_returns(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    client = signed_in(world.people["lead_school"])
    ref = asked.case.reference
    assert client.get(f"/rapid-reviews/{ref}/returns/{world.agencies['school'].pk}/").status_code == 200
    assert client.get(f"/rapid-reviews/{ref}/returns/{world.agencies['hospital'].pk}/").status_code == 404
    assert client.get(f"/rapid-reviews/{ref}/returns/{world.agencies['hospital'].pk}/learning/").status_code == 404


def test_an_agency_lead_cannot_open_the_coordinators_workspace(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    response = signed_in(world.people["lead_school"]).get(f"/rapid-reviews/{asked.case.reference}/")
    assert response.status_code == 403


def test_another_partnership_cannot_see_the_review(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    response = signed_in(world.people["south_coordinator"]).get(f"/rapid-reviews/{asked.case.reference}/")
    assert response.status_code == 404


def test_a_lead_saves_a_section_as_a_draft(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    school = world.agencies["school"]
    agency_summary = summary_of(asked, school)
    response = signed_in(world.people["lead_school"]).post(
        f"/rapid-reviews/{asked.case.reference}/returns/{school.pk}/learning/",
        {"version": 0, "learning": "Share attendance concerns sooner."},
    )
    assert response.status_code == 302
    agency_summary.refresh_from_db()
    assert agency_summary.learning == "Share attendance concerns sooner."
    assert agency_summary.status == SummaryStatus.DRAFT


def test_two_people_saving_the_same_section_do_not_overwrite_each_other(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    school = world.agencies["school"]
    agency_summary = summary_of(asked, school)
    page = f"/rapid-reviews/{asked.case.reference}/returns/{school.pk}/involvement/"
    client = signed_in(world.people["lead_school"])
    opened_at = int(found(r'name="version" value="(\d+)"', client.get(page).content.decode()))
    agency_summary_save(
        agency_summary=agency_summary,
        actor=world.people["lead_school"],
        expected_version=opened_at,
        fields={"involvement_summary": "First"},
        section="involvement",
    )
    response = client.post(page, {"version": opened_at, "involvement_summary": "Second, typed at the same time"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "This was changed elsewhere" in body and "Second, typed at the same time" in body
    assert "What is saved now" in body and "First" in body
    assert "data-autosave-url" not in body, "after a clash only the Save button replaces the saved text"
    agency_summary.refresh_from_db()
    assert agency_summary.involvement_summary == "First"
    # The clash page carries the version saved now: saving again replaces it, knowingly.
    now = int(found(r'name="version" value="(\d+)"', body))
    again = {"version": now, "involvement_summary": "Second, typed at the same time"}
    assert client.post(page, again).status_code == 302
    agency_summary.refresh_from_db()
    assert agency_summary.involvement_summary == "Second, typed at the same time"


def test_saving_one_section_never_clashes_with_another(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    school = world.agencies["school"]
    client = signed_in(world.people["lead_school"])
    ref = asked.case.reference
    involvement_page = client.get(f"/rapid-reviews/{ref}/returns/{school.pk}/involvement/").content.decode()
    opened_at = int(found(r'name="version" value="(\d+)"', involvement_page))
    saved = client.post(
        f"/rapid-reviews/{ref}/returns/{school.pk}/lived-experience/", {"version": 0, "lived_experience": "Quiet"}
    )
    assert saved.status_code == 302
    involvement = client.post(
        f"/rapid-reviews/{ref}/returns/{school.pk}/involvement/",
        {"version": opened_at, "involvement_summary": "Mine"},
    )
    assert involvement.status_code == 302, "another section's save in the meantime is no clash"
    agency_summary = summary_of(asked, school)
    assert (agency_summary.lived_experience, agency_summary.involvement_summary) == ("Quiet", "Mine")


def test_the_service_refuses_a_stale_version(world: World, asked: RapidReview) -> None:
    agency_summary = summary_of(asked, world.agencies["school"])
    with pytest.raises(SummaryConflict):
        agency_summary_save(
            agency_summary=agency_summary,
            actor=world.people["lead_school"],
            expected_version=99,
            fields={"learning": "x"},
        )


def test_a_chronology_entry_with_a_bad_time_keeps_the_typed_text(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    school = world.agencies["school"]
    response = signed_in(world.people["lead_school"]).post(
        f"/rapid-reviews/{asked.case.reference}/returns/{school.pk}/entries/new/",
        {
            "version": 0,
            "date_0": "3",
            "date_1": "3",
            "date_2": "2025",
            "time": "quarter past",
            "what_happened": "Child absent from school",
            "source": "Attendance register",
        },
    )
    body = response.content.decode()
    assert "Enter the time in hours and minutes" in body
    assert "Child absent from school" in body


def test_submit_accept_and_return_loop(world: World, asked: RapidReview) -> None:
    lead, coordinator = world.people["lead_school"], world.people["coordinator"]
    agency_summary = summary_of(asked, world.agencies["school"])
    with pytest.raises(SummaryStateError):
        agency_summary_submit(agency_summary=agency_summary, actor=lead, expected_version=agency_summary.version)
    complete(agency_summary, lead)
    chronology_entry_save(
        agency_summary=agency_summary,
        actor=lead,
        entry=None,
        expected_version=0,
        on=date(2025, 3, 3),
        at=None,
        what_happened="Absent",
        source="Register",
        significance="",
    )
    agency_summary_submit(agency_summary=agency_summary, actor=lead, expected_version=agency_summary.version)
    agency_summary_check(agency_summary=agency_summary, actor=coordinator, accept=False, comments="Add the GP contact")
    assert agency_summary.status == SummaryStatus.RETURNED
    agency_summary_save(
        agency_summary=agency_summary, actor=lead, expected_version=agency_summary.version, fields={"learning": "More"}
    )
    agency_summary_submit(agency_summary=agency_summary, actor=lead, expected_version=agency_summary.version)
    agency_summary_check(agency_summary=agency_summary, actor=coordinator, accept=True, comments="")
    assert agency_summary.status == SummaryStatus.ACCEPTED
    assert [e.kind for e in agency_summary.events.all()] == ["submitted", "returned", "submitted", "accepted"]
    # Each email is filed under a kind the service knows; sent back, the summary is asked for again.
    kinds = {m.subject: m.kind for m in Message.objects.filter(subject__contains="summary for")}
    case = asked.case.reference
    assert kinds == {
        f"{agency_summary.agency} has sent its summary for {case}": MessageKind.GENERAL,
        f"Your agency summary for {case} has been sent back for changes": MessageKind.REQUEST,
        f"Your agency summary for {case} has been accepted": MessageKind.GENERAL,
    }
    with pytest.raises(SummaryStateError):
        agency_summary_save(
            agency_summary=agency_summary, actor=lead, expected_version=agency_summary.version, fields={"learning": "x"}
        )


def test_shared_returns_are_seen_by_meeting_members_but_never_drafts(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    from rapidreviews.services.requests import summaries_share

    hospital, school = world.agencies["hospital"], world.agencies["school"]
    hospital_summary = summary_of(asked, hospital)
    complete(hospital_summary, world.people["lead_hospital"])
    chronology_entry_save(
        agency_summary=hospital_summary,
        actor=world.people["lead_hospital"],
        entry=None,
        expected_version=0,
        on=date(2025, 6, 2),
        at=None,
        what_happened="Seen in the fracture clinic",
        source="Record",
        significance="",
    )
    agency_summary_submit(
        agency_summary=hospital_summary, actor=world.people["lead_hospital"], expected_version=hospital_summary.version
    )
    summaries_share(review=asked, actor=world.people["coordinator"])
    client = signed_in(world.people["delegate_la"])
    ref = asked.case.reference
    assert client.get(f"/rapid-reviews/{ref}/returns/{hospital.pk}/").status_code == 200
    assert "Seen in the fracture clinic" in client.get(f"/rapid-reviews/{ref}/chronology/").content.decode()
    assert client.get(f"/rapid-reviews/{ref}/returns/{school.pk}/").status_code == 404
    # The LA notifier's part ended with the SIN: a shared summary is theirs to read only as a member.
    notifier = signed_in(world.people["notifier"])
    assert notifier.get(f"/rapid-reviews/{ref}/returns/{hospital.pk}/").status_code == 404
    assert "Seen in the fracture clinic" not in notifier.get(f"/rapid-reviews/{ref}/chronology/").content.decode()
    # The referrer hears the outcome, not the record: no chronology page at all.
    assert signed_in(world.people["practitioner"]).get(f"/rapid-reviews/{ref}/chronology/").status_code == 403


def test_a_case_moved_on_by_the_generic_step_still_gets_its_review_record(world: World, notified: Any) -> None:
    from cases.workflow import case_transition
    from rapidreviews.services.review import rapid_review_start

    case_transition(
        case=notified, name="start_rapid_review", actor=world.people["coordinator"], expected_version=notified.version
    )
    review = rapid_review_start(case=notified, actor=world.people["coordinator"])
    assert review.case.state == CaseState.RAPID_REVIEW


def test_an_invited_lead_who_accepts_becomes_the_requests_lead_and_alone_is_told(
    world: World, review: RapidReview, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from accounts.services import invitation_accept
    from notifications.models import Message
    from rapidreviews.models import InformationRequest
    from rapidreviews.services.requests import information_request_send

    with django_capture_on_commit_callbacks(execute=True):
        information_request_send(
            review=review,
            actor=world.people["coordinator"],
            agency=world.agencies["police"],
            invite={"email": "new.lead@example.test", "first_name": "Ffion", "last_name": "Arkwright"},
        )
    [token] = re.findall(r"/sign-in/invitation/([^/\s]+)/", "".join(m.body for m in mailoutbox))
    new_lead = invitation_accept(token=token, password="a long invented passphrase 2026")
    request = InformationRequest.objects.get(review=review, agency=world.agencies["police"])
    assert request.lead == new_lead
    assert CaseAccess.objects.filter(case=review.case, user=new_lead).exists()
    agency_summary = summary_of(review, world.agencies["police"])
    complete(agency_summary, new_lead)
    agency_summary_submit(agency_summary=agency_summary, actor=new_lead, expected_version=agency_summary.version)
    agency_summary_check(agency_summary=agency_summary, actor=world.people["coordinator"], accept=True, comments="")
    told = set(Message.objects.filter(subject__contains="accepted").values_list("to_email", flat=True))
    assert told == {"new.lead@example.test"}, "the other police lead is not copied in"


def test_a_page_overtaking_its_own_autosave_is_no_clash_but_another_pages_stale_save_is(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    """Leaving a page while its autosave is in flight sends a save one version behind the one the
    page has just made: taken from that page, refused from any other."""
    school = world.agencies["school"]
    client = signed_in(world.people["lead_school"])
    autosave = f"/rapid-reviews/{asked.case.reference}/returns/{school.pk}/learning/autosave/"
    page = client.get(f"/rapid-reviews/{asked.case.reference}/returns/{school.pk}/answers/").content.decode()
    editor = found(r'name="learning_editor" value="([^"]+)"', page)
    assert client.post(autosave, {"version": 0, "editor": editor, "learning": "Half"}).json()["saved"]
    late = client.post(autosave, {"version": 0, "editor": editor, "learning": "Half a sentence more"})
    assert late.json()["saved"], "the same page, one behind itself"
    assert summary_of(asked, school).learning == "Half a sentence more"
    other = client.post(autosave, {"version": 1, "editor": "another-tab", "learning": "From another tab"})
    assert other.status_code == 409
    assert summary_of(asked, school).learning == "Half a sentence more"
