"""Invite-only accounts: a single-use link that expires, cancelled links that stop working."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from accounts.models import Invitation, Membership, User
from accounts.roles import Role
from audit.models import AuditEvent, Verb
from conftest import SignIn, TestResponse, World

NEW_PASSWORD = "quiet-lantern-orchard-41"


def invite(
    client: Client,
    world: World,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    **overrides: object,
) -> TestResponse:
    data = {
        "first_name": "Wilhelmina",
        "last_name": "Quartermaine",
        "email": "Wilhelmina.Q@Example.test",
        "role": Role.AGENCY_LEAD.value,
        "agency": world.agencies["police"].pk,
        **overrides,
    }
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("accounts:invite"), data)


def link_from(mailoutbox: list[EmailMessage]) -> str:
    match = re.search(r"http\S+/sign-in/invitation/(\S+)/", str(mailoutbox[-1].body))
    assert match, mailoutbox[-1].body
    return reverse("accounts:accept_invitation", args=[match.group(1)])


def accept(client: Client, link: str, password: str = NEW_PASSWORD) -> TestResponse:
    return client.post(link, {"password1": password, "password2": password})


def test_a_coordinator_invites_someone_who_gets_a_single_use_link(
    world: World,
    signed_in: SignIn,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    client: Client,
) -> None:
    response = invite(signed_in(world.people["coordinator"]), world, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "wilhelmina.q@example.test"
    assert [m.to for m in mailoutbox] == [["wilhelmina.q@example.test"]]
    link = link_from(mailoutbox)
    assert invitation.token_hash not in mailoutbox[-1].body  # only the hash is stored; the token is only mailed
    assert AuditEvent.objects.filter(verb=Verb.INVITE, actor=world.people["coordinator"]).exists()

    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and "Create your password" in page.content.decode()
    response = accept(client, link)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:two_factor_setup")
    user = User.objects.get(email="wilhelmina.q@example.test")
    assert user.check_password(NEW_PASSWORD)
    assert Membership.objects.filter(
        user=user, partnership=world.north, agency=world.agencies["police"], role=Role.AGENCY_LEAD
    ).exists()
    assert AuditEvent.objects.filter(verb=Verb.INVITE_ACCEPTED, actor=user).exists()

    client.logout()
    again = client.get(link)
    assert again.status_code == 404
    assert "This link has expired or has already been used" in again.content.decode()
    assert accept(client, link, "another-long-password-9").status_code == 404
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_an_invitation_link_stops_working_after_it_expires(
    world: World,
    signed_in: SignIn,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    client: Client,
    settings: Settings,
) -> None:
    invite(signed_in(world.people["coordinator"]), world, django_capture_on_commit_callbacks)
    link = link_from(mailoutbox)
    client.logout()
    with time_machine.travel(timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS, minutes=1)):
        assert client.get(link).status_code == 404
        assert accept(client, link).status_code == 404
    assert not User.objects.filter(email="wilhelmina.q@example.test").exists()
    with time_machine.travel(timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS - 1)):
        assert client.get(link).status_code == 200


def test_a_cancelled_invitation_link_does_not_work(
    world: World,
    signed_in: SignIn,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    client: Client,
) -> None:
    coordinator = signed_in(world.people["coordinator"])
    invite(coordinator, world, django_capture_on_commit_callbacks)
    link = link_from(mailoutbox)
    invitation = Invitation.objects.get()
    cancel = reverse("accounts:cancel_invitation", args=[invitation.pk])
    assert cancel in coordinator.get(reverse("accounts:invitation_list")).content.decode(), (
        "an open one can be cancelled"
    )
    coordinator.post(cancel)
    invitation.refresh_from_db()
    assert invitation.status == "cancelled"
    assert cancel not in coordinator.get(reverse("accounts:invitation_list")).content.decode()
    coordinator.logout()
    assert client.get(link).status_code == 404
    assert accept(client, link).status_code == 404


def test_a_made_up_invitation_link_does_not_work(client: Client, db: None) -> None:
    assert client.get(reverse("accounts:accept_invitation", args=["made-up-token"])).status_code == 404


def test_a_weak_or_mismatched_password_is_refused_with_govuk_errors(
    world: World,
    signed_in: SignIn,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    client: Client,
) -> None:
    invite(signed_in(world.people["coordinator"]), world, django_capture_on_commit_callbacks)
    link = link_from(mailoutbox)
    client.logout()
    short = accept(client, link, "short")
    assert short.status_code == 200
    assert "This password is too short" in short.content.decode()
    mismatch = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert "The passwords do not match" in mismatch.content.decode()
    assert Invitation.objects.get().is_usable


def test_a_coordinator_cannot_invite_an_administrator_but_an_administrator_can(
    world: World, signed_in: SignIn, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, client: Client
) -> None:
    coordinator = signed_in(world.people["coordinator"])
    response = invite(coordinator, world, django_capture_on_commit_callbacks, role=Role.ADMIN.value, agency="")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    coordinator.logout()
    admin = signed_in(world.people["admin"])
    response = invite(admin, world, django_capture_on_commit_callbacks, role=Role.ADMIN.value, agency="")
    assert response.status_code == 302


def test_an_inviter_cannot_cancel_another_partnerships_invitation(
    world: World, signed_in: SignIn, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    invite(signed_in(world.people["coordinator"]), world, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    south = signed_in(world.people["south_coordinator"])
    assert south.post(reverse("accounts:cancel_invitation", args=[invitation.pk])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_usable


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.AGENCY_LEAD, Role.LA_NOTIFIER])
def test_agency_roles_need_an_agency(
    world: World, signed_in: SignIn, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, role: Role
) -> None:
    response = invite(
        signed_in(world.people["coordinator"]), world, django_capture_on_commit_callbacks, role=role.value, agency=""
    )
    assert "Choose the agency this person works for" in response.content.decode()
