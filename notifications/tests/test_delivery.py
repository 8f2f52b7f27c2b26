"""Email that fails to go is tried again, with growing waits, until it goes or is given up with an
alert to the coordinator; a message is never emailed twice; and the log says what really happened."""

import io
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.utils import timezone

from clocks.models import ClockRule
from clocks.services import clock_start
from clocks.tests.conftest import make_case
from conftest import SignIn, World
from notifications.delivery import MAX_ATTEMPTS, message_deliver, retry_wait
from notifications.models import Message, MessageKind
from notifications.services import message_send

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)


class MailServer:
    """Down until `up` is set; counts what it was asked to send."""

    def __init__(self) -> None:
        self.up = False
        self.tries = 0

    def send(self, message: EmailMessage, *args: Any, **kwargs: Any) -> int:
        self.tries += 1
        if not self.up:
            raise OSError("Connection refused (mail server down)")
        mail.outbox.append(message)
        return 1


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> MailServer:
    server = MailServer()
    monkeypatch.setattr(EmailMessage, "send", lambda self, *a, **k: server.send(self, *a, **k))
    return server


def send_due(capture: Any) -> str:
    out = io.StringIO()
    with capture(execute=True):
        call_command("messages_send", stdout=out)
    return out.getvalue()


def test_a_message_that_fails_to_send_is_tried_again_with_growing_waits_until_it_goes(
    world: World, server: MailServer, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(START, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            message_send(recipients=[world.people["coordinator"]], subject="Papers for the meeting", body="Attached")
        message = Message.objects.get()
        assert (message.sent_at, message.attempts) == (None, 1)
        assert message.error == "Connection refused (mail server down)"
        assert message.next_attempt_at == START + retry_wait(1)
        assert send_due(django_capture_on_commit_callbacks) == "", "not due yet: nothing tried"

    with time_machine.travel(START + retry_wait(1), tick=False):
        assert "not sent yet" in send_due(django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at == START + retry_wait(1) + retry_wait(2)
    assert retry_wait(2) > retry_wait(1)

    server.up = True
    with time_machine.travel(message.next_attempt_at, tick=False):
        assert send_due(django_capture_on_commit_callbacks) == "1 message sent\n"
        assert send_due(django_capture_on_commit_callbacks) == ""
    message.refresh_from_db()
    assert message.sent_at is not None and message.error == "" and message.next_attempt_at is None
    assert [m.subject for m in mail.outbox] == ["Papers for the meeting"], "sent once"
    assert server.tries == 3


def test_a_message_that_keeps_failing_is_given_up_and_the_coordinator_is_told_in_the_service(
    world: World, server: MailServer, django_capture_on_commit_callbacks: Any
) -> None:
    case = world.cases["north"]
    lead = world.people["lead_hospital"]
    now = START
    with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
        message_send(recipients=[lead], subject="Your summary is due", body="b", case=case, kind=MessageKind.REMINDER)
    original = Message.objects.get()
    for _ in range(40):  # long enough for the original and the alert both to be given up
        now += timedelta(hours=2)
        with time_machine.travel(now, tick=False):
            send_due(django_capture_on_commit_callbacks)
    original.refresh_from_db()
    assert original.gave_up_at is not None and original.sent_at is None
    assert original.attempts == MAX_ATTEMPTS
    alerts = Message.objects.filter(kind=MessageKind.DELIVERY_FAILED)
    assert [a.recipient for a in alerts] == [world.people["coordinator"]], "one alert, to the coordinator"
    alert = alerts.get()
    assert alert.case == case
    assert alert.subject == "Not delivered by email: Your summary is due"
    assert "lead_hospital@example.test" in alert.body and "mail server down" in alert.body
    assert alert.gave_up_at is not None, "the alert's own email was given up too, and nobody is alerted about it"
    assert mail.outbox == []
    # The coordinator reads it in the service.
    assert alert in Message.objects.filter(recipient=world.people["coordinator"])


def test_a_message_being_sent_elsewhere_or_already_sent_is_not_sent_again(
    world: World, server: MailServer, django_capture_on_commit_callbacks: Any
) -> None:
    server.up = True
    with django_capture_on_commit_callbacks(execute=False):
        message_send(recipients=["someone@example.test"], subject="Once only", body="b")
    message = Message.objects.get()
    Message.objects.filter(pk=message.pk).update(sending_until=timezone.now() + timedelta(minutes=5))
    assert message_deliver(message_id=message.pk) is False, "another process holds it"
    Message.objects.filter(pk=message.pk).update(sending_until=None)
    assert message_deliver(message_id=message.pk) is True
    assert message_deliver(message_id=message.pk) is False
    assert len(mail.outbox) == 1


def test_each_message_is_emailed_with_its_own_stable_message_id(
    world: World, server: MailServer, django_capture_on_commit_callbacks: Any
) -> None:
    server.up = True
    with django_capture_on_commit_callbacks(execute=True):
        message_send(recipients=["a@example.test", "b@example.test"], subject="s", body="b")
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(set(ids)) == 2
    assert all(i.startswith("<message-") and i.endswith(">") for i in ids)


def test_the_tick_says_how_many_reminders_went_and_how_many_wait_to_be_tried_again(
    world: World, server: MailServer, django_capture_on_commit_callbacks: Any
) -> None:
    owner = world.people["notifier"]
    for n in range(3):
        case = make_case(world, f"NSCP-2026-07{n}")
        clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=owner, owner=owner)
    out = io.StringIO()
    with time_machine.travel(date(2026, 1, 12), tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("tick", stdout=out)
    assert out.getvalue() == "3 reminder messages recorded: none sent yet, 3 to be tried again\n"
    assert Message.objects.filter(sent_at__isnull=True, next_attempt_at__isnull=False).count() == 3


def test_the_scheduler_sends_what_is_due_every_minute(settings: Any) -> None:
    assert "messages_send" in settings.SCHEDULED_COMMANDS


def test_the_case_messages_page_says_which_messages_are_being_tried_again_and_which_were_given_up(
    world: World, signed_in: SignIn, server: MailServer, django_capture_on_commit_callbacks: Any
) -> None:
    case = world.cases["north"]
    with django_capture_on_commit_callbacks(execute=True):
        message_send(recipients=["a@example.test"], subject="Trying", body="b", case=case)
        message_send(recipients=["b@example.test"], subject="Given up", body="b", case=case)
    Message.objects.filter(subject="Given up").update(gave_up_at=timezone.now(), next_attempt_at=None)

    page = signed_in(world.people["coordinator"]).get(f"/cases/{case.reference}/messages/").content.decode()

    assert page.count("Not sent yet: trying again") == 1
    assert page.count('<strong class="govuk-tag govuk-tag--red">Not sent</strong>') == 1
