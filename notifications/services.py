"""Sending messages. `message_send` records one Message per recipient and sends the email after commit;
one that does not go is tried again until it does or is given up (notifications/delivery.py).

A `dedupe_key` makes a message go at most once: the key (with the recipient's address) is a unique
column, so a second call with the same key, even from a second scheduler racing the first, records
nothing and sends nothing.
"""

import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from audit.models import Verb
from audit.services import audit_record
from cases.models import Case
from notifications.delivery import message_deliver
from notifications.models import Message, MessageKind

logger = logging.getLogger(__name__)

Recipient = Any  # a User (with .email) or an email address


def _address(recipient: Recipient) -> tuple[Any, str]:
    if isinstance(recipient, str):
        return None, recipient
    return recipient, str(recipient.email)


def _kind(kind: str) -> MessageKind:
    try:
        return MessageKind(kind)
    except ValueError:
        raise ValueError(f"{kind!r} is not a kind of message: use one of MessageKind") from None


def _send_after_commit(message_id: int) -> None:
    """The first try, once the message is committed. Any failure is kept on the message and tried
    again by the scheduler (notifications/delivery.py); it never fails the request that sent it."""
    try:
        message_deliver(message_id=message_id)
    except Exception:
        logger.exception("Sending message %s failed; it will be tried again", message_id)


def message_send(
    *,
    recipients: Iterable[Recipient],
    subject: str,
    body: str,
    case: Case | None = None,
    actor: User | None = None,
    kind: MessageKind = MessageKind.GENERAL,
    dedupe_key: str | None = None,
    attachment: tuple[str, str, str] | None = None,
) -> list[Message]:
    """Record a message for each recipient and email it once the transaction commits.

    `attachment` is (file name, text, content type), for example a calendar invitation.
    Returns the messages recorded by this call: with a `dedupe_key` already used for a recipient,
    that recipient gets nothing new (and is left out of the result). A `kind` that is not a
    MessageKind is refused (ValueError) before anything is recorded: it is never filed as another.
    """
    kind = _kind(kind)
    created: list[Message] = []
    seen: set[str] = set()
    with transaction.atomic():
        for recipient in recipients:
            user, email = _address(recipient)
            if not email or email.lower() in seen:
                continue
            seen.add(email.lower())
            key = f"{dedupe_key}|{email.lower()}" if dedupe_key else None
            if key and Message.objects.filter(dedupe_key=key).exists():
                continue
            try:
                with transaction.atomic():
                    message = Message.objects.create(
                        case=case,
                        recipient=user,
                        to_email=email,
                        subject=subject,
                        body=body,
                        kind=kind,
                        dedupe_key=key,
                        actor=actor if getattr(actor, "is_authenticated", False) else None,
                        attachment_name=attachment[0] if attachment else "",
                        attachment_text=attachment[1] if attachment else "",
                        attachment_type=attachment[2] if attachment else "",
                        # Due at once: if the send after commit never runs (the process stopped),
                        # the scheduler sends it.
                        next_attempt_at=timezone.now(),
                    )
            except IntegrityError:
                continue  # another process recorded this reminder first
            created.append(message)
            transaction.on_commit(partial(_send_after_commit, message.pk))
        if created:
            audit_record(
                actor=actor,
                verb=Verb.SEND,
                target=created[0],
                case=case,
                details={
                    "summary": f"{kind.label}: {subject}",
                    "kind": kind,
                    "to": [m.to_email for m in created],
                },
                actor_label=None if getattr(actor, "is_authenticated", False) else "The service",
                partnership_id=getattr(case, "partnership_id", None),
            )
    return created
