"""The calendar invitation is written by the icalendar library: whatever a coordinator types in the
meeting's place, it stays one property and cannot add lines (attendees, alarms, URLs) of its own."""

import re
from datetime import UTC, datetime
from typing import Any

import icalendar
import pytest
from django.core import mail

from conftest import SignIn, World
from rapidreviews.models import RapidReview
from rapidreviews.rendering.ics import meeting_ics
from rapidreviews.tests.test_meeting import schedule

pytestmark = pytest.mark.django_db

INJECTION = "Room 4\rATTENDEE:mailto:stranger@example.test\rURL:https://example.test/x\nEND:VEVENT"


def invite(**extra: Any) -> bytes:
    values: dict[str, Any] = {
        "uid": "m-1@rapid-review",
        "sequence": 2,
        "start": datetime(2026, 1, 20, 10, tzinfo=UTC),
        "minutes": 90,
        "summary": "Rapid review meeting: NSCP-2026-0001",
        "location": "Room 4, Civic Centre",
        "description": "Papers: https://service.example.test/papers",
        "organizer": ("Casey Organiser", "casey@example.test"),
        "attendees": [("Ari Member", "ari@example.test"), ('Bo "Quoted" Member', "bo@example.test")],
        "stamp": datetime(2026, 1, 10, 9, tzinfo=UTC),
    }
    values.update(extra)
    return meeting_ics(**values)


def lines_of(data: bytes) -> list[str]:
    text = data.decode()
    assert "\r" not in text.replace("\r\n", ""), "no carriage return outside a line ending"
    assert "\n" not in text.replace("\r\n", ""), "no line feed outside a line ending"
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")


def test_a_carriage_return_in_the_place_cannot_add_lines_to_the_invitation() -> None:
    data = invite(location=INJECTION, description="Line one\rLine two")
    unfolded = lines_of(data)
    assert not [line for line in unfolded if line.startswith(("ATTENDEE:mailto:stranger", "URL:"))]
    assert sum(line == "END:VEVENT" for line in unfolded) == 1
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == INJECTION.replace("\r", "\n")
    assert {str(a) for a in event.get("ATTENDEE")} == {"mailto:ari@example.test", "mailto:bo@example.test"}


def test_the_invitation_keeps_its_uid_sequence_method_times_and_people() -> None:
    data = invite()
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["METHOD"]) == "REQUEST" and str(calendar["VERSION"]) == "2.0"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == "m-1@rapid-review" and event.decoded("SEQUENCE") == 2
    assert event.decoded("DTSTART") == datetime(2026, 1, 20, 10, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 1, 20, 11, 30, tzinfo=UTC)
    assert str(event["ORGANIZER"]) == "mailto:casey@example.test"
    assert event["ORGANIZER"].params["CN"] == "Casey Organiser"
    attendees = {str(a): a.params for a in event.get("ATTENDEE")}
    assert attendees["mailto:ari@example.test"]["CN"] == "Ari Member"
    assert attendees["mailto:ari@example.test"]["PARTSTAT"] == "NEEDS-ACTION"
    assert attendees["mailto:ari@example.test"]["RSVP"] == "TRUE"
    text = data.decode()
    assert "DTSTART:20260120T100000Z" in text and "DTEND:20260120T113000Z" in text
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n")), "long lines are folded"


def test_a_long_place_is_folded_at_75_octets_without_splitting_a_character() -> None:
    data = invite(location="Salle é " * 40)
    assert all(len(line.encode()) <= 75 for line in data.decode().split("\r\n"))
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == "Salle é " * 40


def test_scheduling_with_a_carriage_return_in_the_place_sends_a_clean_invitation(
    world: World, signed_in: SignIn, asked: RapidReview, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = schedule(
            signed_in(world.people["coordinator"]), asked, [world.people["delegate_la"]], place=INJECTION
        )
    assert response.status_code == 302
    _name, content, _mimetype = mail.outbox[0].attachments[0]
    data = content.encode() if isinstance(content, str) else content
    assert not [line for line in lines_of(data) if line.startswith("ATTENDEE:mailto:stranger")]
