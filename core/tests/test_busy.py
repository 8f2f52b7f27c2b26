"""A request that finds the database locked gets "the service is busy, try again" (503), never a
500: nothing of it is written, and what the person typed comes back to send again."""

from datetime import date
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from clocks.models import ClosureDay
from conftest import SignIn, World

pytestmark = pytest.mark.django_db


def locked(*args: Any, **kwargs: Any) -> None:
    raise OperationalError("database is locked")


def test_a_page_that_finds_the_database_locked_says_the_service_is_busy_not_a_500(
    world: World, signed_in: SignIn, monkeypatch: pytest.MonkeyPatch, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(world.people["coordinator"])
    url = reverse("cases:detail", args=[world.cases["north"].reference])
    monkeypatch.setattr(AuditEvent, "save", locked)  # reading the case records a view: a write

    with django_assert_max_num_queries(15):
        response = client.get(url)

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Sorry, the service is busy</h1>' in page
    assert "Nothing was saved or changed" in page
    assert f'href="{url}"' in page and "Try again" in page


def test_a_form_sent_while_the_database_is_locked_saves_nothing_and_comes_back_to_send_again(
    world: World, signed_in: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed_in(world.people["coordinator"])
    url = reverse("clocks:closure_days")
    typed = {"day_0": "9", "day_1": "1", "day_2": "2031", "name": 'Office move & "refit" <b>'}
    events_before = AuditEvent.objects.count()
    with monkeypatch.context() as patch:
        patch.setattr(AuditEvent, "save", locked)  # the closure day is written, then its audit event
        response = client.post(url, typed)

    assert response.status_code == 503
    assert not ClosureDay.objects.exists(), "nothing half-written: the closure day went with its event"
    assert AuditEvent.objects.count() == events_before
    page = response.content.decode()
    assert f'<form method="post" action="{url}"' in page
    assert '<input type="hidden" name="name" value="Office move &amp; &quot;refit&quot; &lt;b&gt;">' in page
    assert '<input type="hidden" name="day_2" value="2031">' in page
    assert "Send it again" in page

    # Sending it again once the database is free saves it.
    again = client.post(url, typed)
    assert again.status_code == 302
    assert ClosureDay.objects.get().date == date(2031, 1, 9)


def test_a_password_is_never_written_back_into_the_busy_page(monkeypatch: pytest.MonkeyPatch, world: World) -> None:
    client = Client(raise_request_exception=False)
    monkeypatch.setattr("accounts.views.signin.authenticate", locked)

    response = client.post(
        reverse("accounts:sign_in"), {"username": "coordinator@example.test", "password": "s3cret-W0rds"}
    )

    assert response.status_code == 503
    page = response.content.decode()
    assert "s3cret-W0rds" not in page
    assert 'value="coordinator@example.test"' in page
    assert "you will need to enter it again" in page


def test_a_lock_met_outside_the_view_saving_the_session_is_the_busy_page_too(
    world: World, signed_in: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed_in(world.people["coordinator"])
    client.raise_request_exception = False
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.save", locked)

    response = client.get(reverse("portal:home"))

    assert response.status_code == 503
    assert "Sorry, the service is busy" in response.content.decode()


def test_a_script_asking_while_the_database_is_locked_gets_an_answer_it_can_read(
    world: World, signed_in: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed_in(world.people["coordinator"])
    monkeypatch.setattr(AuditEvent, "save", locked)

    response = client.get(
        reverse("cases:detail", args=[world.cases["north"].reference]), headers={"Accept": "application/json"}
    )

    assert response.status_code == 503
    assert response.json()["status"] == "busy" and response.json()["saved"] is False


def test_another_database_error_is_still_the_problem_page(
    world: World, signed_in: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed_in(world.people["coordinator"])
    client.raise_request_exception = False

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("no such table: audit_auditevent")

    monkeypatch.setattr(AuditEvent, "save", broken)

    response = client.get(reverse("cases:detail", args=[world.cases["north"].reference]))

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
