"""Signing in: password, then a TOTP or backup code; lockout; idle timeout; password reset."""

import re
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django import Settings

from accounts.tests.helpers import code_for, password_step
from audit.models import AuditEvent, Verb
from conftest import PASSWORD, SignIn, World

EMAIL = "coordinator@example.test"


def test_a_correct_password_leads_to_the_security_code_page_not_in(world: World, client: Client) -> None:
    response = password_step(client, EMAIL, PASSWORD)
    assert response["Location"] == reverse("accounts:two_factor_verify")
    # Until the code is entered, every other page sends the person back to it.
    for url in (reverse("portal:home"), reverse("cases:list"), reverse("accounts:account")):
        assert client.get(url)["Location"] == reverse("accounts:two_factor_verify"), url


def test_the_right_totp_code_signs_the_person_in(world: World, client: Client) -> None:
    password_step(client, EMAIL, PASSWORD)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": code_for(world.people["coordinator"])})
    assert response["Location"] == reverse("portal:home")
    assert client.get(reverse("accounts:account")).status_code == 200
    stages = list(AuditEvent.objects.filter(verb=Verb.SIGN_IN).values_list("details__stage", flat=True))
    assert stages == ["password", "two_factor"]


def test_a_wrong_code_is_refused_with_a_govuk_error(world: World, client: Client) -> None:
    password_step(client, EMAIL, PASSWORD)
    response = client.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "The security code is not right" in html
    assert html.count("<title>Error: ") == 1
    assert client.get(reverse("portal:home")).status_code == 302


def test_five_wrong_codes_sign_the_person_out(world: World, client: Client) -> None:
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, 5, tzinfo=UTC), tick=False) as clock:
        password_step(client, EMAIL, PASSWORD)
        for _ in range(4):
            client.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
            clock.shift(timedelta(seconds=20))  # past django-otp's wait, so each code is checked
        response = client.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
    assert response.status_code == 403
    assert "Too many wrong security codes" in response.content.decode()
    assert client.get(reverse("portal:home"))["Location"].startswith(reverse("accounts:sign_in"))


def test_the_same_totp_code_works_only_once(world: World, client: Client) -> None:
    user = world.people["coordinator"]
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, 5, tzinfo=UTC), tick=False):
        code = code_for(user)
        password_step(client, EMAIL, PASSWORD)
        client.post(reverse("accounts:two_factor_verify"), {"code": code})
        client.post(reverse("accounts:sign_out"))
        password_step(client, EMAIL, PASSWORD)
        response = client.post(reverse("accounts:two_factor_verify"), {"code": code})
    assert "The security code is not right" in response.content.decode()


def test_a_person_without_an_app_must_set_one_up_and_gets_backup_codes(world: World, client: Client) -> None:
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, 5, tzinfo=UTC), tick=False) as clock:
        _enrol(world, client, clock)


def _enrol(world: World, client: Client, clock: time_machine.Traveller) -> None:
    user = world.people["reviewer"]
    TOTPDevice.objects.filter(user=user).delete()
    response = password_step(client, user.email, PASSWORD)
    assert client.get(response["Location"])["Location"] == reverse("accounts:two_factor_setup")
    assert client.get(reverse("portal:home"))["Location"] == reverse("accounts:two_factor_setup")
    page = client.get(reverse("accounts:two_factor_setup"))
    html = page.content.decode()
    assert "<svg" in html and "QR code for your authenticator app" in html
    secret = page.context["secret"]
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    assert secret in html
    assert "backup codes" not in html.split("Security code")[1].split("</div>")[0]  # none exist yet

    wrong = client.post(reverse("accounts:two_factor_setup"), {"code": "123456"})
    assert "The security code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    clock.shift(timedelta(seconds=2))  # django-otp slows a device down for a second after a wrong code
    response = client.post(reverse("accounts:two_factor_setup"), {"code": code_for(user)})
    assert response["Location"] == reverse("accounts:backup_codes")
    codes_page = client.get(reverse("accounts:backup_codes"))
    codes = re.findall(r"<li>(\d{8})</li>", codes_page.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.post(reverse("accounts:backup_codes"))["Location"] == reverse("portal:home")
    assert client.get(reverse("accounts:account")).status_code == 200
    # The codes are shown once only.
    assert client.get(reverse("accounts:backup_codes"))["Location"] == reverse("portal:home")
    assert AuditEvent.objects.filter(verb=Verb.TWO_FACTOR_ENROLLED, actor=user).exists()


def test_a_backup_code_signs_in_once(world: World, client: Client) -> None:
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, 5, tzinfo=UTC), tick=False) as clock:
        _backup_codes(world, client, clock)


def _backup_codes(world: World, client: Client, clock: time_machine.Traveller) -> None:
    from accounts.twofactor import new_backup_codes

    user = world.people["chair"]
    codes = new_backup_codes(user)
    password_step(client, user.email, PASSWORD)
    assert client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})["Location"] == reverse("portal:home")
    assert StaticToken.objects.filter(device__user=user).count() == 9
    client.post(reverse("accounts:sign_out"))
    password_step(client, user.email, PASSWORD)
    again = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})
    assert "The security code is not right" in again.content.decode()
    wait = client.post(reverse("accounts:two_factor_verify"), {"code": codes[1]})
    assert "You entered a wrong code. Wait 1 second, then enter the code again" in wait.content.decode()
    clock.shift(timedelta(seconds=2))
    assert client.post(reverse("accounts:two_factor_verify"), {"code": codes[1]})["Location"] == reverse("portal:home")
    # A backup code is not an app code: the app is not slowed down by it.
    assert TOTPDevice.objects.get(user=user).throttling_failure_count == 0


def test_a_wrong_password_says_so_without_saying_which_part_was_wrong(world: World, client: Client) -> None:
    wrong_password = password_step(client, EMAIL, "not-the-password")
    no_such_person = password_step(client, "nobody@example.test", "not-the-password")
    for response in (wrong_password, no_such_person):
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.content.decode()
    assert AuditEvent.objects.filter(verb=Verb.SIGN_IN_FAILED).count() == 2


def test_five_failures_lock_the_username_from_that_address_and_say_until_when(world: World, client: Client) -> None:
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), tick=False):
        for _ in range(4):
            response = password_step(client, EMAIL, "not-the-password")
            assert "Enter a correct email address and password" in response.content.decode()
        locked = password_step(client, EMAIL, "not-the-password")
        assert locked.status_code == 403
        html = locked.content.decode()
        assert "Your account is locked" in html
        # 9:00 UTC is 9:00 in London in November; locked for 15 minutes.
        assert "locked for 15 minutes" in html
        assert "Try again after <strong>9:15am on 23 November 2026</strong>" in html
        # The right password does not get through while locked.
        assert password_step(client, EMAIL, PASSWORD).status_code == 403
        # The same username from another address is not locked.
        other = password_step(client, EMAIL, PASSWORD, REMOTE_ADDR="10.1.2.3")
        assert other["Location"] == reverse("accounts:two_factor_verify")
    assert AuditEvent.objects.filter(verb=Verb.LOCKED_OUT).exists()
    with time_machine.travel(datetime(2026, 11, 23, 9, 16, tzinfo=UTC), tick=False):
        client.logout()
        after = password_step(client, EMAIL, PASSWORD)
        assert after["Location"] == reverse("accounts:two_factor_verify")


def test_another_username_from_the_locked_address_can_still_sign_in(world: World, client: Client) -> None:
    for _ in range(5):
        password_step(client, EMAIL, "not-the-password")
    response = password_step(client, "chair@example.test", PASSWORD)
    assert response["Location"] == reverse("accounts:two_factor_verify")


def test_thirty_idle_minutes_sign_the_person_out_with_a_message(world: World, signed_in: SignIn) -> None:
    start = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        client = signed_in(world.people["coordinator"])
        assert client.get(reverse("accounts:account")).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("accounts:account")).status_code == 200
        clock.shift(timedelta(minutes=30, seconds=1))
        response = client.get(reverse("accounts:account"))
        assert response["Location"] == reverse("accounts:sign_in") + "?timeout=1&next=%2Faccount%2F"
        page = client.get(response["Location"])
        assert "You were signed out because you did nothing for 30 minutes" in page.content.decode()
        assert 'name="next" value="/account/"' in page.content.decode(), "signing in again comes back here"
        assert client.get(reverse("accounts:account"))["Location"].startswith(reverse("accounts:sign_in"))


def test_every_signed_in_page_carries_the_timeout_warning(world: World, signed_in: SignIn, settings: Settings) -> None:
    html = signed_in(world.people["coordinator"]).get(reverse("accounts:account")).content.decode()
    assert f'data-timeout-seconds="{settings.SESSION_IDLE_SECONDS}"' in html
    assert "You will be signed out in 2 minutes" in html


def test_sign_out_ends_the_session(world: World, signed_in: SignIn) -> None:
    client = signed_in(world.people["coordinator"])
    assert client.post(reverse("accounts:sign_out"))["Location"] == reverse("accounts:signed_out")
    assert client.get(reverse("accounts:account"))["Location"].startswith(reverse("accounts:sign_in"))
    assert AuditEvent.objects.filter(verb=Verb.SIGN_OUT).exists()


def test_sign_in_returns_to_the_page_asked_for_after_the_code(world: World, client: Client) -> None:
    target = reverse("cases:detail", args=[world.cases["north"].reference])
    first = client.get(target)
    assert first["Location"] == f"{reverse('accounts:sign_in')}?next={target}"
    client.post(
        f"{reverse('accounts:sign_in')}?next={target}", {"username": EMAIL, "password": PASSWORD, "next": target}
    )
    response = client.post(reverse("accounts:two_factor_verify"), {"code": code_for(world.people["coordinator"])})
    assert response["Location"] == target


def test_sign_in_never_returns_to_another_site(world: World, client: Client) -> None:
    evil = "https://evil.example/"
    client.post(reverse("accounts:sign_in"), {"username": EMAIL, "password": PASSWORD, "next": evil})
    response = client.post(reverse("accounts:two_factor_verify"), {"code": code_for(world.people["coordinator"])})
    assert response["Location"] == reverse("portal:home")


def test_a_forged_forwarded_for_header_does_not_dodge_the_lockout(world: World, client: Client) -> None:
    for n in range(5):
        password_step(client, EMAIL, "not-the-password", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    locked = password_step(client, EMAIL, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert locked.status_code == 403
    assert "Your account is locked" in locked.content.decode()


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(rf: RequestFactory, settings: Settings) -> None:
    from core.middleware import client_ip

    settings.PRODUCTION = True
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.20", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "198.51.100.20"
    settings.PRODUCTION = False
    assert client_ip(request) == "10.0.0.1"


def test_stay_signed_in_returns_only_to_this_site(world: World, signed_in: SignIn) -> None:
    client = signed_in(world.people["coordinator"])
    url = reverse("accounts:keep_alive")
    html = "text/html"
    assert client.post(url, HTTP_REFERER="https://evil.example/", HTTP_ACCEPT=html)["Location"] == reverse(
        "portal:home"
    )
    assert (
        client.post(url, HTTP_REFERER="http://testserver/account/", HTTP_ACCEPT=html)["Location"]
        == "http://testserver/account/"
    )
    assert client.post(url).json() == {"signed_in": True, "idle_seconds": 1800}
