"""Filling in referrals for tests: through the pages (as a person would) or directly."""

from datetime import date
from typing import Any

from django.test import Client

from cases.models import Case
from conftest import World
from referrals.models import Referral, ReferralChild
from referrals.services.submit import referral_submit


def d(prefix: str, when: date) -> dict[str, str]:
    return {f"{prefix}_0": str(when.day), f"{prefix}_1": str(when.month), f"{prefix}_2": str(when.year)}


def page_answers(
    world: World, *, incident: date, aware: date, dob: date, outcome: str = "serious_harm"
) -> dict[str, dict[str, Any]]:
    return {
        "about-you": {"agency": str(world.agencies["hospital"].pk), "referrer_phone": "01632 960001"},
        "lead": {"lead_agreed": "yes", "lead_name": "Harriet Quillon", **d("lead_agreed_on", aware)},
        "incident": {
            **d("incident_date", incident),
            **d("la_aware_on", aware),
            "place": "Hollowbrook",
            "location": "in_area",
        },
        "what-happened": {"what_happened": "Admitted to hospital with unexplained fractures."},
        "harm": {"outcome": outcome, "category": "nai"},
        "death": {**d("date_of_death", incident)},
        "abuse": {
            "abuse_neglect": "suspected",
            "abuse_neglect_reason": "Injuries not consistent with the account given.",
        },
        "child-1": {
            "first_name": "Tamsin",
            "last_name": "Vellacott",
            "born": "yes",
            **d("date_of_birth", dob),
            "sex": "female",
            "ethnicity": "white",
            "disability": "no",
            "home_area": "Hollowbrook",
            "home_local_authority": "Northshire Council",
        },
        "child-1-status": {
            "looked_after": "no",
            "care_leaver": "no",
            "child_protection_plan": "no",
            "child_in_need": "yes",
        },
        "household": {"other_children": "yes", "other_children_details": "A brother, aged 6"},
        "agencies": {"agencies": [str(world.agencies["hospital"].pk), str(world.agencies["la"].pk)]},
        "processes": {"parallel_processes": ["police"]},
        "safety": {"safety_actions": "Strategy discussion held; the brother is staying with his grandmother."},
    }


def start_draft(client: Client) -> int:
    response = client.post("/referrals/start/")
    assert response.status_code == 302, response.content
    return int(response["Location"].split("/")[2])


def fill_in(
    client: Client, world: World, *, incident: date, aware: date, dob: date, outcome: str = "serious_harm"
) -> int:
    """Goes through every page as a person would, following each Continue, to check your answers."""
    pk = start_draft(client)
    answers = page_answers(world, incident=incident, aware=aware, dob=dob, outcome=outcome)
    url = f"/referrals/{pk}/about-you/"
    for _ in range(30):
        if url.endswith("/check/"):
            return pk
        if url.endswith("/children/"):
            response = client.post(url, {"add_another": "no"})
        else:
            slug = url.rstrip("/").split("/")[-1]
            response = client.post(url, answers[slug])
        assert response.status_code == 302, (url, response.content.decode()[:3000])
        url = response["Location"]
    raise AssertionError("The journey never reached check your answers")


def make_referral(
    world: World,
    *,
    user_key: str = "practitioner",
    agency_key: str = "hospital",
    incident: date,
    aware: date,
    dob: date | None,
    outcome: str = "serious_harm",
    looked_after: str = "no",
    care_leaver: str = "",
    first_name: str = "Tamsin",
    last_name: str = "Vellacott",
    children: int = 1,
    place: str = "Hollowbrook",
) -> Referral:
    referral = Referral.objects.create(
        partnership=world.north,
        created_by=world.people[user_key],
        agency=world.agencies[agency_key],
        referrer_phone="01632 960001",
        lead_agreed="yes",
        lead_name="Harriet Quillon",
        lead_agreed_on=aware,
        incident_date=incident,
        la_aware_on=aware,
        place=place,
        location="in_area",
        what_happened="Fractures.",
        outcome=outcome,
        date_of_death=incident if outcome == "died" else None,
        category="nai",
        abuse_neglect="suspected",
        abuse_neglect_reason="Injuries unexplained.",
        other_children="no",
        parallel_processes=["police"],
        safety_actions="Strategy discussion held.",
    )
    referral.agencies.add(world.agencies[agency_key])
    for position in range(1, children + 1):
        ReferralChild.objects.create(
            referral=referral,
            position=position,
            first_name=first_name if position == 1 else f"Sibling{position}",
            last_name=last_name,
            born="yes" if dob else "no",
            date_of_birth=dob,
            sex="female",
            ethnicity="white",
            disability="no",
            home_area="Hollowbrook",
            home_local_authority="Northshire Council",
            looked_after=looked_after,
            care_leaver=care_leaver,
            child_protection_plan="no",
            child_in_need="no",
        )
    return referral


def make_case(world: World, **kwargs: Any) -> Case:
    referral = make_referral(world, **kwargs)
    return referral_submit(referral_id=referral.pk, actor=referral.created_by)
