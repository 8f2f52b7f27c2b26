"""Accounts, beneath the messages, asks for its emails by signals (accounts.signals); the messages
send them (notifications.people). What each email says is tested with the accounts' journeys
(accounts/tests/test_invitations.py, test_giving_roles.py)."""

from typing import Any

from accounts.jobs import PASSWORD_RESET_TEMPLATES
from accounts.roles import Role
from accounts.services import invitation_create, membership_grant
from accounts.signals import invitation_created, role_given
from notifications.emails import Email, template_names
from notifications.models import Message


def test_the_password_reset_uses_the_words_of_its_email_kind() -> None:
    assert template_names(Email.PASSWORD_RESET) == PASSWORD_RESET_TEMPLATES


def test_an_invitation_is_announced_once_with_its_secret_and_mailed_after_it_commits(
    world: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    heard: list[dict[str, Any]] = []

    def listen(**kwargs: Any) -> None:
        heard.append(kwargs)

    invitation_created.connect(listen, dispatch_uid="test.listen")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            invitation, token = invitation_create(
                invited_by=world.people["coordinator"],
                partnership=world.north,
                email="ffion.tregarth@example.test",
                first_name="Ffion",
                last_name="Tregarth",
                role=Role.AGENCY_LEAD,
                agency=world.agencies["police"],
                subject="An information request for your agency",
            )
    finally:
        invitation_created.disconnect(dispatch_uid="test.listen")
    assert len(heard) == 1
    assert heard[0]["invitation"] == invitation and heard[0]["token"] == token
    assert heard[0]["existing_account"] is False
    [email] = mailoutbox
    assert email.to == ["ffion.tregarth@example.test"]
    assert email.subject == "An information request for your agency"
    assert token in email.body
    # The link is a secret: never in the message log.
    assert not Message.objects.filter(body__contains=token).exists()


def test_a_role_given_is_announced_and_told_by_email_and_in_the_service(
    world: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    heard: list[dict[str, Any]] = []

    def listen(**kwargs: Any) -> None:
        heard.append(kwargs)

    role_given.connect(listen, dispatch_uid="test.listen")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            membership = membership_grant(
                actor=world.people["coordinator"],
                user=world.people["lead_police"],
                partnership=world.north,
                role=Role.AGENCY_LEAD,
                agency=world.agencies["school"],
            )
    finally:
        role_given.disconnect(dispatch_uid="test.listen")
    assert [(h["membership"], h["actor"]) for h in heard] == [(membership, world.people["coordinator"])]
    message = Message.objects.get(recipient=world.people["lead_police"])
    assert Role.AGENCY_LEAD.label in message.subject + message.body
    assert [e.to for e in mailoutbox] == [[world.people["lead_police"].email]]
