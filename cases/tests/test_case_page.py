from datetime import date

import pytest
from time_machine import TimeMachineFixture

from cases.models import Case, CaseState
from conftest import SignIn, World
from referrals.tests.helpers import make_case


@pytest.fixture
def case(world: World, time_machine: TimeMachineFixture) -> Case:
    time_machine.move_to("2026-03-10 10:00 +00:00", tick=False)
    return make_case(world, incident=date(2026, 3, 5), aware=date(2026, 3, 6), dob=date(2019, 4, 2))


def test_the_case_page_shows_the_stage_in_words_the_referral_and_who_acted(
    world: World, signed_in: SignIn, case: Case
) -> None:
    client = signed_in(world.people["coordinator"])
    page = client.get(f"/cases/{case.reference}/")
    assert page.status_code == 200
    assert b"The safeguarding partners are deciding whether the local authority must notify the Panel" in page.content
    assert b"Read the full referral" in client.get(f"/cases/{case.reference}/referral/").content
    history = client.get(f"/cases/{case.reference}/history/").content
    assert b"People involved" in history
    assert b"Practitioner Tester" in history
    assert b"Who has seen this case" in history


def test_triage_roles_get_the_decision_button_and_the_referrer_does_not(
    world: World, signed_in: SignIn, case: Case
) -> None:
    coordinator = signed_in(world.people["coordinator"]).get(f"/cases/{case.reference}/")
    assert f'href="/referrals/case/{case.reference}/triage/"'.encode() in coordinator.content
    referrer = signed_in(world.people["practitioner"]).get(f"/cases/{case.reference}/")
    assert referrer.status_code == 200
    assert b"/triage/" not in referrer.content
    assert b"Who has seen this case" not in referrer.content


def test_a_case_without_a_referral_still_shows(world: World, signed_in: SignIn) -> None:
    page = signed_in(world.people["coordinator"]).get(f"/cases/{world.cases['north'].reference}/")
    assert page.status_code == 200


def test_steps_with_their_own_page_cannot_be_taken_on_the_generic_page(
    world: World, signed_in: SignIn, case: Case
) -> None:
    client = signed_in(world.people["coordinator"])
    assert client.get(f"/cases/{case.reference}/step/decide_notify/").status_code == 404
    assert client.get(f"/cases/{case.reference}/step/no_such_step/").status_code == 404


def test_the_generic_step_page_checks_the_version_and_keeps_the_note(
    world: World, signed_in: SignIn, case: Case
) -> None:
    Case.objects.filter(pk=case.pk).update(state=CaseState.NOTIFIED)
    client = signed_in(world.people["coordinator"])
    Case.objects.filter(pk=case.pk).update(version=case.version + 1)
    response = client.post(
        f"/cases/{case.reference}/step/start_rapid_review/", {"version": str(case.version), "note": "Typed note"}
    )
    assert response.status_code == 200
    assert b"Someone else changed this case" in response.content
    assert b"Typed note" in response.content
    ok = client.post(
        f"/cases/{case.reference}/step/start_rapid_review/", {"version": str(case.version + 1), "note": "Typed note"}
    )
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.RAPID_REVIEW


def test_the_generic_step_page_refuses_people_without_the_role(world: World, signed_in: SignIn, case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(state=CaseState.NOTIFIED)
    assert (
        signed_in(world.people["practitioner"]).get(f"/cases/{case.reference}/step/start_rapid_review/").status_code
        == 403
    )
    assert (
        signed_in(world.people["south_coordinator"])
        .get(f"/cases/{case.reference}/step/start_rapid_review/")
        .status_code
        == 404
    )


def test_the_home_page_lists_referrals_awaiting_triage_and_notifications_to_record(
    world: World, signed_in: SignIn, case: Case
) -> None:
    home = signed_in(world.people["delegate_icb"]).get("/")
    assert b"Referrals awaiting triage" in home.content
    assert case.reference.encode() in home.content
    Case.objects.filter(pk=case.pk).update(state=CaseState.TO_NOTIFY)
    notifier = signed_in(world.people["notifier"]).get("/")
    assert b"Notifications to record" in notifier.content


def test_the_referrer_home_page_offers_to_refer(world: World, signed_in: SignIn) -> None:
    home = signed_in(world.people["practitioner"]).get("/")
    assert b"Refer a serious incident" in home.content
    assert b"Refer a serious incident" not in signed_in(world.people["scrutineer"]).get("/").content


def test_who_has_seen_the_case_names_the_partnership_and_role_of_people_without_an_agency(
    world: World, signed_in: SignIn, case: Case
) -> None:
    signed_in(world.people["chair"]).get(f"/cases/{case.reference}/")
    signed_in(world.people["lead_hospital"]).get(f"/cases/{case.reference}/")
    coordinator = signed_in(world.people["coordinator"])
    coordinator.get(f"/cases/{case.reference}/")
    page = coordinator.get(f"/cases/{case.reference}/seen-by/")
    assert page.status_code == 200
    cells = page.content.decode()
    assert ">None<" not in cells
    assert "Partnership chair, Northshire SCP" in cells
    assert "Review coordinator, Northshire SCP" in cells
    assert world.agencies["hospital"].name in cells
