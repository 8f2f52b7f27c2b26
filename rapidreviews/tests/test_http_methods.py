"""A rapid review page answers only the methods its view serves: no page, and no unaudited read,
for OPTIONS, TRACE, PROPFIND and the rest; HEAD is audited like GET. (The URL walk checks every
URL the same way; these say it for the pages an independent probe read without a trace.)"""

import pytest
from django.urls import reverse

from audit.models import AuditEvent, Verb
from conftest import SignIn, World
from rapidreviews.models import RapidReview
from rapidreviews.tests.helpers import complete, summary_of

pytestmark = pytest.mark.django_db


def _pages(review: RapidReview, agency_id: int) -> dict[str, str]:
    """Pages that show a summary, the chronology, the meeting or the sign-off, and what each serves."""
    ref = review.case.reference
    return {
        reverse("rapidreviews:workspace", args=[ref]): "GET, HEAD",
        reverse("rapidreviews:chronology", args=[ref]): "GET, HEAD",
        reverse("rapidreviews:meeting", args=[ref]): "GET, HEAD, POST",
        reverse("rapidreviews:sign_off", args=[ref]): "GET, HEAD, POST",
        reverse("rapidreviews:summary", args=[ref, agency_id]): "GET, HEAD",
    }


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "PROPFIND", "PUT", "PATCH", "DELETE"])
def test_a_method_no_view_serves_gets_405_and_shows_no_summary_chronology_meeting_or_sign_off(
    world: World, signed_in: SignIn, asked: RapidReview, method: str
) -> None:
    hospital = world.agencies["hospital"]
    complete(summary_of(asked, hospital), world.people["lead_hospital"])
    client = signed_in(world.people["coordinator"])
    for url, allow in _pages(asked, hospital.pk).items():
        response = client.generic(method, url)
        assert response.status_code == 405, (method, url, response.status_code)
        assert response["Allow"] == allow, (url, response["Allow"])
        assert b"Text for learning" not in response.content
        assert b"Rapid review" not in response.content
    assert not AuditEvent.objects.filter(verb=Verb.VIEW).exists()


def test_a_page_that_only_shows_answers_405_to_post_saying_which_methods_it_serves(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    client = signed_in(world.people["coordinator"])
    response = client.post(reverse("rapidreviews:workspace", args=[asked.case.reference]))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert not AuditEvent.objects.filter(verb=Verb.VIEW).exists()


def test_head_on_a_rapid_review_page_is_audited_like_get(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    client = signed_in(world.people["chair"])
    response = client.head(reverse("rapidreviews:workspace", args=[asked.case.reference]))
    assert response.status_code == 200
    assert response.content == b""
    event = AuditEvent.objects.get(verb=Verb.VIEW, case=asked.case)
    assert event.actor == world.people["chair"]
    assert event.details["method"] == "HEAD" and event.details["page"] == "rapidreviews:workspace"
