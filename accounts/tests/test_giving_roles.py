"""Giving a role to someone who already has an account: email address, role and agency, check, done.

An invitation never reaches an existing account (its link could set that account's password), so
this is how an existing person gets a further role. It never touches their password or second factor.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from accounts.models import Membership
from accounts.roles import AGENCY_ROLES, Role
from accounts.services import MembershipError, RoleAlreadyHeldError, membership_grant
from audit.models import AuditEvent, Verb
from conftest import PASSWORD, SignIn, TestResponse, World
from notifications.models import Message
from partnerships.models import Agency


def answer(client: Client, email: str, role: Role, agency: Agency | None = None) -> TestResponse:
    """The first two questions; returns the answer to the role question."""
    client.post(reverse("accounts:give_role"), {"email": email})
    return client.post(reverse("accounts:give_role_role"), {"role": role.value, "agency": agency.pk if agency else ""})


def give(
    client: Client, capture: DjangoCaptureOnCommitCallbacks, email: str, role: Role, agency: Agency | None = None
) -> TestResponse:
    answer(client, email, role, agency)
    with capture(execute=True):
        return client.post(reverse("accounts:give_role_check"))


def test_a_coordinator_gives_the_hospitals_practitioner_the_safeguarding_lead_role(
    world: World,
    signed_in: SignIn,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    practitioner = world.people["practitioner"]
    hospital = world.agencies["hospital"]
    device = TOTPDevice.objects.get(user=practitioner)
    coordinator = signed_in(world.people["coordinator"])

    start = coordinator.post(reverse("accounts:give_role"), {"email": "  Practitioner@Example.TEST "})
    assert start.status_code == 302 and start["Location"] == reverse("accounts:give_role_role")
    role_page = coordinator.get(reverse("accounts:give_role_role")).content.decode()
    assert "Give a role to Practitioner Tester" in role_page
    assert "Practitioner / referrer, Northshire Hospitals" in role_page, "their roles here are shown"
    chosen = coordinator.post(
        reverse("accounts:give_role_role"), {"role": Role.AGENCY_LEAD.value, "agency": hospital.pk}
    )
    assert chosen.status_code == 302 and chosen["Location"] == reverse("accounts:give_role_check")
    check = coordinator.get(reverse("accounts:give_role_check")).content.decode()
    assert "Check the role before you give it" in check
    assert "Practitioner Tester" in check and "Agency safeguarding lead" in check and "Northshire Hospitals" in check
    assert not Membership.objects.filter(user=practitioner, role=Role.AGENCY_LEAD).exists(), "nothing until sent"

    with django_capture_on_commit_callbacks(execute=True):
        sent = coordinator.post(reverse("accounts:give_role_check"))
    assert sent.status_code == 302 and sent["Location"] == reverse("accounts:give_role_done")
    done = coordinator.get(sent["Location"]).content.decode()
    assert (
        "Role given" in done and "Practitioner Tester is now Agency safeguarding lead for Northshire Hospitals" in done
    )

    held = set(Membership.objects.active().filter(user=practitioner).values_list("partnership", "agency", "role"))
    assert held == {
        (world.north.pk, hospital.pk, Role.PRACTITIONER.value),
        (world.north.pk, hospital.pk, Role.AGENCY_LEAD.value),
    }
    practitioner.refresh_from_db()
    assert practitioner.check_password(PASSWORD), "the password is untouched"
    assert list(TOTPDevice.objects.filter(user=practitioner).values_list("pk", "key", "confirmed")) == [
        (device.pk, device.key, True)
    ], "the second factor is untouched"
    assert [m.to for m in mailoutbox] == [[practitioner.email]]
    assert coordinator.get(reverse("accounts:give_role_check"))["Location"] == reverse("accounts:give_role")


def test_the_email_says_which_role_where_and_to_sign_in_as_usual_and_is_in_the_message_log(
    world: World,
    signed_in: SignIn,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    settings: Settings,
) -> None:
    practitioner = world.people["practitioner"]
    give(
        signed_in(world.people["coordinator"]),
        django_capture_on_commit_callbacks,
        practitioner.email,
        Role.AGENCY_LEAD,
        world.agencies["hospital"],
    )
    [mail] = mailoutbox
    assert mail.subject == f"You have a new role in {settings.SERVICE_NAME}"
    assert "Dear Practitioner Tester" in mail.body
    assert "Coordinator Tester has given you a new role" in mail.body
    assert "Agency safeguarding lead for Northshire Hospitals, in Northshire SCP" in mail.body
    assert "Sign in as usual" in mail.body and "/sign-in/" in mail.body
    assert "invitation" not in mail.body and "reset-password" not in mail.body, "no link that sets a password"
    message = Message.objects.get()
    assert message.recipient == practitioner and message.body == mail.body and message.sent_at is not None


def test_giving_a_role_is_audited_in_the_partnership(
    world: World, signed_in: SignIn, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    coordinator = world.people["coordinator"]
    give(signed_in(coordinator), django_capture_on_commit_callbacks, "lead_school@example.test", Role.CHAIR)
    membership = Membership.objects.get(user=world.people["lead_school"], role=Role.CHAIR)
    event = AuditEvent.objects.get(verb=Verb.CREATE, target_type="accounts.membership")
    assert event.actor == coordinator and event.partnership == world.north
    assert event.target_id == str(membership.pk)
    assert event.details["email"] == "lead_school@example.test" and event.details["role"] == Role.CHAIR.value
    assert event.details["agency"] is None and event.details["given_again"] is False
    assert AuditEvent.objects.filter(verb=Verb.SEND, actor=coordinator).exists(), "the email is logged too"


def test_a_person_of_another_partnership_is_given_a_role_by_email_and_named_only_once_they_hold_it(
    world: World, signed_in: SignIn, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    coordinator = signed_in(world.people["coordinator"])
    school = world.agencies["school"]
    answered = answer(coordinator, "south_lead@example.test", Role.PRACTITIONER, school)
    assert answered.status_code == 302
    for name in ("accounts:give_role_role", "accounts:give_role_check"):
        html = coordinator.get(reverse(name)).content.decode()
        assert "a person with this email address" in html.lower()
        assert "South_Lead" not in html, "someone outside the partnership is not named"
        assert "Southmoor" not in html, "nor are their roles elsewhere shown"
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(reverse("accounts:give_role_check"))
    south_lead = world.people["south_lead"]
    assert Membership.objects.active().filter(user=south_lead, partnership=world.north, agency=school).exists()
    assert Membership.objects.active().filter(user=south_lead, partnership=world.south).exists(), "theirs is kept"
    person_page = coordinator.get(reverse("accounts:person", args=[south_lead.pk])).content.decode()
    assert "South_Lead Tester" in person_page and "Hollowbrook School" in person_page
    assert "Southmoor Police" not in person_page, "only their roles in this partnership are shown"


def test_a_role_the_person_already_holds_is_refused_and_nothing_is_sent(
    world: World,
    signed_in: SignIn,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    coordinator = signed_in(world.people["coordinator"])
    refused = answer(coordinator, "lead_police@example.test", Role.AGENCY_LEAD, world.agencies["police"])
    html = refused.content.decode()
    assert refused.status_code == 200
    assert html.count("<title>Error: ") == 1 and "There is a problem" in html
    assert "Lead_Police Tester is already Agency safeguarding lead for Northshire Police" in html
    # The same role for another agency is a different role.
    assert (
        answer(coordinator, "lead_police@example.test", Role.AGENCY_LEAD, world.agencies["school"]).status_code == 302
    )
    assert mailoutbox == []
    with pytest.raises(RoleAlreadyHeldError):
        membership_grant(
            actor=world.people["coordinator"],
            user=world.people["lead_police"],
            partnership=world.north,
            role=Role.AGENCY_LEAD,
            agency=world.agencies["police"],
        )
    assert Membership.objects.filter(user=world.people["lead_police"]).count() == 1


def test_a_role_given_since_it_was_chosen_is_refused_on_the_check_page(
    world: World,
    signed_in: SignIn,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    coordinator = signed_in(world.people["coordinator"])
    answer(coordinator, "reviewer@example.test", Role.SCRUTINEER)
    membership_grant(  # by someone else, meanwhile
        actor=world.people["admin"],
        user=world.people["reviewer"],
        partnership=world.north,
        role=Role.SCRUTINEER,
        agency=None,
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = coordinator.post(reverse("accounts:give_role_check"))
    assert again.status_code == 200
    assert "Reviewer Tester is already Independent scrutineer" in again.content.decode()
    assert Membership.objects.filter(user=world.people["reviewer"], role=Role.SCRUTINEER).count() == 1


def test_an_address_with_no_account_is_told_to_invite_them_instead(world: World, signed_in: SignIn) -> None:
    coordinator = signed_in(world.people["coordinator"])
    response = coordinator.post(reverse("accounts:give_role"), {"email": "Nobody.Here@example.test"})
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in html
    assert "There is no account with this email address. Check it is right, or invite them instead" in html
    invite = reverse("accounts:invite") + "?from=give-a-role"
    assert f'href="{invite}">invite them instead</a>' in html
    assert 'value="Nobody.Here@example.test"' in html, "the typed address is kept"
    assert 'value="nobody.here@example.test"' in coordinator.get(invite).content.decode(), "and offered to invite"
    empty = coordinator.post(reverse("accounts:give_role"), {"email": ""}).content.decode()
    assert "Enter their email address" in empty
    junk = coordinator.post(reverse("accounts:give_role"), {"email": "not an address"}).content.decode()
    assert "Enter an email address in the correct format" in junk


@pytest.mark.parametrize("role", sorted(AGENCY_ROLES))
def test_a_role_held_for_an_agency_asks_for_the_agency(world: World, signed_in: SignIn, role: Role) -> None:
    coordinator = signed_in(world.people["coordinator"])
    response = answer(coordinator, "chair@example.test", role)
    assert response.status_code == 200
    assert "Choose the agency this person works for" in response.content.decode()
    with pytest.raises(MembershipError):
        membership_grant(
            actor=world.people["coordinator"],
            user=world.people["chair"],
            partnership=world.north,
            role=role,
            agency=None,
        )
    assert not Membership.objects.filter(user=world.people["chair"], role=role).exists()


def test_an_agency_of_another_partnership_cannot_be_chosen(world: World, signed_in: SignIn) -> None:
    coordinator = signed_in(world.people["coordinator"])
    response = answer(coordinator, "chair@example.test", Role.PRACTITIONER, world.agencies["south_police"])
    assert "Choose one of the partnership" in response.content.decode()
    with pytest.raises(MembershipError):
        membership_grant(
            actor=world.people["coordinator"],
            user=world.people["chair"],
            partnership=world.north,
            role=Role.PRACTITIONER,
            agency=world.agencies["south_police"],
        )


def test_a_role_that_has_ended_is_given_again_on_the_same_record(
    world: World, signed_in: SignIn, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    lead = world.people["lead_school"]
    Membership.objects.filter(user=lead).update(active=False)
    give(
        signed_in(world.people["coordinator"]),
        django_capture_on_commit_callbacks,
        lead.email,
        Role.AGENCY_LEAD,
        world.agencies["school"],
    )
    [membership] = Membership.objects.filter(user=lead)
    assert membership.active
    assert AuditEvent.objects.get(verb=Verb.CREATE, target_id=str(membership.pk)).details["given_again"] is True


def test_only_an_administrator_gives_the_administrator_role(
    world: World, signed_in: SignIn, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    coordinator = signed_in(world.people["coordinator"])
    refused = answer(coordinator, "chair@example.test", Role.ADMIN)
    assert "Select a valid choice" in refused.content.decode()
    with pytest.raises(PermissionDenied):
        membership_grant(
            actor=world.people["coordinator"],
            user=world.people["chair"],
            partnership=world.north,
            role=Role.ADMIN,
            agency=None,
        )
    coordinator.logout()
    admin = signed_in(world.people["admin"])
    assert give(admin, django_capture_on_commit_callbacks, "chair@example.test", Role.ADMIN).status_code == 302
    assert Membership.objects.active().filter(user=world.people["chair"], role=Role.ADMIN).exists()


def test_nobody_gives_themselves_a_role(world: World, signed_in: SignIn) -> None:
    coordinator = signed_in(world.people["coordinator"])
    response = coordinator.post(reverse("accounts:give_role"), {"email": "coordinator@example.test"})
    assert "You cannot give yourself a role" in response.content.decode()
    own = coordinator.get(reverse("accounts:give_role_to_person", args=[world.people["coordinator"].pk]))
    assert own["Location"] == reverse("accounts:person", args=[world.people["coordinator"].pk])
    assert coordinator.get(reverse("accounts:give_role_role"))["Location"] == reverse("accounts:give_role")
    with pytest.raises(PermissionDenied):
        membership_grant(
            actor=world.people["coordinator"],
            user=world.people["coordinator"],
            partnership=world.north,
            role=Role.CHAIR,
            agency=None,
        )
    assert not Membership.objects.filter(user=world.people["coordinator"], role=Role.CHAIR).exists()


def test_a_persons_page_starts_the_journey_at_the_role(
    world: World, signed_in: SignIn, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    coordinator = signed_in(world.people["coordinator"])
    practitioner = world.people["practitioner"]
    page = coordinator.get(reverse("accounts:person", args=[practitioner.pk])).content.decode()
    assert reverse("accounts:give_role_to_person", args=[practitioner.pk]) in page
    started = coordinator.get(reverse("accounts:give_role_to_person", args=[practitioner.pk]))
    assert started["Location"] == reverse("accounts:give_role_role")
    role_page = coordinator.get(started["Location"]).content.decode()
    assert f'href="{reverse("accounts:person", args=[practitioner.pk])}" class="govuk-back-link"' in role_page


def test_the_invite_page_links_an_existing_account_to_giving_it_a_role(world: World, signed_in: SignIn) -> None:
    coordinator = signed_in(world.people["coordinator"])
    data: dict[str, str | int] = {"first_name": "Mallory", "last_name": "Ashgrove", "role": Role.AGENCY_LEAD.value}
    data.update(email="Practitioner@example.test", agency=world.agencies["hospital"].pk)
    html = coordinator.post(reverse("accounts:invite"), data).content.decode()
    link = reverse("accounts:give_role") + "?from=invite"
    assert f'href="{link}">give a role to someone who already has an account</a>' in html
    prefilled = coordinator.get(link).content.decode()
    assert 'value="practitioner@example.test"' in prefilled
    assert 'value="practitioner@example.test"' not in coordinator.get(link).content.decode(), "only once"


def test_the_journey_pages_send_someone_without_answers_back_to_the_start(world: World, signed_in: SignIn) -> None:
    coordinator = signed_in(world.people["coordinator"])
    for name in ("accounts:give_role_role", "accounts:give_role_check"):
        assert coordinator.get(reverse(name))["Location"] == reverse("accounts:give_role")
    assert coordinator.get(reverse("accounts:give_role_done"))["Location"] == reverse("accounts:invitations")
    answer(coordinator, "chair@example.test", Role.SCRUTINEER)
    coordinator.logout()
    south = signed_in(world.people["south_coordinator"])
    assert south.get(reverse("accounts:give_role_check"))["Location"] == reverse("accounts:give_role"), (
        "answers kept for one partnership are not used in another"
    )


def test_another_partnerships_inviter_finds_no_person_of_this_one(world: World, signed_in: SignIn) -> None:
    south = signed_in(world.people["south_coordinator"])
    practitioner = world.people["practitioner"]
    assert south.get(reverse("accounts:person", args=[practitioner.pk])).status_code == 404
    assert south.get(reverse("accounts:give_role_to_person", args=[practitioner.pk])).status_code == 404
    people = south.get(reverse("accounts:invitations")).content.decode()
    assert "Practitioner Tester" not in people and "South_Lead Tester" in people


@pytest.mark.parametrize("persona", ["practitioner", "lead_hospital", "chair", "scrutineer", "south_lead"])
def test_people_who_may_not_invite_may_not_give_roles(world: World, signed_in: SignIn, persona: str) -> None:
    client = signed_in(world.people[persona])
    assert client.get(reverse("accounts:give_role")).status_code == 403
    assert client.post(reverse("accounts:give_role"), {"email": "chair@example.test"}).status_code == 403
    assert client.post(reverse("accounts:give_role_check")).status_code == 403
    assert client.get(reverse("accounts:person", args=[world.people["chair"].pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        membership_grant(
            actor=world.people[persona],
            user=world.people["reviewer"],
            partnership=world.north,
            role=Role.CHAIR,
            agency=None,
        )
