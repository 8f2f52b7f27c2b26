"""A possible duplicate can be checked by those who triage: "not the same incident" dismisses the
warning (a reason is required, and recorded on both cases); "the same incident" links the cases."""

from datetime import date

import pytest
from time_machine import TimeMachineFixture

from audit.models import AuditEvent
from cases.models import Case
from conftest import SignIn, World
from referrals.models import DuplicateCheck, DuplicateOutcome
from referrals.tests.helpers import make_case, make_referral


@pytest.fixture(autouse=True)
def today(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to("2026-03-10 10:00 +00:00", tick=False)


@pytest.fixture
def pair(world: World) -> tuple[Case, Case]:
    """Two referrals of the same child (name and date of birth) from two agencies."""
    from referrals.services.submit import referral_submit

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
    later = referral_submit(referral_id=draft.pk, actor=draft.created_by)
    assert list(later.referral.possible_duplicates.all()) == [earlier]
    return later, earlier


def url(case: Case, other: Case) -> str:
    return f"/referrals/case/{case.reference}/duplicates/{other.reference}/"


def test_the_triage_page_offers_to_check_each_possible_duplicate(
    world: World, signed_in: SignIn, pair: tuple[Case, Case]
) -> None:
    later, earlier = pair
    page = signed_in(world.people["coordinator"]).get(f"/referrals/case/{later.reference}/triage/").content.decode()
    assert "may already hold a referral about the same child or incident" in page
    assert f'href="{url(later, earlier)}"' in page


def test_not_the_same_incident_needs_a_reason_then_dismisses_the_warning_on_both_cases_history(
    world: World, signed_in: SignIn, pair: tuple[Case, Case]
) -> None:
    later, earlier = pair
    client = signed_in(world.people["delegate_la"])
    refused = client.post(url(later, earlier), {"outcome": "not_same", "reason": "  "})
    assert refused.status_code == 200
    assert "Enter why it is not the same incident" in refused.content.decode()
    assert "<title>Error: " in refused.content.decode()
    assert not DuplicateCheck.objects.exists()

    reason = "A different child: the birth dates match but the school records show a cousin"
    done = client.post(url(later, earlier), {"outcome": "not_same", "reason": reason})
    assert done.status_code == 302 and done["Location"] == f"/referrals/case/{later.reference}/triage/"
    check = DuplicateCheck.objects.get()
    assert (check.outcome, check.reason, check.decided_by) == (
        DuplicateOutcome.NOT_SAME,
        reason,
        world.people["delegate_la"],
    )
    page = client.get(f"/referrals/case/{later.reference}/triage/").content.decode()
    assert "may already hold a referral about the same child or incident" not in page
    for case, other in ((later, earlier), (earlier, later)):
        event = AuditEvent.objects.filter(case=case, target_type="referrals.duplicatecheck").get()
        assert event.details["reason"] == reason and event.details["other_case"] == other.reference
        assert event.details["summary"] == "A possible duplicate was checked: not the same incident"


def test_the_same_incident_links_the_two_cases_each_naming_the_other(
    world: World, signed_in: SignIn, pair: tuple[Case, Case]
) -> None:
    later, earlier = pair
    client = signed_in(world.people["coordinator"])
    assert client.post(url(later, earlier), {"outcome": "same", "reason": ""}).status_code == 302
    for case, other in ((later, earlier), (earlier, later)):
        page = client.get(f"/cases/{case.reference}/referral/").content.decode()
        assert f'The same incident as <a class="govuk-link" href="/cases/{other.reference}/">' in page
    triage = client.get(f"/referrals/case/{later.reference}/triage/").content.decode()
    assert "may already hold a referral" not in triage and "The same incident as" in triage
    # Changed later: the answer is replaced, and the change is on the history too.
    client.post(url(earlier, later), {"outcome": "not_same", "reason": "Checked again with the school"})
    assert DuplicateCheck.objects.get().outcome == DuplicateOutcome.NOT_SAME
    assert AuditEvent.objects.filter(case=later, target_type="referrals.duplicatecheck").count() == 2


def test_only_those_who_triage_check_duplicates_and_only_between_cases_they_see(
    world: World, signed_in: SignIn, pair: tuple[Case, Case]
) -> None:
    later, earlier = pair
    assert signed_in(world.people["practitioner"]).get(url(later, earlier)).status_code == 403
    assert signed_in(world.people["south_coordinator"]).get(url(later, earlier)).status_code == 404
    coordinator = signed_in(world.people["coordinator"])
    assert coordinator.get(url(later, earlier)).status_code == 200
    assert coordinator.get(url(later, world.cases["south"])).status_code == 404, "another partnership's case"
    assert coordinator.get(url(later, later)).status_code == 404, "a case is not its own duplicate"
    assert coordinator.post(url(later, earlier), {"outcome": "maybe"}).status_code == 200
    assert not DuplicateCheck.objects.exists()
