"""Emailing a recorded message, and trying again until it goes.

`message_send` records each message with its first try due at once and emails it after commit. A send
that fails (the mail server down, a timeout) is kept on the message with the next try due after a
wait that doubles each time (1, 2, 4, ... minutes, at most 4 hours); the scheduler runs
`manage.py messages_send` every minute to send what is due. After `MAX_ATTEMPTS` tries (about 8
hours) the message is given up and the partnership's review coordinators are told, by a message
that is also in their "Your messages" (so they learn of it even while email is down); nobody is
told about a failed alert.

Never twice: a sender first takes the message (a conditional UPDATE that only one process can
win, held for `LEASE`), and a sent message is never taken again. Each email carries a Message-ID
made from the message, the same on every try, so the rare email that went but whose success could
not be recorded (the process killed in between) is seen by mail programs as the same email.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from notifications.emails import Email, email_render
from notifications.models import Message, MessageKind

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
LEASE = timedelta(minutes=10)  # far longer than the SMTP timeout (30 s)
LONGEST_WAIT = timedelta(hours=4)
BATCH = 200


def retry_wait(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try: 1, 2, 4, 8 ... minutes, at most 4 hours."""
    return min(timedelta(minutes=2 ** max(0, attempts - 1)), LONGEST_WAIT)


def message_id_header(message: Message) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(">") or "localhost"
    return f"<message-{message.pk}.{int(message.created_at.timestamp())}@{domain}>"


def _reason(error: BaseException) -> str:
    return (" ".join(str(error).split()) or type(error).__name__)[:300]


def message_deliver(*, message_id: int) -> bool:
    """Email one message if it is due and nobody else is sending it; True if it went now."""
    now = timezone.now()
    taken = (
        Message.objects.filter(pk=message_id, sent_at__isnull=True, gave_up_at__isnull=True)
        .filter(Q(sending_until__isnull=True) | Q(sending_until__lte=now))
        .update(sending_until=now + LEASE, attempts=F("attempts") + 1)
    )
    if not taken:
        return False  # sent, given up, or being sent by another process right now
    message = Message.objects.select_related("case").get(pk=message_id)
    try:
        email = EmailMessage(
            message.subject,
            message.body,
            settings.DEFAULT_FROM_EMAIL,
            [message.to_email],
            headers={"Message-ID": message_id_header(message)},
        )
        if message.attachment_name:
            email.attach(message.attachment_name, message.attachment_text, message.attachment_type)
        email.send()
    except Exception as error:  # noqa: BLE001 - any failure to send is kept and tried again
        _failed(message, _reason(error), now)
        return False
    Message.objects.filter(pk=message_id).update(
        sent_at=timezone.now(), error="", next_attempt_at=None, sending_until=None
    )
    return True


def _failed(message: Message, reason: str, now: datetime) -> None:
    if message.attempts >= MAX_ATTEMPTS:
        Message.objects.filter(pk=message.pk).update(
            error=reason, gave_up_at=now, next_attempt_at=None, sending_until=None
        )
        logger.error(
            "Message %s to %s not sent after %s tries, given up: %s",
            message.pk,
            message.to_email,
            message.attempts,
            reason,
        )
        _alert(message, reason)
        return
    next_at = now + retry_wait(message.attempts)
    Message.objects.filter(pk=message.pk).update(error=reason, next_attempt_at=next_at, sending_until=None)
    logger.warning(
        "Message %s to %s not sent (try %s of %s): %s; trying again at %s",
        message.pk,
        message.to_email,
        message.attempts,
        MAX_ATTEMPTS,
        reason,
        timezone.localtime(next_at).strftime("%H:%M"),
    )


def _coordinators(partnership_ids: set[int]) -> list[Any]:
    from accounts.models import Membership
    from accounts.roles import Role

    memberships = (
        Membership.objects.active()
        .filter(partnership_id__in=partnership_ids, role=Role.COORDINATOR, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    return list({m.user_id: m.user for m in memberships}.values())


def _alert(message: Message, reason: str) -> None:
    """Tell the coordinators (of the case's partnership; else of the recipient's) that a message
    did not go; an alert that does not go itself is only logged."""
    from notifications.services import message_send

    if message.kind == MessageKind.DELIVERY_FAILED:
        return
    case = message.case
    if case is not None:
        partnerships = {case.partnership_id}
    elif message.recipient_id:
        from accounts.models import Membership

        partnerships = set(
            Membership.objects.active().filter(user_id=message.recipient_id).values_list("partnership_id", flat=True)
        )
    else:
        partnerships = set()
    recipients = _coordinators(partnerships)
    if not recipients and message.actor_id:
        recipients = [message.actor]
    if not recipients:
        logger.error("Nobody to tell that message %s did not go", message.pk)
        return
    case_url = (
        f"{settings.SERVICE_URL.rstrip('/')}{reverse('cases:detail', args=[case.reference])}"
        if case is not None
        else ""
    )
    subject, body = email_render(
        Email.DELIVERY_FAILED,
        {"message": message, "first": timezone.localtime(message.created_at), "reason": reason, "case_url": case_url},
    )
    message_send(
        recipients=recipients,
        subject=subject[:300],
        body=body,
        case=case,
        kind=MessageKind.DELIVERY_FAILED,
        dedupe_key=f"delivery-failed:{message.pk}",
    )


@dataclass
class Sent:
    sent: int = 0
    waiting: list[datetime] = field(default_factory=list)  # when each one not sent is tried next
    given_up: int = 0

    def __str__(self) -> str:
        parts = []
        if self.sent:
            parts.append(f"{self.sent} message{'s' if self.sent != 1 else ''} sent")
        if self.waiting:
            soonest = timezone.localtime(min(self.waiting)).strftime("%-d %b %H:%M")
            parts.append(f"{len(self.waiting)} not sent yet (next try {soonest})")
        if self.given_up:
            parts.append(f"{self.given_up} given up after {MAX_ATTEMPTS} tries (the coordinators are told)")
        return ", ".join(parts)


def messages_send_due() -> Sent:
    """Send every message whose next try is due (the scheduler's job, every minute)."""
    now = timezone.now()
    due = list(
        Message.objects.filter(sent_at__isnull=True, gave_up_at__isnull=True, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:BATCH]
    )
    result = Sent()
    for message_id in due:
        if message_deliver(message_id=message_id):
            result.sent += 1
            continue
        after = Message.objects.filter(pk=message_id).values("gave_up_at", "next_attempt_at", "sent_at").first()
        if after is None or after["sent_at"]:
            continue
        if after["gave_up_at"]:
            result.given_up += 1
        elif after["next_attempt_at"]:
            result.waiting.append(after["next_attempt_at"])
    return result
