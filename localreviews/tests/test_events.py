"""Practitioner learning events: planned with a calendar invitation to each person invited,
changed (a move re-sends the invitation), attendance recorded once the day has come."""

from datetime import date, time
from typing import Any

import pytest
import time_machine
from django.core import mail

from audit.models import AuditEvent, Verb
from cases.models import Case, CaseAccess
from conftest import SignIn, World
from core.tests.queries import max_page_queries
from localreviews.events_models import Attendance, EventStatus, Invitee, LearningEvent
from localreviews.models import DecidedWhen, LocalReview, ReviewKind
from localreviews.selectors import task_list

pytestmark = pytest.mark.django_db

URL = "/local-reviews/NSCP-2026-001/learning-events/"


@pytest.fixture
def review(world: World, sent: Case) -> LocalReview:
    Case.objects.filter(pk=sent.pk).update(state="local_review")
    return LocalReview.objects.create(
        case=sent,
        kind=ReviewKind.LCSPR,
        decided_on=date(2026, 3, 2),
        decided_when=DecidedWhen.RAPID_REVIEW,
        opened_by=world.people["coordinator"],
    )


def _form(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "version": "0",
        "title": "Learning event: agencies working together",
        "date_0": "14",
        "date_1": "4",
        "date_2": "2026",
        "start_time": "09:30",
        "duration_minutes": "180",
        "place": "Room 2, Civic Centre",
        "online_link": "",
        "people": [str(world.people["practitioner"].pk), str(world.people["lead_school"].pk)],
        "guest1_name": "Sam Okafor",
        "guest1_email": "sam.okafor@gp.example",
        "guest1_role": "GP, Hollowbrook Surgery",
        "guest2_name": "",
        "guest2_email": "",
        "guest2_role": "",
        **changes,
    }


def _ics(message: Any) -> str:
    name, content, mimetype = message.attachments[0]
    assert name == "invite.ics" and mimetype.startswith("text/calendar")
    return content.decode() if isinstance(content, bytes) else str(content)


def test_planning_sends_each_invitee_a_calendar_invitation(
    world: World, review: LocalReview, signed_in: SignIn, today: None, django_capture_on_commit_callbacks: Any
) -> None:
    browser = signed_in(world.people["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = browser.post(URL + "new/", _form(world))
    event = LearningEvent.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"{URL}{event.pk}/"
    assert {i.email for i in event.invitees.all()} == {
        world.people["practitioner"].email,
        world.people["lead_school"].email,
        "sam.okafor@gp.example",
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(i.email for i in event.invitees.all())
    for message in mail.outbox:
        ics = _ics(message)
        assert "DTSTART:20260414T083000Z" in ics  # 09:30 British Summer Time
        assert "Practitioner learning event" in ics and "SEQUENCE:0" in ics
        assert "sam.okafor@gp.example" in ics
        assert "Learning event: agencies working together" in message.subject
    # The practitioners are invited to the event, not given the case.
    assert not CaseAccess.objects.filter(user=world.people["practitioner"]).exists()
    assert AuditEvent.objects.filter(
        case=review.case, verb=Verb.CREATE, target_type="localreviews.learningevent"
    ).exists()


def test_bad_input_comes_back_with_its_errors_and_the_text(
    world: World, review: LocalReview, signed_in: SignIn, today: None
) -> None:
    browser = signed_in(world.people["coordinator"])
    page = browser.post(
        URL + "new/",
        _form(
            world,
            title="My own title",
            date_0="31",
            date_1="2",
            start_time="25:00",
            place="",
            people=[],
            guest1_name="",
            guest1_email="not-an-address",
            guest2_name="Alex Reid",
        ),
    )
    text = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" in text
    assert "Date of the event must be a real date" in text
    assert "Enter the start time in hours and minutes" in text
    assert "Enter the place or an online meeting link" in text
    assert "Enter the email address of person 1 in the correct format" in text
    assert "Enter the email address of person 2" in text
    assert "My own title" in text and "Alex Reid" in text
    assert not LearningEvent.objects.exists()


def test_a_past_date_or_nobody_invited_is_refused(
    world: World, review: LocalReview, signed_in: SignIn, today: None
) -> None:
    browser = signed_in(world.people["coordinator"])
    text = browser.post(URL + "new/", _form(world, date_0="1", date_1="3")).content.decode()
    assert "Date of the event must be today or in the future" in text
    text = browser.post(
        URL + "new/", _form(world, people=[], guest1_email="", guest1_name="", guest1_role="")
    ).content.decode()
    assert "Invite at least one person" in text
    assert not LearningEvent.objects.exists()


def test_a_move_resends_the_invitation_and_a_new_invitee_gets_theirs(
    world: World, review: LocalReview, signed_in: SignIn, today: None, django_capture_on_commit_callbacks: Any
) -> None:
    browser = signed_in(world.people["coordinator"])
    browser.post(URL + "new/", _form(world))
    event = LearningEvent.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(
            f"{URL}{event.pk}/edit/",
            _form(world, version=str(event.version), guest2_name="Alex Reid", guest2_email="alex.reid@example.org"),
        )
    assert [m.to[0] for m in mail.outbox] == ["alex.reid@example.org"], "only the new invitee is sent one"
    mail.outbox.clear()
    event.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(
            f"{URL}{event.pk}/edit/",
            _form(
                world,
                version=str(event.version),
                start_time="13:00",
                guest2_name="Alex Reid",
                guest2_email="alex.reid@example.org",
            ),
        )
    event.refresh_from_db()
    assert event.start_time == time(13, 0) and event.sequence == 1
    assert len(mail.outbox) == 4 and all("SEQUENCE:1" in _ics(m) for m in mail.outbox)
    assert all(m.subject.startswith("Changed:") for m in mail.outbox)


def test_a_stale_change_keeps_the_text_and_changes_nothing(
    world: World, review: LocalReview, signed_in: SignIn, today: None
) -> None:
    browser = signed_in(world.people["coordinator"])
    browser.post(URL + "new/", _form(world))
    event = LearningEvent.objects.get()
    page = browser.post(f"{URL}{event.pk}/edit/", _form(world, version=str(event.version + 3), title="Mine"))
    text = page.content.decode()
    assert "Someone else" in text and "Mine" in text
    event.refresh_from_db()
    assert event.title != "Mine"


def test_attendance_is_recorded_once_the_day_has_come(
    world: World, review: LocalReview, signed_in: SignIn, today: None
) -> None:
    browser = signed_in(world.people["coordinator"])
    browser.post(URL + "new/", _form(world))
    event = LearningEvent.objects.get()
    invitees = list(event.invitees.order_by("id"))
    values = {f"att_{i.pk}": Attendance.ATTENDED for i in invitees}
    text = browser.post(
        f"{URL}{event.pk}/attendance/", {"version": str(event.version), "notes": "Early", **values}
    ).content.decode()
    assert "Record who attended once the event has taken place on 14 April 2026" in text
    with time_machine.travel("2026-04-14 15:00 +01:00", tick=False):
        browser = signed_in(world.people["coordinator"])  # a new day, a new session
        page = browser.post(f"{URL}{event.pk}/attendance/", {"version": str(event.version), "notes": "Themes"})
        assert "Select whether" in page.content.decode()
        values[f"att_{invitees[1].pk}"] = Attendance.APOLOGIES
        values[f"att_{invitees[2].pk}"] = Attendance.DID_NOT_ATTEND
        answer = browser.post(
            f"{URL}{event.pk}/attendance/",
            {"version": str(event.version), "notes": "Discharge planning came up again.", **values},
        )
        assert answer.status_code == 302
        # Held: its details no longer change, its attendance may be corrected.
        assert browser.get(f"{URL}{event.pk}/edit/").status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.HELD and event.notes == "Discharge planning came up again."
    assert [i.attendance for i in event.invitees.order_by("id")] == [
        Attendance.ATTENDED,
        Attendance.APOLOGIES,
        Attendance.DID_NOT_ATTEND,
    ]
    line = next(t for t in task_list(review) if t.text == "Practitioner learning events")
    assert line.status == "Completed"


def test_readers_read_the_events_organisers_organise_them(
    world: World, review: LocalReview, signed_in: SignIn, today: None
) -> None:
    signed_in(world.people["coordinator"]).post(URL + "new/", _form(world))
    event = LearningEvent.objects.get()
    scrutineer = signed_in(world.people["scrutineer"])
    with max_page_queries():
        page = scrutineer.get(f"{URL}{event.pk}/")
    assert page.status_code == 200 and "Sam Okafor" in page.content.decode()
    with max_page_queries():
        assert scrutineer.get(URL).status_code == 200
    assert scrutineer.get(URL + "new/").status_code == 403
    assert scrutineer.post(f"{URL}{event.pk}/edit/", _form(world, version="1")).status_code == 403
    # The practitioner invited does not read the review.
    assert signed_in(world.people["practitioner"]).get(f"{URL}{event.pk}/").status_code in (403, 404)
    # The commissioned reviewer organises them.
    reviewer = world.people["reviewer"]
    CaseAccess.objects.create(case=review.case, user=reviewer, reason=CaseAccess.Reason.COMMISSIONED_REVIEWER)
    browser = signed_in(reviewer)
    with max_page_queries():
        assert browser.get(f"{URL}{event.pk}/edit/").status_code == 200
    assert Invitee.objects.count() == 3


def test_another_reviews_event_is_not_found(world: World, review: LocalReview, signed_in: SignIn, today: None) -> None:
    signed_in(world.people["coordinator"]).post(URL + "new/", _form(world))
    event = LearningEvent.objects.get()
    other = Case.objects.create(
        reference="NSCP-2026-002", partnership=world.north, title="Child B", state="local_review"
    )
    LocalReview.objects.create(
        case=other,
        kind=ReviewKind.LCSPR,
        decided_on=date(2026, 3, 2),
        decided_when=DecidedWhen.LATER,
        opened_by=world.people["coordinator"],
    )
    browser = signed_in(world.people["coordinator"])
    assert browser.get(f"/local-reviews/{other.reference}/learning-events/{event.pk}/").status_code == 404
