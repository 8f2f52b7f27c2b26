import re
from datetime import timedelta

from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from accounts.tests.helpers import password_step
from conftest import PASSWORD, TestResponse, World, found

NEW = "marmalade-teapot-harbour-77"


def test_a_reset_link_is_emailed_and_sets_a_new_password_once(
    world: World, client: Client, mailoutbox: list[EmailMessage]
) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "chair@example.test"})
    assert response["Location"] == reverse("accounts:password_reset_sent")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["chair@example.test"]
    link = found(r"https?://[^/\s]+(/sign-in/reset-password/\S+/\S+/)", str(mailoutbox[0].body))
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == reverse("accounts:password_reset_complete")
    assert password_step(client, "chair@example.test", NEW)["Location"] == reverse("accounts:two_factor_verify")
    client.logout()
    assert (
        "Enter a correct email address and password"
        in password_step(client, "chair@example.test", PASSWORD).content.decode()
    )
    again = client.get(link, follow=True)
    assert "This link has expired or has already been used" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(
    db: None, client: Client, mailoutbox: list[EmailMessage]
) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.test"})
    assert response["Location"] == reverse("accounts:password_reset_sent")
    assert mailoutbox == []


def test_a_reset_still_needs_the_security_code(world: World, client: Client, mailoutbox: list[EmailMessage]) -> None:
    client.post(reverse("accounts:password_reset"), {"email": "chair@example.test"})
    link = found(r"https?://[^/\s]+(/sign-in/reset-password/\S+/\S+/)", str(mailoutbox[0].body))
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    password_step(client, "chair@example.test", NEW)
    assert client.get(reverse("accounts:account"))["Location"] == reverse("accounts:two_factor_verify")


def reset(client: Client, email: str, ip: str = "192.0.2.10") -> TestResponse:
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_known_and_unknown_addresses_do_the_same_work_in_the_request_and_the_email_goes_later(
    world: World, client: Client, mailoutbox: list[EmailMessage], settings: Settings
) -> None:
    """The page does the same for both (count, record, queue one task) and answers the same; only
    the task, outside the request, finds whether the address has an account and sends the link."""
    from django.db import connection
    from django.tasks import task_backends
    from django.tasks.backends.dummy import DummyBackend
    from django.test.utils import CaptureQueriesContext

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    answers, statements = [], []
    for email in ("chair@example.test", "nobody.here@example.test"):
        with CaptureQueriesContext(connection) as captured:
            response = reset(client, email)
        answers.append((response.status_code, response["Location"]))
        statements.append([re.sub(r"'[^']*'|\d+", "?", q["sql"]) for q in captured.captured_queries])
    assert answers[0] == answers[1] == (302, reverse("accounts:password_reset_sent"))
    assert statements[0] == statements[1], "the same statements for a known and an unknown address"
    assert mailoutbox == [], "nothing is sent while the person waits for the page"
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    queued = backend.results
    assert [r.task.name for r in queued] == ["password_reset_send_job", "password_reset_send_job"]
    for result in queued:
        result.task.call(*result.args, **result.kwargs)
    assert [m.to for m in mailoutbox] == [["chair@example.test"]]


def test_too_many_resets_for_one_address_are_refused_for_an_hour(
    world: World, client: Client, mailoutbox: list[EmailMessage]
) -> None:
    import time_machine
    from django.utils import timezone

    for n in range(3):
        assert reset(client, "chair@example.test", ip=f"192.0.2.{n}").status_code == 302
    refused = reset(client, "Chair@Example.test", ip="192.0.2.99")
    assert refused.status_code == 429
    assert "You have asked for too many password reset emails" in refused.content.decode()
    assert len(mailoutbox) == 3
    unknown = [reset(client, "nobody.here@example.test", ip=f"198.51.100.{n}").status_code for n in range(4)]
    assert unknown == [302, 302, 302, 429], "an address with no account is limited the same way"
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert reset(client, "chair@example.test").status_code == 302


def test_too_many_resets_from_one_address_on_the_internet_are_refused(world: World, client: Client) -> None:
    answers = [reset(client, f"person{n}@example.test", ip="203.0.113.7").status_code for n in range(11)]
    assert answers == [302] * 10 + [429]
    assert reset(client, "person99@example.test", ip="203.0.113.8").status_code == 302
