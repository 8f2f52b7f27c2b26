"""Data made once for a module (conftest.kept_for_the_module): every test sees exactly it, whatever
the tests before it did, and nothing is left once the module is done."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from conftest import World, client_with_session, kept_for_the_module, signed_in_session
from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def make() -> dict[str, Any]:
    partnership = Partnership.objects.create(name="Eastwold SCP", slug="east", short_name="ESCP")
    return {"partnership": partnership}


@pytest.fixture(scope="module")
def made(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    yield from kept_for_the_module(django_db_blocker, make)
    with django_db_blocker.unblock():
        left = list(Partnership.objects.values_list("slug", flat=True))
    assert left == [], f"the module's data outlived it: {left}"


@pytest.mark.parametrize("turn", [1, 2])
def test_each_test_starts_from_what_was_made_and_nothing_more(made: dict[str, Any], turn: int) -> None:
    assert list(Partnership.objects.values_list("slug", flat=True)) == ["east"]
    Partnership.objects.create(name=f"Made by test {turn}", slug=f"test-{turn}", short_name="T")
    Partnership.objects.filter(slug="east").update(name="Changed by a test")


def test_a_change_made_by_an_earlier_test_is_gone(made: dict[str, Any]) -> None:
    assert Partnership.objects.get().name == "Eastwold SCP"


def test_a_session_made_once_signs_in_each_new_browser(made: dict[str, Any], world: World) -> None:
    """The walk's browsers reuse one signed-in session per persona instead of signing in anew."""
    client = client_with_session(signed_in_session(world.people["coordinator"]))
    assert client.get("/").status_code == 200
    assert Client().get("/").status_code == 302
