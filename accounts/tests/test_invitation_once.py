"""The same invitation sent twice (a double click, two tabs, two coordinators at once) is one open
invitation: the database allows one open invitation per address, partnership, role and agency, and
the second send says what happened instead of mailing a second link."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.mail import EmailMessage
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from accounts import services
from accounts.models import Invitation
from accounts.roles import Role
from accounts.services import InvitationAlreadyOpen, invitation_create
from accounts.tests.test_invitations import invite
from conftest import SignIn, World


def create(world: World, inviter: str = "coordinator", **overrides: Any) -> tuple[Invitation, str]:
    values = {
        "invited_by": world.people[inviter],
        "partnership": world.north,
        "email": "Wilhelmina.Q@Example.test",
        "first_name": "Wilhelmina",
        "last_name": "Quartermaine",
        "role": Role.AGENCY_LEAD,
        "agency": world.agencies["police"],
        **overrides,
    }
    return invitation_create(**values)


def test_the_same_invitation_sent_twice_at_once_is_one_invitation(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both sends look for an open invitation before either has made one: the database keeps one."""
    create(world)
    monkeypatch.setattr(services, "_open_invitation", lambda **kwargs: None)
    with pytest.raises(InvitationAlreadyOpen) as raised:
        create(world, inviter="admin")
    assert Invitation.objects.count() == 1
    assert raised.value.invitation == Invitation.objects.get()


def test_the_invite_form_sent_twice_sends_one_email_and_says_sent_both_times(
    world: World,
    signed_in: SignIn,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client = signed_in(world.people["coordinator"])
    first = invite(client, world, django_capture_on_commit_callbacks)
    second = invite(client, world, django_capture_on_commit_callbacks)
    assert first.status_code == second.status_code == 302
    assert Invitation.objects.count() == 1
    assert len(mailoutbox) == 1
    page = client.get(second["Location"]).content.decode()
    assert "Invitation sent to wilhelmina.q@example.test" in page


def test_inviting_again_while_an_invitation_is_open_says_so_and_keeps_the_answers(
    world: World,
    signed_in: SignIn,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    invite(signed_in(world.people["admin"]), world, django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        response = invite(signed_in(world.people["coordinator"]), world, django_capture_on_commit_callbacks)
    html = response.content.decode()
    assert response.status_code == 200
    assert "An invitation to this address for this role is already open" in html
    assert 'value="Wilhelmina"' in html
    assert Invitation.objects.count() == 1 and len(mailoutbox) == 1


def test_an_expired_invitation_does_not_stop_a_new_one(world: World) -> None:
    old, _ = create(world)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        new, _ = create(world)
    old.refresh_from_db()
    assert new.pk != old.pk and old.revoked_at is not None and new.is_usable


def test_the_same_person_may_be_invited_for_two_agencies(world: World) -> None:
    create(world)
    create(world, agency=world.agencies["school"])
    assert Invitation.objects.count() == 2
