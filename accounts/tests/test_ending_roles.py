"""The People list shows each person's roles; a role is ended after an 'Are you sure?' page, audited.
Nobody ends their own last role that lets them invite, so a partnership always has an inviter."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from accounts.models import Membership, User
from accounts.roles import Role
from accounts.selectors import roles_of
from accounts.services import LastInvitingRoleError, membership_end, membership_grant
from audit.models import AuditEvent, Verb
from conftest import PASSWORD, SignIn, World


def role_of(world: World, key: str) -> Membership:
    return Membership.objects.get(user=world.people[key])


def test_the_people_list_shows_each_persons_roles_in_this_partnership_only(world: World, signed_in: SignIn) -> None:
    membership_grant(
        actor=world.people["coordinator"],
        user=world.people["practitioner"],
        partnership=world.north,
        role=Role.AGENCY_LEAD,
        agency=world.agencies["hospital"],
    )
    html = signed_in(world.people["coordinator"]).get(reverse("accounts:invitations")).content.decode()
    row = html.split(">Practitioner Tester</a>")[1].split("</tr>")[0]
    assert (
        "Practitioner / referrer, Northshire Hospitals" in row
        and "Agency safeguarding lead, Northshire Hospitals" in row
    )
    assert "Give a role to someone who already has an account" in html
    assert "South_Lead Tester" not in html and "Southmoor" not in html


def test_the_people_list_comes_in_pages_of_25_in_a_few_queries(
    world: World, signed_in: SignIn, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for n in range(30):
        user = User.objects.create_user(
            username=f"p{n}@example.test", email=f"p{n}@example.test", last_name=f"Zz{n:02d}"
        )
        Membership.objects.create(user=user, partnership=world.north, role=Role.CHAIR)
    coordinator = signed_in(world.people["coordinator"])
    with django_assert_max_num_queries(15):
        first = coordinator.get(reverse("accounts:invitations")).content.decode()
    assert first.count('class="govuk-table__header"><a class="govuk-link"') == 25
    assert "page 1 of 2" in first and 'rel="next"' in first
    second = coordinator.get(reverse("accounts:invitations") + "?page=2").content.decode()
    everyone = User.objects.filter(memberships__partnership=world.north).distinct().count()
    assert second.count('class="govuk-table__header"><a class="govuk-link"') == everyone - 25


def test_a_coordinator_ends_a_role_after_an_are_you_sure_page(world: World, signed_in: SignIn) -> None:
    coordinator = signed_in(world.people["coordinator"])
    membership = role_of(world, "lead_school")
    person_page = coordinator.get(reverse("accounts:person", args=[membership.user_id])).content.decode()
    end_link = reverse("accounts:end_role", args=[membership.pk])
    assert end_link in person_page
    sure = coordinator.get(end_link).content.decode()
    assert "Are you sure you want to end this role?" in sure and "Hollowbrook School" in sure
    assert Membership.objects.get(pk=membership.pk).active, "opening the page ends nothing"

    ended = coordinator.post(end_link)
    assert ended.status_code == 302 and ended["Location"] == reverse("accounts:person", args=[membership.user_id])
    membership.refresh_from_db()
    assert not membership.active
    assert roles_of(User.objects.get(pk=membership.user_id), world.north.pk) == set()
    after = coordinator.get(ended["Location"]).content.decode()
    assert "Lead_School Tester is no longer Agency safeguarding lead for Hollowbrook School" in after
    assert "Roles that have ended" in after and "has no current role" in after
    event = AuditEvent.objects.get(verb=Verb.UPDATE, target_type="accounts.membership")
    assert event.actor == world.people["coordinator"] and event.partnership == world.north
    assert event.details["ended"] is True and event.details["email"] == "lead_school@example.test"
    assert coordinator.get(end_link).status_code == 404, "an ended role is not ended twice"
    lead = world.people["lead_school"]
    lead.refresh_from_db()
    assert lead.check_password(PASSWORD) and lead.is_active, "the account itself is untouched"


def test_nobody_ends_their_own_last_role_that_lets_them_invite(world: World, signed_in: SignIn) -> None:
    coordinator = world.people["coordinator"]
    client = signed_in(coordinator)
    own = role_of(world, "coordinator")
    page = client.get(reverse("accounts:person", args=[coordinator.pk])).content.decode()
    assert reverse("accounts:end_role", args=[own.pk]) not in page
    refused = client.get(reverse("accounts:end_role", args=[own.pk])).content.decode()
    assert "You cannot end this role" in refused and "Yes, end this role" not in refused
    assert client.post(reverse("accounts:end_role", args=[own.pk])).status_code == 409
    with pytest.raises(LastInvitingRoleError):
        membership_end(actor=coordinator, membership=own)
    own.refresh_from_db()
    assert own.active
    assert not AuditEvent.objects.filter(verb=Verb.UPDATE, target_type="accounts.membership").exists()


def test_someone_with_a_second_inviting_role_may_end_one_of_them(world: World, signed_in: SignIn) -> None:
    coordinator = world.people["coordinator"]
    membership_grant(
        actor=world.people["admin"], user=coordinator, partnership=world.north, role=Role.ADMIN, agency=None
    )
    own = Membership.objects.get(user=coordinator, role=Role.COORDINATOR)
    client = signed_in(coordinator)
    assert client.post(reverse("accounts:end_role", args=[own.pk])).status_code == 302
    assert roles_of(User.objects.get(pk=coordinator.pk), world.north.pk) == {Role.ADMIN}
    admin_role = Membership.objects.get(user=coordinator, role=Role.ADMIN)
    assert client.post(reverse("accounts:end_role", args=[admin_role.pk])).status_code == 409, "now the last one"


def test_a_coordinator_may_not_end_an_administrators_role(world: World, signed_in: SignIn) -> None:
    coordinator = signed_in(world.people["coordinator"])
    admin_role = role_of(world, "admin")
    page = coordinator.get(reverse("accounts:person", args=[admin_role.user_id])).content.decode()
    assert reverse("accounts:end_role", args=[admin_role.pk]) not in page
    assert coordinator.post(reverse("accounts:end_role", args=[admin_role.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        membership_end(actor=world.people["coordinator"], membership=admin_role)
    admin_role.refresh_from_db()
    assert admin_role.active


def test_another_partnerships_inviter_cannot_end_a_role_of_this_one(world: World, signed_in: SignIn) -> None:
    membership = role_of(world, "practitioner")
    south = signed_in(world.people["south_coordinator"])
    assert south.get(reverse("accounts:end_role", args=[membership.pk])).status_code == 404
    assert south.post(reverse("accounts:end_role", args=[membership.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        membership_end(actor=world.people["south_coordinator"], membership=membership)
    membership.refresh_from_db()
    assert membership.active


@pytest.mark.parametrize("persona", ["practitioner", "lead_school", "chair", "delegate_la", "south_lead"])
def test_people_who_may_not_invite_may_not_end_roles(world: World, signed_in: SignIn, persona: str) -> None:
    membership = role_of(world, "other_practitioner")
    client = signed_in(world.people[persona])
    assert client.get(reverse("accounts:end_role", args=[membership.pk])).status_code == 403
    assert client.post(reverse("accounts:end_role", args=[membership.pk])).status_code == 403
    membership.refresh_from_db()
    assert membership.active
