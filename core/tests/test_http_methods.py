"""Each view serves the methods it declares (core.http) and answers 405 to every other."""

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent, Verb
from conftest import SignIn, World
from core.http import declared_methods, serves


def test_a_get_only_case_page_answers_405_to_post_and_records_nothing(world: World, signed_in: SignIn) -> None:
    case = world.cases["north"]
    response = signed_in(world.people["coordinator"]).post(reverse("cases:detail", args=[case.reference]))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert case.title.encode() not in response.content
    assert not AuditEvent.objects.filter(verb=Verb.VIEW).exists()


def test_opening_a_buttons_address_as_a_page_says_what_to_do_instead(world: World, signed_in: SignIn) -> None:
    response = signed_in(world.people["coordinator"]).get(reverse("accounts:sign_out"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">This page cannot be opened that way</h1>' in html
    assert "use its button" in html
    assert reverse("portal:home") in html


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "OPTIONS"])
def test_djangos_own_form_views_answer_405_to_methods_beyond_get_and_post(db: Any, method: str) -> None:
    """Password reset is a Django form view, which would treat PUT as POST and answer OPTIONS."""
    response = Client().generic(method, reverse("accounts:password_reset"), "email=someone%40example.test")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
    assert response["Content-Type"].startswith("text/plain")  # no browser sends these: no page to render


def test_a_view_declares_get_or_post_and_gets_head_with_get() -> None:
    @serves("GET")
    def page(request: Any) -> None:
        return None

    assert declared_methods(page) == {"GET", "HEAD"}
    with pytest.raises(ImproperlyConfigured):
        serves("PUT")
    with pytest.raises(ImproperlyConfigured):
        serves()
