"""Your messages: everything the service emailed a person, read in the service too (the outcome of a
review reaches people "by email and in the service"); nobody reads anyone else's."""

import pytest

from audit.models import AuditEvent, Verb
from conftest import SignIn, World
from notifications.models import Message
from notifications.services import message_send

pytestmark = pytest.mark.django_db


def _tell(world: World, key: str, subject: str = "Outcome of the rapid review of NSCP-2026-001") -> Message:
    person = world.people[key]
    (message,) = message_send(
        recipients=[person],
        subject=subject,
        body="The decision: LCSPR.\n\nThe case: http://testserver/cases/NSCP-2026-001/",
        case=world.cases["north"],
    )
    return message


def test_a_person_reads_their_messages_in_the_service_and_they_are_marked_read(world: World, signed_in: SignIn) -> None:
    message = _tell(world, "practitioner")
    client = signed_in(world.people["practitioner"])
    home = client.get("/").content.decode()
    assert "You have 1 new message" in home and "Messages (1 new)" in home
    inbox = client.get("/messages/").content.decode()
    assert message.subject in inbox and ">New<" in inbox
    body = client.get(f"/messages/{message.pk}/").content.decode()
    assert "The decision: LCSPR." in body
    assert '<a href="http://testserver/cases/NSCP-2026-001/"' in body, "links in the email are links here"
    message.refresh_from_db()
    assert message.read_at is not None
    assert "new message" not in client.get("/").content.decode()
    assert AuditEvent.objects.filter(verb=Verb.VIEW, target_id=str(message.pk), case=message.case).exists()


def test_nobody_reads_anyone_elses_message(world: World, signed_in: SignIn) -> None:
    message = _tell(world, "lead_school")
    for key in ("lead_hospital", "coordinator", "admin"):
        client = signed_in(world.people[key])
        assert client.get(f"/messages/{message.pk}/").status_code == 404
        assert message.subject not in client.get("/messages/").content.decode()
    message.refresh_from_db()
    assert message.read_at is None


def test_an_empty_inbox_says_so_and_a_long_one_has_pages(world: World, signed_in: SignIn) -> None:
    client = signed_in(world.people["chair"])
    assert "You have no messages yet." in client.get("/messages/").content.decode()
    for n in range(30):
        _tell(world, "chair", subject=f"Reminder {n:02d}")
    first = client.get("/messages/").content.decode()
    assert "Reminder 29" in first and "Reminder 00" not in first
    second = client.get("/messages/?page=2").content.decode()
    assert "Reminder 00" in second and "Your messages (page 2 of 2)" in second
