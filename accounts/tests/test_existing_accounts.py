"""An invitation never reaches an existing account: its link would let whoever holds it set that
account's password and give it roles."""

import re

import pytest
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from accounts.models import Invitation, Membership, User, hash_token
from accounts.roles import Role
from accounts.services import AccountExistsError, invitation_accept, invitation_create
from audit.models import AuditEvent, Verb
from conftest import PASSWORD, SignIn, World

NEW_PASSWORD = "quiet-lantern-orchard-41"


def old_invitation(world: World, email: str, *, agency: str = "police") -> str:
    """An invitation made before its address had an account (or before invitations checked)."""
    token = Invitation.new_token()
    Invitation.objects.create(
        email=email,
        first_name="Mallory",
        last_name="Ashgrove",
        partnership=world.north,
        agency=world.agencies[agency],
        role=Role.AGENCY_LEAD,
        token_hash=hash_token(token),
        invited_by=world.people["coordinator"],
        expires_at=Invitation.default_expiry(),
    )
    return token


def test_inviting_an_address_that_has_an_account_is_refused_whatever_its_case_and_spaces(
    world: World, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(AccountExistsError) as refused:
        invitation_create(
            invited_by=world.people["coordinator"],
            partnership=world.north,
            email="  Lead_Police@EXAMPLE.test ",
            first_name="Mallory",
            last_name="Ashgrove",
            role=Role.AGENCY_LEAD,
            agency=world.agencies["police"],
        )
    assert refused.value.user == world.people["lead_police"]
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_the_invite_page_says_the_person_already_has_an_account(world: World, signed_in: SignIn) -> None:
    coordinator = signed_in(world.people["coordinator"])
    data: dict[str, str | int] = {"first_name": "Mallory", "last_name": "Ashgrove", "role": Role.AGENCY_LEAD.value}
    data["agency"] = world.agencies["police"].pk
    ours = coordinator.post(reverse("accounts:invite"), {**data, "email": " LEAD_POLICE@example.test"})
    html = ours.content.decode()
    assert ours.status_code == 200
    assert "Lead_Police Tester already has an account with this email address" in html
    assert html.count("<title>Error: ") == 1
    assert not Invitation.objects.exists()


def test_inviting_an_address_with_an_account_only_in_another_partnership_looks_like_any_invitation(
    world: World,
    signed_in: SignIn,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    """The inviter cannot tell an account elsewhere from no account; the person gets no link that
    could set their password, only word of the invitation and what to ask for."""
    coordinator = signed_in(world.people["coordinator"])
    data: dict[str, str | int] = {"first_name": "Mallory", "last_name": "Ashgrove", "role": Role.AGENCY_LEAD.value}
    data["agency"] = world.agencies["police"].pk
    answers = []
    for email in ("south_lead@example.test", "nobody.yet@example.test"):
        with django_capture_on_commit_callbacks(execute=True):
            response = coordinator.post(reverse("accounts:invite"), {**data, "email": email})
        page = coordinator.get(response["Location"]).content.decode()
        said = re.findall(r"Invitation sent to [^<]*", page.replace(email, "ADDRESS"))
        answers.append((response.status_code, response["Location"], said))
    assert answers[0] == answers[1]
    assert answers[0][2] == ["Invitation sent to ADDRESS. The link works once and expires in 7 days."]
    assert Invitation.objects.filter(email="south_lead@example.test").exists()
    to_them, to_new = mailoutbox
    assert to_them.to == ["south_lead@example.test"] and to_them.subject == to_new.subject
    assert "/sign-in/invitation/" not in to_them.body, "no link reaches an existing account"
    assert "already have an account" in to_them.body and "give you the role" in to_them.body
    assert "/sign-in/invitation/" in to_new.body


def test_an_old_invitation_to_an_existing_account_neither_sets_its_password_nor_gives_it_roles(
    world: World, client: Client
) -> None:
    lead = world.people["lead_police"]
    roles_before = set(Membership.objects.filter(user=lead).values_list("partnership", "agency", "role"))
    token = old_invitation(world, "Lead_Police@Example.test", agency="school")
    link = reverse("accounts:accept_invitation", args=[token])

    page = client.get(link)
    html = page.content.decode()
    assert page.status_code == 409
    assert "You already have an account" in html and "Nothing has been changed" in html
    assert "Create a password" not in html
    posted = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert posted.status_code == 409 and "You already have an account" in posted.content.decode()
    with pytest.raises(AccountExistsError):
        invitation_accept(token=token, password=NEW_PASSWORD)

    lead.refresh_from_db()
    assert lead.check_password(PASSWORD) and not lead.check_password(NEW_PASSWORD)
    assert set(Membership.objects.filter(user=lead).values_list("partnership", "agency", "role")) == roles_before
    assert Invitation.objects.get().accepted_at is None
    assert not AuditEvent.objects.filter(verb=Verb.INVITE_ACCEPTED).exists()
    assert "_auth_user_id" not in client.session, "nobody is signed in as the lead"


def test_an_invitation_whose_address_gets_an_account_later_fails_safely(world: World) -> None:
    first = old_invitation(world, "mallory.ashgrove@example.test")
    second = old_invitation(world, "mallory.ashgrove@example.test", agency="school")
    made_since = User.objects.create_user(
        username="mallory.ashgrove@example.test", email="Mallory.Ashgrove@example.test", password=PASSWORD
    )
    for token in (first, second):
        with pytest.raises(AccountExistsError):
            invitation_accept(token=token, password=NEW_PASSWORD)
    made_since.refresh_from_db()
    assert made_since.check_password(PASSWORD)
    assert not Membership.objects.filter(user=made_since).exists()


def test_accepting_one_invitation_also_accepts_the_others_sent_to_that_address(world: World) -> None:
    police = old_invitation(world, "mallory.ashgrove@example.test")
    school = old_invitation(world, "Mallory.Ashgrove@example.test", agency="school")
    user = invitation_accept(token=police, password=NEW_PASSWORD)
    agencies = set(Membership.objects.filter(user=user, role=Role.AGENCY_LEAD).values_list("agency", flat=True))
    assert agencies == {world.agencies["police"].pk, world.agencies["school"].pk}
    assert not Invitation.objects.filter(accepted_at__isnull=True).exists()
    with pytest.raises(Exception, match="expired or has already been used"):
        invitation_accept(token=school, password="another-long-password-9")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_the_invitation_email_says_what_to_do(
    world: World,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    settings: Settings,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            invited_by=world.people["coordinator"],
            partnership=world.north,
            email="mallory.ashgrove@example.test",
            first_name="Mallory",
            last_name="Ashgrove",
            role=Role.AGENCY_LEAD,
            agency=world.agencies["police"],
        )
    [mail] = mailoutbox
    assert mail.subject == f"You have been invited to {settings.SERVICE_NAME}"
    assert "Dear Mallory Ashgrove" in mail.body
    assert "for Northshire SCP as Agency safeguarding lead for Northshire Police" in mail.body
    steps = re.findall(r"^\d\. (.+)$", str(mail.body), flags=re.MULTILINE)
    assert [step.split(" ")[0:2] for step in steps] == [["Set", "your"], ["Set", "up"], ["You", "can"]]
    assert "two-factor authentication" in mail.body
