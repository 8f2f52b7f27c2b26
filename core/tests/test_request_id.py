"""The ledger's request id is always the service's own: a client's X-Request-ID is kept apart, and
only when it has a strict shape."""

import re
from typing import Any

import pytest
from django.urls import reverse

from audit.models import AuditEvent, Verb
from conftest import SignIn, TestResponse, World


def viewed(world: World, signed_in: SignIn, **headers: Any) -> tuple[TestResponse, AuditEvent]:
    client = signed_in(world.people["coordinator"])
    response = client.get(reverse("cases:detail", args=[world.cases["north"].reference]), **headers)
    return response, AuditEvent.objects.filter(verb=Verb.VIEW).latest("id")


def test_a_client_chosen_request_id_never_becomes_the_ledgers_request_id(world: World, signed_in: SignIn) -> None:
    response, event = viewed(world, signed_in, HTTP_X_REQUEST_ID="forgedRequest123")
    assert event.request_id != "forgedRequest123"
    assert re.fullmatch(r"[0-9a-f]{32}", event.request_id)
    assert response["X-Request-ID"] == event.request_id
    assert event.details["client_request_id"] == "forgedRequest123", "kept, apart from ours"
    assert response["X-Client-Request-ID"] == "forgedRequest123"


@pytest.mark.parametrize("sent", ["has spaces in it", "x" * 65, "line\nbreak", "<script>", ""])
def test_a_client_request_id_of_any_other_shape_is_not_kept(world: World, signed_in: SignIn, sent: str) -> None:
    response, event = viewed(world, signed_in, HTTP_X_REQUEST_ID=sent)
    assert "client_request_id" not in event.details
    assert "X-Client-Request-ID" not in response
