from datetime import date

import pytest
from time_machine import TimeMachineFixture

from cases.models import Case
from conftest import SignIn, World
from referrals.models import Referral
from referrals.tests.helpers import make_case, make_referral


@pytest.fixture(autouse=True)
def today(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to("2026-03-10 10:00 +00:00", tick=False)


def test_the_same_child_by_name_and_birth_date_is_flagged_ignoring_case(world: World, signed_in: SignIn) -> None:
    earlier = make_case(
        world,
        user_key="other_practitioner",
        agency_key="school",
        incident=date(2026, 1, 5),
        aware=date(2026, 1, 6),
        dob=date(2019, 4, 2),
        place="Elsewhere",
    )
    draft = make_referral(
        world,
        incident=date(2026, 3, 5),
        aware=date(2026, 3, 6),
        dob=date(2019, 4, 2),
        first_name="TAMSIN",
        last_name="vellacott",
    )
    coordinator = signed_in(world.people["coordinator"])
    case = make_case_from(draft)
    assert list(Referral.objects.get(pk=draft.pk).possible_duplicates.all()) == [earlier]
    page = coordinator.get(f"/referrals/case/{case.reference}/triage/")
    assert f'href="/cases/{earlier.reference}/"'.encode() in page.content


def test_the_same_incident_at_the_same_place_is_flagged(world: World) -> None:
    earlier = make_case(
        world,
        incident=date(2026, 3, 5),
        aware=date(2026, 3, 6),
        dob=date(2019, 4, 2),
        first_name="Other",
        last_name="Child",
    )
    draft = make_referral(
        world,
        user_key="other_practitioner",
        agency_key="school",
        incident=date(2026, 3, 5),
        aware=date(2026, 3, 6),
        dob=date(2018, 1, 1),
        first_name="Different",
        last_name="Person",
    )
    case = make_case_from(draft)
    assert list(case.referral.possible_duplicates.all()) == [earlier]


def test_a_different_child_and_incident_is_not_flagged(world: World) -> None:
    make_case(world, incident=date(2026, 1, 5), aware=date(2026, 1, 6), dob=date(2019, 4, 2), place="Elsewhere")
    draft = make_referral(
        world,
        incident=date(2026, 3, 5),
        aware=date(2026, 3, 6),
        dob=date(2018, 1, 1),
        first_name="Different",
        last_name="Person",
    )
    assert not make_case_from(draft).referral.possible_duplicates.exists()


def test_a_referrer_is_warned_but_not_shown_cases_they_cannot_see(world: World, signed_in: SignIn) -> None:
    earlier = make_case(
        world,
        user_key="other_practitioner",
        agency_key="school",
        incident=date(2026, 1, 5),
        aware=date(2026, 1, 6),
        dob=date(2019, 4, 2),
        place="Elsewhere",
    )
    draft = make_referral(world, incident=date(2026, 3, 5), aware=date(2026, 3, 6), dob=date(2019, 4, 2))
    client = signed_in(world.people["practitioner"])
    check = client.get(f"/referrals/{draft.pk}/check/")
    assert b"may already hold a referral about the same child" in check.content
    assert earlier.reference.encode() not in check.content
    case = make_case_from(draft)
    sent = client.get(f"/referrals/sent/{case.reference}/")
    assert b"The review coordinator will check" in sent.content
    assert earlier.reference.encode() not in sent.content


def test_another_partnerships_referral_is_never_a_duplicate(world: World) -> None:
    from partnerships.models import Agency

    south_agency = Agency.objects.create(partnership=world.south, name="Southmoor Hospital", type="nhs_trust")
    other = make_referral(world, incident=date(2026, 3, 5), aware=date(2026, 3, 6), dob=date(2019, 4, 2))
    Referral.objects.filter(pk=other.pk).update(partnership=world.south, agency=south_agency)
    make_case_from(Referral.objects.get(pk=other.pk))
    draft = make_referral(world, incident=date(2026, 3, 5), aware=date(2026, 3, 6), dob=date(2019, 4, 2))
    assert not make_case_from(draft).referral.possible_duplicates.exists()


def make_case_from(referral: Referral) -> Case:
    from referrals.services.submit import referral_submit

    return referral_submit(referral_id=referral.pk, actor=referral.created_by)
