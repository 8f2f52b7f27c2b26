"""A message is filed under one of MessageKind, or not sent at all: a kind the service does not
know is refused, never filed quietly as a general message."""

import pytest

from conftest import World
from notifications.models import Message, MessageKind
from notifications.services import message_send
from rapidreviews.integrations import messages_send_to

pytestmark = pytest.mark.django_db


def test_message_send_refuses_a_kind_it_does_not_know_and_records_nothing(world: World) -> None:
    with pytest.raises(ValueError, match="'return_submitted' is not a kind of message"):
        message_send(
            recipients=[world.people["coordinator"]],
            subject="Summary sent",
            body="b",
            case=world.cases["north"],
            kind="return_submitted",  # type: ignore[arg-type]
        )
    assert not Message.objects.exists()


def test_the_rapid_review_sender_refuses_it_too_even_with_nobody_to_tell(world: World) -> None:
    for recipients in ([world.people["coordinator"]], [None]):
        with pytest.raises(ValueError):
            messages_send_to(
                recipients=recipients,
                subject="Summary reviewed",
                body="b",
                case=world.cases["north"],
                actor=world.people["coordinator"],
                kind="return_reviewed",  # type: ignore[arg-type]
            )
    assert not Message.objects.exists()


def test_a_kind_given_by_its_value_is_filed_under_that_kind(world: World) -> None:
    message_send(recipients=[world.people["coordinator"]], subject="s", body="b", kind="reminder")  # type: ignore[arg-type]
    assert Message.objects.get().kind == MessageKind.REMINDER
