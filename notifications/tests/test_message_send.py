"""message_send: one logged message per recipient, sent after commit, never twice for one dedupe key."""

from typing import NoReturn

import pytest
from django.core import mail
from pytest_django import DjangoCaptureOnCommitCallbacks

from audit.models import AuditEvent, Verb
from conftest import World
from notifications.models import Message
from notifications.services import message_send


def test_it_logs_and_sends_one_message_per_recipient_after_commit(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    case = world.cases["north"]
    with django_capture_on_commit_callbacks(execute=True):
        messages = message_send(
            recipients=[world.people["coordinator"], "someone@example.test", world.people["coordinator"]],
            subject="A deadline",
            body="Body text",
            case=case,
        )
    assert len(messages) == 2
    assert len(mail.outbox) == 2
    assert sorted(x for m in mail.outbox for x in m.to) == ["coordinator@example.test", "someone@example.test"]
    assert all(m.sent_at for m in Message.objects.filter(case=case))
    assert AuditEvent.objects.filter(verb=Verb.SEND, case=case).count() == 1


def test_a_dedupe_key_already_used_sends_nothing_more(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    person = world.people["coordinator"]
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            message_send(recipients=[person], subject="Reminder", body="b", dedupe_key="clock:1:overdue:2026-01-01")
    assert len(mail.outbox) == 1
    assert Message.objects.count() == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                message_send(recipients=[world.people["chair"]], subject="s", body="b")
                raise RuntimeError("boom")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []
    assert Message.objects.count() == 0


def test_a_second_scheduler_losing_the_race_records_and_sends_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    """The other process inserted the row between our check and our insert: the unique key wins."""
    from django.db.models import QuerySet

    person = world.people["coordinator"]
    Message.objects.create(
        to_email=person.email,
        subject="Reminder",
        body="b",
        dedupe_key="clock:9:overdue:2026-01-01|coordinator@example.test",
    )
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    with django_capture_on_commit_callbacks(execute=True):
        sent = message_send(recipients=[person], subject="Reminder", body="b", dedupe_key="clock:9:overdue:2026-01-01")
    assert sent == []
    assert mail.outbox == []
    assert Message.objects.count() == 1


def test_a_failed_send_is_kept_on_the_message(
    world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    from django.core.mail import EmailMessage

    def broken(*args: object, **kwargs: object) -> NoReturn:
        raise OSError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        message_send(recipients=["someone@example.test"], subject="s", body="b")
    message = Message.objects.get()
    assert message.sent_at is None
    assert message.error == "mail server down"
