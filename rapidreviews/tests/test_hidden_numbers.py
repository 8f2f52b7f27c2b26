"""A hidden number sent back changed (a version of 2^63 - 1, a negative one, 400 digits) gives the
page back with the clash message, never a server error: on SQLite a version that large cannot be
stored plus one, and on PostgreSQL not even compared with an integer column."""

import re

import pytest

from conftest import SignIn, World
from rapidreviews.models import RapidReview, RapidReviewDecision
from rapidreviews.tests.helpers import hold_meeting

pytestmark = pytest.mark.django_db

TAMPERED = [str(2**63 - 1), str(2**63), str(2**31 - 1), "-1", "9" * 400]


@pytest.mark.parametrize("version", TAMPERED)
def test_a_tampered_version_on_the_decision_form_gives_the_clash_message_not_an_error(
    world: World, signed_in: SignIn, asked: RapidReview, version: str
) -> None:
    hold_meeting(world, asked)
    client = signed_in(world.people["coordinator"])
    client.raise_request_exception = False
    response = client.post(
        f"/rapid-reviews/{asked.case.reference}/meeting/decision/",
        {
            "version": version,
            "decision": RapidReviewDecision.LCSPR,
            "decision_rationale": "My careful rationale",
            "themes": ["neglect", "cse"],
        },
    )
    body = response.content.decode()
    ticked = re.findall(r'<input[^>]*name="themes"[^>]*value="(\w+)"[^>]*checked', body)
    assert sorted(ticked) == ["cse", "neglect"], "every theme ticked comes back ticked"
    assert response.status_code == 200
    assert "Someone else saved this page" in body and "My careful rationale" in body
    asked.refresh_from_db()
    assert asked.decision == ""
    given = re.search(r'<input type="hidden" name="version" value="(\d+)"', body)
    assert given is not None and int(given.group(1)) == asked.version, "the next Save replaces it knowingly"


@pytest.mark.parametrize("version", TAMPERED)
def test_a_tampered_version_on_the_meeting_record_gives_the_clash_message_not_an_error(
    world: World, signed_in: SignIn, asked: RapidReview, version: str
) -> None:
    client = signed_in(world.people["coordinator"])
    client.raise_request_exception = False
    response = client.post(
        f"/rapid-reviews/{asked.case.reference}/meeting/record/",
        {"version": version, "facts_agreed": "What we agreed"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved this page" in body and "What we agreed" in body


def _hospital(world: World) -> int:
    return int(world.agencies["hospital"].pk)


# Every page of this app with a hidden number: who posts it, where, and what else the form needs.
HIDDEN_NUMBERS = [
    ("coordinator", "meeting/record/", "version", {"facts_agreed": "What we agreed"}),
    ("lead_hospital", "returns/{agency}/learning/", "version", {"learning": "Typed learning"}),
    ("lead_hospital", "returns/{agency}/answers/", "learning_version", {"learning": "Typed learning"}),
    ("lead_hospital", "returns/{agency}/submit/", "version", {}),
    (
        "lead_hospital",
        "returns/{agency}/episodes/new/",
        "version",
        {"title": "Home visit", "went_well": "Seen promptly"},
    ),
    (
        "lead_hospital",
        "returns/{agency}/entries/new/",
        "version",
        {"date_0": "3", "date_1": "3", "date_2": "2025", "what_happened": "Seen at clinic", "source": "Notes"},
    ),
    ("lead_hospital", "returns/{agency}/entries/add/", "rows", {}),
]


@pytest.mark.parametrize("number", [str(2**63 - 1), "-1", "9" * 400])
@pytest.mark.parametrize(("who", "path", "field", "data"), HIDDEN_NUMBERS)
def test_no_hidden_number_gives_a_server_error(
    world: World,
    signed_in: SignIn,
    asked: RapidReview,
    who: str,
    path: str,
    field: str,
    data: dict[str, str],
    number: str,
) -> None:
    client = signed_in(world.people[who])
    client.raise_request_exception = False
    url = f"/rapid-reviews/{asked.case.reference}/" + path.format(agency=_hospital(world))
    response = client.post(url, {**data, field: number})
    assert response.status_code in (200, 302), response.status_code
