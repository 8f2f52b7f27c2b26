"""Every question answers bad input with a GOV.UK message and keeps what was typed."""

from datetime import date

import pytest
from django.test import Client
from time_machine import TimeMachineFixture

from conftest import SignIn, World
from referrals.models import Referral
from referrals.tests.helpers import d, start_draft


@pytest.fixture
def draft(world: World, signed_in: SignIn, time_machine: TimeMachineFixture) -> tuple[Client, int]:
    time_machine.move_to("2026-03-10 10:00 +00:00", tick=False)
    client = signed_in(world.people["practitioner"])
    return client, start_draft(client)


def test_an_incident_in_the_future_is_refused(draft: tuple[Client, int]) -> None:
    client, pk = draft
    response = client.post(
        f"/referrals/{pk}/incident/",
        {
            **d("incident_date", date(2026, 4, 1)),
            **d("la_aware_on", date(2026, 3, 6)),
            "place": "Hollowbrook",
            "location": "in_area",
        },
    )
    assert response.status_code == 200
    assert b"Date of the incident must be today or in the past" in response.content
    assert b"<title>Error: " in response.content
    assert b'value="Hollowbrook"' in response.content


def test_awareness_before_the_incident_is_refused(draft: tuple[Client, int]) -> None:
    client, pk = draft
    response = client.post(
        f"/referrals/{pk}/incident/",
        {
            **d("incident_date", date(2026, 3, 5)),
            **d("la_aware_on", date(2026, 3, 1)),
            "place": "Hollowbrook",
            "location": "in_area",
        },
    )
    assert b"Date the local authority became aware must be the same as or after the incident" in response.content


def test_missing_answers_say_what_to_enter(draft: tuple[Client, int]) -> None:
    client, pk = draft
    response = client.post(f"/referrals/{pk}/incident/", {})
    for message in [
        b"Enter the date of the incident",
        b"Enter the date the local authority became aware",
        b"Enter where it happened",
        b"Select where the incident happened",
    ]:
        assert message in response.content
    assert b'href="#id_incident_date_0"' in response.content


def test_an_impossible_date_is_refused(draft: tuple[Client, int]) -> None:
    client, pk = draft
    response = client.post(
        f"/referrals/{pk}/incident/", {"incident_date_0": "31", "incident_date_1": "2", "incident_date_2": "2026"}
    )
    assert b"Date of the incident must be a real date" in response.content


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("1", "1", "99999999999", "The year of the date of the incident must include 4 numbers"),
        ("99999999999999999999", "1", "2026", "Date of the incident must be a real date"),
        ("١", "1", "2026", "Date of the incident must be a real date"),
        ("1", "1", "0001", "Date of the incident must be in 1900 or later"),
    ],
)
def test_junk_in_a_date_is_refused_with_a_message_naming_the_question(
    draft: tuple[Client, int], day: str, month: str, year: str, message: str
) -> None:
    client, pk = draft
    response = client.post(
        f"/referrals/{pk}/incident/",
        {
            "incident_date_0": day,
            "incident_date_1": month,
            "incident_date_2": year,
            **d("la_aware_on", date(2026, 3, 6)),
            "place": "Hollowbrook",
            "location": "in_area",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'value="{year}"' in html and f'value="{day}"' in html
    assert "Date the local authority became aware" not in html.split("govuk-error-summary__list")[1].split("</ul>")[0]


def test_a_date_of_birth_after_the_incident_is_refused(draft: tuple[Client, int]) -> None:
    client, pk = draft
    client.post(
        f"/referrals/{pk}/incident/",
        {
            **d("incident_date", date(2026, 3, 5)),
            **d("la_aware_on", date(2026, 3, 6)),
            "place": "Hollowbrook",
            "location": "in_area",
        },
    )
    response = client.post(
        f"/referrals/{pk}/child-1/",
        {
            "first_name": "Tamsin",
            "last_name": "Vellacott",
            "born": "yes",
            **d("date_of_birth", date(2026, 3, 8)),
            "sex": "female",
            "ethnicity": "white",
            "disability": "no",
            "home_area": "Hollowbrook",
            "home_local_authority": "Northshire Council",
        },
    )
    assert b"Date of birth must be the same as or before the date of the incident" in response.content
    assert b'value="Tamsin"' in response.content


def test_an_incident_moved_before_a_childs_birth_is_refused(draft: tuple[Client, int]) -> None:
    client, pk = draft
    client.post(
        f"/referrals/{pk}/child-1/",
        {
            "first_name": "Tamsin",
            "last_name": "Vellacott",
            "born": "yes",
            **d("date_of_birth", date(2026, 3, 1)),
            "sex": "female",
            "ethnicity": "white",
            "disability": "no",
            "home_area": "Hollowbrook",
            "home_local_authority": "Northshire Council",
        },
    )
    response = client.post(
        f"/referrals/{pk}/incident/",
        {
            **d("incident_date", date(2026, 2, 1)),
            **d("la_aware_on", date(2026, 3, 6)),
            "place": "Hollowbrook",
            "location": "in_area",
        },
    )
    assert b"Date of the incident must be after Tamsin Vellacott&#x27;s date of birth" in response.content


def test_a_born_child_needs_a_date_of_birth(draft: tuple[Client, int]) -> None:
    client, pk = draft
    response = client.post(f"/referrals/{pk}/child-1/", {"first_name": "Tamsin", "born": "yes"})
    assert b"Enter the child&#x27;s date of birth" in response.content


def test_a_death_before_the_incident_is_refused(draft: tuple[Client, int]) -> None:
    client, pk = draft
    client.post(
        f"/referrals/{pk}/incident/",
        {
            **d("incident_date", date(2026, 3, 5)),
            **d("la_aware_on", date(2026, 3, 6)),
            "place": "Hollowbrook",
            "location": "in_area",
        },
    )
    client.post(f"/referrals/{pk}/harm/", {"outcome": "died", "category": "sudi"})
    response = client.post(f"/referrals/{pk}/death/", d("date_of_death", date(2026, 3, 1)))
    assert b"Date of death must be the same as or after the date of the incident" in response.content


def test_a_lead_who_agreed_must_be_named_with_a_date(draft: tuple[Client, int]) -> None:
    client, pk = draft
    response = client.post(f"/referrals/{pk}/lead/", {"lead_agreed": "yes"})
    assert b"Enter the name of the safeguarding lead who agreed the referral" in response.content
    assert b"Enter the date they agreed it" in response.content


def test_a_referral_without_the_leads_agreement_cannot_be_sent(draft: tuple[Client, int]) -> None:
    client, pk = draft
    client.post(f"/referrals/{pk}/lead/", {"lead_agreed": "no"})
    response = client.get(f"/referrals/{pk}/check/")
    assert b"must agree the referral before you send it" in response.content


def test_none_of_these_cannot_be_combined_with_a_process(draft: tuple[Client, int]) -> None:
    client, pk = draft
    response = client.post(f"/referrals/{pk}/processes/", {"parallel_processes": ["police", "none"]})
    assert b"not both" in response.content


def test_a_page_that_does_not_exist_is_not_found(draft: tuple[Client, int]) -> None:
    client, pk = draft
    assert client.get(f"/referrals/{pk}/no-such-page/").status_code == 404
    assert client.get(f"/referrals/{pk}/child-9/").status_code == 404
    assert client.get(f"/referrals/{pk}/child-1-status/").status_code == 404


def test_invalid_answers_on_save_and_come_back_later_keep_the_valid_ones(draft: tuple[Client, int]) -> None:
    client, pk = draft
    response = client.post(
        f"/referrals/{pk}/incident/", {**d("incident_date", date(2027, 1, 1)), "place": "Hollowbrook", "later": "1"}
    )
    assert response.status_code == 302
    referral = Referral.objects.get(pk=pk)
    assert referral.place == "Hollowbrook"
    assert referral.incident_date is None


@pytest.mark.parametrize(
    "typed", ["<script>alert(1)</script>", "call me", "12345", "01632 9600", "+1 202 555 0143", "07700 900982 999"]
)
def test_a_telephone_number_that_is_not_a_uk_number_is_refused_and_kept(
    draft: tuple[Client, int], world: World, typed: str
) -> None:
    client, pk = draft
    response = client.post(
        f"/referrals/{pk}/about-you/", {"agency": str(world.agencies["hospital"].pk), "referrer_phone": typed}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192" in body
    assert "<title>Error: " in body
    assert "<script>alert" not in body, "what was typed is given back escaped"
    assert Referral.objects.get(pk=pk).referrer_phone == "", "nothing invalid is kept, not even by autosave"
    client.post(f"/referrals/{pk}/autosave/about-you/", {"referrer_phone": typed})
    assert Referral.objects.get(pk=pk).referrer_phone == ""


@pytest.mark.parametrize(
    "typed",
    ["01632 960001", "01632 960 001", "07700 900 982", "+44 808 157 0192", "(01632) 960-001", "020 7946 0000 ext 12"],
)
def test_uk_telephone_numbers_are_taken_as_typed(draft: tuple[Client, int], world: World, typed: str) -> None:
    client, pk = draft
    response = client.post(
        f"/referrals/{pk}/about-you/", {"agency": str(world.agencies["hospital"].pk), "referrer_phone": typed}
    )
    assert response.status_code == 302
    assert Referral.objects.get(pk=pk).referrer_phone == typed


def test_a_stored_telephone_number_that_is_not_valid_stops_the_referral_being_sent(world: World) -> None:
    from referrals.steps import problems
    from referrals.tests.helpers import make_referral

    referral = make_referral(world, incident=date(2026, 3, 5), aware=date(2026, 3, 6), dob=date(2019, 4, 2))
    Referral.objects.filter(pk=referral.pk).update(referrer_phone="<script>x</script>")
    referral.refresh_from_db()
    assert ("about-you", "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192") in problems(
        referral
    )


def test_the_telephone_question_is_a_telephone_input(draft: tuple[Client, int]) -> None:
    client, pk = draft
    body = client.get(f"/referrals/{pk}/about-you/").content.decode()
    assert 'type="tel"' in body and 'autocomplete="tel"' in body
