"""Asking agencies for their summaries: the agencies named in the referral ready to send, several
requests at once (each with its own request, due date, clock step and email), each lead list only
that agency's leads, and "Select the safeguarding lead" when none is chosen."""

import html
import re
from typing import Any

import pytest
from django.core import mail

from cases.models import CaseAccess
from clocks.models import Clock, ClockRule
from conftest import SignIn, World, found
from core.tests.queries import max_page_queries
from rapidreviews.models import AgencySummary, InformationRequest, RapidReview
from rapidreviews.services.requests import information_request_send

pytestmark = pytest.mark.django_db


def _ask(review: RapidReview) -> str:
    return f"/rapid-reviews/{review.case.reference}/requests/ask/"


def _boxes(body: str) -> dict[str, bool]:
    """Each agency's box on the page: its value, and whether it is ticked."""
    tags = re.findall(r'<input[^>]*name="agencies"[^>]*>', body)
    return {found(r'value="(\d+)"', tag): " checked" in tag for tag in tags}


def _options(body: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', body, re.S)
    assert select is not None, f"no list {name}"
    return re.findall(r"<option[^>]*>([^<]*)</option>", select[0])


def test_the_agencies_named_in_the_referral_are_ticked_with_their_only_lead_chosen(
    world: World, signed_in: SignIn, review: RapidReview
) -> None:
    review.case.involved_agencies.add(world.agencies["police"])
    body = html.unescape(signed_in(world.people["coordinator"]).get(_ask(review)).content.decode())
    ticked = {value for value, checked in _boxes(body).items() if checked}
    assert ticked == {str(world.agencies["hospital"].pk), str(world.agencies["police"].pk)}
    assert body.count("Named in the referral") == 2
    hospital = f"lead_{world.agencies['hospital'].pk}"
    assert _options(body, hospital) == [
        "Select the safeguarding lead",
        "Lead_Hospital Tester (lead_hospital@example.test)",
    ]
    assert re.search(
        rf'<select name="{hospital}".*?<option value="{world.people["lead_hospital"].pk}" selected', body, re.S
    )
    assert _options(body, f"lead_{world.agencies['school'].pk}") == [
        "Select the safeguarding lead",
        "Lead_School Tester (lead_school@example.test)",
    ], "each agency's list holds its own leads only"


def test_several_agencies_are_asked_at_once_each_with_its_own_request_and_email(
    world: World, signed_in: SignIn, review: RapidReview, django_capture_on_commit_callbacks: Any
) -> None:
    agencies, people = world.agencies, world.people
    data = {
        "agencies": [agencies["hospital"].pk, agencies["police"].pk, agencies["school"].pk],
        f"lead_{agencies['hospital'].pk}": people["lead_hospital"].pk,
        f"lead_{agencies['police'].pk}": people["lead_police"].pk,
        f"lead_{agencies['school'].pk}": people["lead_school"].pk,
        "message": "Please cover the last 12 months.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(people["coordinator"]).post(_ask(review), data)
    assert response.status_code == 302 and response["Location"] == f"/rapid-reviews/{review.case.reference}/requests/"
    asked = InformationRequest.objects.filter(review=review)
    assert {(r.agency_id, r.lead_id) for r in asked} == {
        (agencies["hospital"].pk, people["lead_hospital"].pk),
        (agencies["police"].pk, people["lead_police"].pk),
        (agencies["school"].pk, people["lead_school"].pk),
    }
    assert AgencySummary.objects.filter(request__review=review).count() == 3
    assert {m.to[0] for m in mail.outbox if "Information request" in m.subject} == {
        "lead_hospital@example.test", "lead_police@example.test", "lead_school@example.test"
    }  # fmt: skip
    assert all("Please cover the last 12 months." in m.body and "Summary due" in m.body for m in mail.outbox)
    assert CaseAccess.objects.filter(case=review.case, reason=CaseAccess.Reason.INFORMATION_REQUEST).count() == 3
    assert Clock.objects.get(case=review.case, rule=ClockRule.RR_REQUESTS_OUT).met_on is not None


def test_an_agency_ticked_without_a_lead_says_select_the_safeguarding_lead_and_nothing_is_sent(
    world: World, signed_in: SignIn, review: RapidReview, mailoutbox: Any
) -> None:
    agencies = world.agencies
    data = {
        "agencies": [agencies["hospital"].pk, agencies["police"].pk],
        f"lead_{agencies['hospital'].pk}": world.people["lead_hospital"].pk,
        "message": "Kept when the page comes back",
    }
    response = signed_in(world.people["coordinator"]).post(_ask(review), data)
    body = response.content.decode()
    assert response.status_code == 200 and "<title>Error:" in body
    assert f'<a href="#id_lead_{agencies["police"].pk}">Select the safeguarding lead of Northshire Police</a>' in body
    assert "Kept when the page comes back" in body
    assert not InformationRequest.objects.exists() and mailoutbox == [], "not one request of the batch is sent"


def test_a_lead_of_another_agency_cannot_be_chosen(world: World, signed_in: SignIn, review: RapidReview) -> None:
    police = world.agencies["police"]
    data = {"agencies": [police.pk], f"lead_{police.pk}": world.people["lead_school"].pk}
    body = html.unescape(signed_in(world.people["coordinator"]).post(_ask(review), data).content.decode())
    assert "Choose a safeguarding lead of Northshire Police" in body
    assert not InformationRequest.objects.exists()


def test_nothing_ticked_says_select_the_agencies(world: World, signed_in: SignIn, review: RapidReview) -> None:
    body = signed_in(world.people["coordinator"]).post(_ask(review), {"message": ""}).content.decode()
    assert "Select the agencies to ask" in body and not InformationRequest.objects.exists()


def test_an_agency_without_a_lead_is_offered_an_invitation_and_cannot_be_asked_here(
    world: World, signed_in: SignIn, review: RapidReview
) -> None:
    icb = world.agencies["icb"]
    client = signed_in(world.people["coordinator"])
    body = html.unescape(client.get(_ask(review)).content.decode())
    assert f'href="/rapid-reviews/{review.case.reference}/requests/new/?agency={icb.pk}"' in body
    assert "Northshire ICB has no safeguarding lead with an account yet" in body
    refused = html.unescape(client.post(_ask(review), {"agencies": [icb.pk]}).content.decode())
    assert "Northshire ICB has no safeguarding lead with an account: untick it and invite a lead" in refused


def test_agencies_already_asked_are_not_offered_again(world: World, signed_in: SignIn, review: RapidReview) -> None:
    information_request_send(
        review=review, actor=world.people["coordinator"], agency=world.agencies["hospital"],
        lead=world.people["lead_hospital"],
    )  # fmt: skip
    body = signed_in(world.people["coordinator"]).get(_ask(review)).content.decode()
    assert str(world.agencies["hospital"].pk) not in _boxes(body)
    assert str(world.agencies["police"].pk) in _boxes(body)


def test_only_the_coordinator_asks_agencies(world: World, signed_in: SignIn, review: RapidReview) -> None:
    assert signed_in(world.people["delegate_la"]).get(_ask(review)).status_code == 403
    assert signed_in(world.people["lead_hospital"]).get(_ask(review)).status_code == 403


def test_the_page_stays_within_its_query_budget(world: World, signed_in: SignIn, review: RapidReview) -> None:
    client = signed_in(world.people["coordinator"])
    client.get(_ask(review))
    with max_page_queries():
        assert client.get(_ask(review)).status_code == 200


# The page for one agency, where a lead without an account is invited.


def _one(review: RapidReview) -> str:
    return f"/rapid-reviews/{review.case.reference}/requests/new/"


def test_asking_one_agency_with_nothing_chosen_says_select_the_safeguarding_lead(
    world: World, signed_in: SignIn, review: RapidReview
) -> None:
    response = signed_in(world.people["coordinator"]).post(_one(review), {"agency": world.agencies["police"].pk})
    body = response.content.decode()
    assert response.status_code == 200 and "Select the safeguarding lead" in body
    assert "Enter the email address of the lead to invite" not in body, "no invitation was begun"


def test_the_lead_list_for_one_agency_is_filtered_by_the_chosen_agency(
    world: World, signed_in: SignIn, review: RapidReview
) -> None:
    client = signed_in(world.people["coordinator"])
    police = world.agencies["police"]
    chosen = html.unescape(client.get(_one(review), {"agency": police.pk}).content.decode())
    assert _options(chosen, "lead") == ["Select the safeguarding lead", "Lead_Police Tester (lead_police@example.test)"]
    assert re.search(rf'<option value="{police.pk}" selected', chosen)
    posted = html.unescape(
        client.post(_one(review), {"agency": police.pk, "invite_first_name": "Ffion"}).content.decode()
    )
    assert _options(posted, "lead") == ["Select the safeguarding lead", "Lead_Police Tester (lead_police@example.test)"]
    unchosen = html.unescape(client.get(_one(review)).content.decode())
    assert re.findall(r'<optgroup label="([^"]+)"', unchosen) == ["Hollowbrook School", "Northshire Hospitals",
                                                                    "Northshire Police"]  # fmt: skip
    assert _options(unchosen, "agency")[0] == "Select the agency"
