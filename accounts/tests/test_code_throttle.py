"""Someone who has a person's password cannot lock that person out of the security-code step.

Wrong codes slow down the place they come from (the person and the client's address), not the
person's app: the real person, elsewhere, signs in at once. Against many places guessing at once,
after 10 wrong codes in an hour for one person, only browsers that have passed the second factor
for that person before may try a code; the person is told by email."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.helpers import code_for, password_step
from conftest import PASSWORD, World

START = datetime(2026, 11, 23, 9, 0, 5, tzinfo=UTC)
VERIFY = reverse("accounts:two_factor_verify")


def guesser(user: User, ip: str) -> Client:
    client = Client(REMOTE_ADDR=ip)
    assert password_step(client, user.email, PASSWORD)["Location"] == VERIFY
    return client


def test_wrong_codes_from_someone_with_the_password_do_not_make_the_real_person_wait(world: World) -> None:
    user = world.people["coordinator"]
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(3):  # three sign-ins of five wrong codes each, waiting out every slow-down
            attacker = guesser(user, "203.0.113.5")
            for _ in range(5):
                attacker.post(VERIFY, {"code": "000000"})
                clock.shift(timedelta(seconds=20))
        real = guesser(user, "192.0.2.44")
        response = real.post(VERIFY, {"code": code_for(user)})
        assert response.status_code == 302 and response["Location"] == reverse("portal:home")


def test_the_place_that_guesses_is_slowed_down(world: World) -> None:
    user = world.people["coordinator"]
    with time_machine.travel(START, tick=False) as clock:
        attacker = guesser(user, "203.0.113.5")
        for _ in range(3):
            attacker.post(VERIFY, {"code": "000000"})
            clock.shift(timedelta(seconds=30))
        attacker.post(VERIFY, {"code": "000000"})  # the fourth wrong code from here: 8 seconds to wait
        clock.shift(timedelta(seconds=3))
        html = attacker.post(VERIFY, {"code": code_for(user)}).content.decode()
        assert "You entered a wrong code. Wait 5 seconds, then enter the code again" in html


def test_many_places_guessing_stop_new_browsers_but_not_one_the_person_signed_in_with_before(
    world: World, mailoutbox: list[EmailMessage]
) -> None:
    user = world.people["coordinator"]
    with time_machine.travel(START, tick=False) as clock:
        known = guesser(user, "192.0.2.44")
        assert known.post(VERIFY, {"code": code_for(user)})["Location"] == reverse("portal:home")
        known.post(reverse("accounts:sign_out"))
        clock.shift(timedelta(seconds=31))
        for n in range(10):
            guesser(user, f"198.51.100.{n}").post(VERIFY, {"code": "000000"})
        newcomer = guesser(user, "198.51.100.200")
        refused = newcomer.post(VERIFY, {"code": code_for(user)})
        assert refused.status_code == 200
        assert "Too many wrong security codes have been entered for this account" in refused.content.decode()
        assert any("wrong security codes" in m.body for m in mailoutbox if m.to == [user.email])
        clock.shift(timedelta(seconds=31))
        assert password_step(known, user.email, PASSWORD)["Location"] == VERIFY
        assert known.post(VERIFY, {"code": code_for(user)})["Location"] == reverse("portal:home")
