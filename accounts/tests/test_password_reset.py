import re

from django.urls import reverse

from accounts.tests.helpers import password_step
from conftest import PASSWORD

NEW = "marmalade-teapot-harbour-77"


def test_a_reset_link_is_emailed_and_sets_a_new_password_once(world, client, mailoutbox) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "chair@example.test"})
    assert response["Location"] == reverse("accounts:password_reset_sent")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["chair@example.test"]
    link = re.search(r"https?://[^/\s]+(/sign-in/reset-password/\S+/\S+/)", mailoutbox[0].body).group(1)
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


def test_an_unknown_address_gets_the_same_answer_and_no_email(db, client, mailoutbox) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.test"})
    assert response["Location"] == reverse("accounts:password_reset_sent")
    assert mailoutbox == []


def test_a_reset_still_needs_the_security_code(world, client, mailoutbox) -> None:
    client.post(reverse("accounts:password_reset"), {"email": "chair@example.test"})
    link = re.search(r"https?://[^/\s]+(/sign-in/reset-password/\S+/\S+/)", mailoutbox[0].body).group(1)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    password_step(client, "chair@example.test", NEW)
    assert client.get(reverse("accounts:account"))["Location"] == reverse("accounts:two_factor_verify")
