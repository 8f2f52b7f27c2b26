from datetime import date

import pytest
from time_machine import TimeMachineFixture

from audit.models import AuditEvent, Verb
from cases.models import Case
from conftest import SignIn, World
from referrals.models import Referral
from referrals.services.drafts import referral_start
from referrals.services.submit import ReferralIncomplete, next_reference, pseudonym, referral_submit
from referrals.tests.helpers import make_case, make_referral


@pytest.fixture(autouse=True)
def today(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to("2026-03-10 10:00 +00:00", tick=False)


def test_pseudonyms_run_through_the_alphabet_and_on() -> None:
    assert [pseudonym(n) for n in (1, 2, 26, 27, 28, 52, 53)] == [
        "Child A",
        "Child B",
        "Child Z",
        "Child AA",
        "Child AB",
        "Child AZ",
        "Child BA",
    ]


def test_references_continue_from_the_highest_of_the_year(world: World) -> None:
    assert next_reference(world.north, 2026) == ("NSCP-2026-0002", 2)
    assert next_reference(world.north, 2027) == ("NSCP-2027-0001", 1)
    Case.objects.create(reference="NSCP-2026-0041", partnership=world.north, title="Child X")
    assert next_reference(world.north, 2026) == ("NSCP-2026-0042", 42)


def test_a_referrer_with_one_agency_has_it_chosen_and_a_coordinator_chooses(world: World) -> None:
    assert referral_start(actor=world.people["practitioner"]).agency == world.agencies["hospital"]
    assert referral_start(actor=world.people["coordinator"]).agency is None


def test_sending_records_the_case_in_the_audit_ledger_with_possible_duplicates(world: World) -> None:
    case = make_case(world, incident=date(2026, 3, 5), aware=date(2026, 3, 6), dob=date(2019, 4, 2))
    event = AuditEvent.objects.get(case=case, verb=Verb.CREATE, target_type="cases.case")
    assert event.details["possible_duplicates"] == []
    assert event.actor == world.people["practitioner"]


def test_a_draft_is_not_a_case_and_appears_in_no_case_list(world: World, signed_in: SignIn) -> None:
    referral = make_referral(world, incident=date(2026, 3, 5), aware=date(2026, 3, 6), dob=date(2019, 4, 2))
    assert referral.case is None
    listing = signed_in(world.people["coordinator"]).get("/cases/")
    assert listing.content.count(b"/cases/NSCP-") == 1  # only the world's own case


def test_sending_an_incomplete_draft_raises_with_every_problem(world: World) -> None:
    referral = Referral.objects.create(partnership=world.north, created_by=world.people["practitioner"])
    with pytest.raises(ReferralIncomplete) as error:
        referral_submit(referral_id=referral.pk, actor=world.people["practitioner"])
    assert ("incident", "Enter the date of the incident") in error.value.problems
    assert not Case.objects.filter(referral=referral).exists()


def test_the_referral_lists_colour_a_case_by_its_state() -> None:
    from cases.models import CaseState
    from referrals.templatetags.referral_tags import case_state_tag

    assert case_state_tag(CaseState.REFERRED) == "govuk-tag--blue"
    assert case_state_tag(CaseState.NOT_NOTIFIED) == "govuk-tag--grey"
    assert {case_state_tag(s) for s in (CaseState.NOTIFIED, CaseState.RAPID_REVIEW, CaseState.CLOSED)} == {
        "govuk-tag--green"
    }
