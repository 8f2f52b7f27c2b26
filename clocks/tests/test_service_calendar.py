"""The England and Wales calendar belongs to the whole service: only the service administrator
changes it, and the change is recorded as service-wide. A partnership's own closure days stay its
own, managed by its coordinator or its administrator."""

import io
from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import Role, is_service_admin
from audit.models import AuditEvent, Verb
from clocks.models import BankHoliday, Clock, ClockRule, ClosureDay
from clocks.services import clock_start
from conftest import SignIn, World, make_person

from .conftest import make_case

pytestmark = pytest.mark.django_db
HOLIDAY = {"day_0": "3", "day_1": "6", "day_2": "2026", "name": "Invented celebration"}


@pytest.fixture
def service_admin(world: World) -> User:
    """Runs the service for every partnership; holds no partnership role."""
    user = User.objects.create_user(
        username="service.admin@example.test", email="service.admin@example.test", password="x-long-password-1"
    )
    user.is_staff = True
    user.save()
    TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    return user


@pytest.fixture
def south_admin(world: World) -> User:
    return make_person("south_admin", world.south, Role.ADMIN, None)


@pytest.fixture
def north_clock(world: World) -> Clock:
    case = make_case(world, "NSCP-2026-091")
    return clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 6, 1), actor=None)  # due 8 June


def test_a_partnership_administrator_cannot_move_another_partnerships_deadlines(
    world: World, signed_in: SignIn, south_admin: User, north_clock: Clock
) -> None:
    client = signed_in(south_admin)

    assert client.get(reverse("clocks:bank_holidays")).status_code == 403
    assert client.post(reverse("clocks:bank_holidays"), HOLIDAY).status_code == 403

    assert not BankHoliday.objects.filter(date=date(2026, 6, 3)).exists()
    north_clock.refresh_from_db()
    assert north_clock.due_date == date(2026, 6, 8)
    holiday = BankHoliday.objects.filter(date__year=2026).first()
    assert holiday is not None
    assert client.post(reverse("clocks:bank_holiday_remove", args=[holiday.pk])).status_code == 403
    assert BankHoliday.objects.filter(pk=holiday.pk).exists()


def test_the_service_administrator_changes_the_calendar_for_everyone_recorded_as_service_wide(
    world: World, signed_in: SignIn, service_admin: User, north_clock: Clock, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(service_admin)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("clocks:bank_holidays")).status_code == 200

    assert client.post(reverse("clocks:bank_holidays"), HOLIDAY).status_code == 302

    north_clock.refresh_from_db()
    assert north_clock.due_date == date(2026, 6, 9)
    change = AuditEvent.objects.get(verb=Verb.CALENDAR_CHANGE)
    assert (change.actor, change.partnership_id) == (service_admin, None), "service-wide, not one partnership's"
    moved = AuditEvent.objects.get(verb=Verb.RECOMPUTE, target_id=str(north_clock.pk))
    assert moved.partnership_id == world.north.pk and moved.case_id == north_clock.case_id


def test_the_partnership_administrator_keeps_managing_their_own_closure_days(
    world: World, signed_in: SignIn, south_admin: User
) -> None:
    client = signed_in(world.people["admin"])
    response = client.post(
        reverse("clocks:closure_days"), {"day_0": "9", "day_1": "1", "day_2": "2031", "name": "Office move"}
    )
    assert response.status_code == 302
    closure = ClosureDay.objects.get()
    assert closure.partnership == world.north
    south = signed_in(south_admin)
    assert south.get(reverse("clocks:closure_day_remove", args=[closure.pk])).status_code == 404
    assert "Office move" not in south.get(reverse("clocks:closure_days")).content.decode()


def test_each_administrator_finds_their_own_calendar_from_the_home_page(
    world: World, signed_in: SignIn, service_admin: User
) -> None:
    partnership_admin = signed_in(world.people["admin"]).get("/").content.decode()
    assert reverse("clocks:closure_days") in partnership_admin
    assert reverse("clocks:bank_holidays") not in partnership_admin
    service = signed_in(service_admin).get("/").content.decode()
    assert reverse("clocks:bank_holidays") in service


def test_the_service_administrator_role_is_given_and_taken_by_a_command_and_recorded(world: World) -> None:
    person = world.people["chair"]
    assert not is_service_admin(person)

    call_command("service_admin", "grant", person.email, stdout=io.StringIO())
    person.refresh_from_db()
    assert is_service_admin(person)
    call_command("service_admin", "revoke", person.email, stdout=io.StringIO())
    person.refresh_from_db()
    assert not is_service_admin(person)

    events = AuditEvent.objects.filter(verb=Verb.UPDATE, target_id=str(person.pk)).order_by("id")
    assert [e.details["summary"] for e in events] == [
        "Made a service administrator",
        "No longer a service administrator",
    ]
    with pytest.raises(CommandError, match="No account"):
        call_command("service_admin", "grant", "nobody@example.test")


def test_a_new_service_administrator_account_is_made_without_a_partnership_and_sets_its_own_password(
    world: World, client: Any
) -> None:
    out = io.StringIO()
    call_command("service_admin", "grant", "Ops.Lead@Example.test", "--create", "--name", "Robin Quayle", stdout=out)
    user = User.objects.get(email="ops.lead@example.test")
    assert is_service_admin(user) and not user.memberships.exists()
    assert (user.first_name, user.last_name) == ("Robin", "Quayle")
    assert "set a password" in out.getvalue()
    client.post(reverse("accounts:password_reset"), {"email": "ops.lead@example.test"})
    assert [m.to for m in mail.outbox] == [["ops.lead@example.test"]]
