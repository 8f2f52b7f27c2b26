"""After a wrong security code django-otp makes the person wait (1, 2, 4 ... seconds) and, while
they wait, refuses even the right code without checking it: the pages say so and for how long."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.helpers import code_for, password_step
from accounts.twofactor import wait_message
from conftest import PASSWORD, World

START = datetime(2026, 11, 23, 9, 0, 5, tzinfo=UTC)


def test_setting_up_the_app_says_to_wait_when_the_right_code_follows_a_wrong_one_too_soon(
    world: World, client: Client
) -> None:
    user = world.people["reviewer"]
    TOTPDevice.objects.filter(user=user).delete()
    with time_machine.travel(START, tick=False) as clock:
        password_step(client, user.email, PASSWORD)
        setup = reverse("accounts:two_factor_setup")
        client.get(setup)
        wrong = client.post(setup, {"code": "123456"})
        assert "The security code is not right" in wrong.content.decode()

        too_soon = client.post(setup, {"code": code_for(user)})
        html = too_soon.content.decode()
        assert "You entered a wrong code. Wait 1 second, then enter the code again" in html
        assert "The security code is not right" not in html
        assert f'value="{code_for(user)}"' in html, "the typed code is kept"
        assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

        clock.shift(timedelta(seconds=1))
        assert client.post(setup, {"code": code_for(user)})["Location"] == reverse("accounts:backup_codes")


def test_signing_in_says_how_long_to_wait_and_the_wait_is_no_wrong_code(world: World, client: Client) -> None:
    user = world.people["coordinator"]
    verify = reverse("accounts:two_factor_verify")
    with time_machine.travel(START, tick=False) as clock:
        password_step(client, user.email, PASSWORD)
        for _ in range(3):
            client.post(verify, {"code": "000000"})
            clock.shift(timedelta(seconds=30))
        client.post(verify, {"code": "000000"})  # the fourth wrong code in a row: 8 seconds to wait
        clock.shift(timedelta(seconds=3))
        for _ in range(5):  # impatient tries are not checked, so they do not sign the person out
            too_soon = client.post(verify, {"code": code_for(user)})
            assert too_soon.status_code == 200
        assert "You entered a wrong code. Wait 5 seconds, then enter the code again" in too_soon.content.decode()

        clock.shift(timedelta(seconds=5))
        assert client.post(verify, {"code": code_for(user)})["Location"] == reverse("portal:home")


def test_a_long_wait_is_given_in_minutes_or_hours() -> None:
    assert wait_message(59) == "You entered a wrong code. Wait 59 seconds, then enter the code again"
    assert wait_message(61) == "You entered a wrong code. Wait 2 minutes, then enter the code again"
    assert wait_message(60) == "You entered a wrong code. Wait 1 minute, then enter the code again"
    assert wait_message(3601) == "You entered a wrong code. Wait 2 hours, then enter the code again"
