"""The emails about a person's access, sent when accounts says what happened (accounts.signals), so
accounts, beneath the messages, never imports them: the invitation's link and a role given."""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from accounts.roles import Role
from notifications.emails import Email, email_render
from notifications.services import message_send


def invitation_email(
    *, invitation: Any, token: str, existing_account: bool, reason: str, then: str, subject: str, **_: Any
) -> None:
    """Receiver of accounts' `invitation_created`. The link is mailed directly once the invitation
    commits, never through the message log, so its secret is stored nowhere."""
    link = settings.SERVICE_URL.rstrip("/") + reverse("accounts:accept_invitation", args=[token])
    email_subject, body = email_render(
        Email.INVITATION_EXISTING_ACCOUNT if existing_account else Email.INVITATION,
        {
            "invitation": invitation,
            "role": Role(invitation.role),
            "link": link,
            "expires": invitation.expires_at,
            "reason": reason,
            "then": then,
        },
    )
    subject = subject or email_subject
    address = invitation.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [address]))


def role_given_email(*, membership: Any, actor: Any, **_: Any) -> None:
    """Receiver of accounts' `role_given`. The email carries no secret, so it goes through `message_send`
    and is kept in the message log (and in the person's own messages)."""
    service = settings.SERVICE_URL.rstrip("/")
    subject, body = email_render(
        Email.ROLE_GIVEN,
        {
            "membership": membership,
            "actor": actor,
            "role": Role(membership.role),
            "sign_in_url": service + reverse("accounts:sign_in"),
            "account_url": service + reverse("accounts:account"),
        },
    )
    message_send(recipients=[membership.user], subject=subject, body=body, actor=actor)
