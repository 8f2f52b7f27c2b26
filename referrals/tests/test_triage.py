from datetime import date

import pytest
from django.core import mail
from pytest_django import DjangoCaptureOnCommitCallbacks
from time_machine import TimeMachineFixture

from cases.models import Case, CaseState
from clocks.models import Clock, ClockRule, ClockStatus
from conftest import SignIn, World
from notifications.models import Message
from referrals.models import TriageDecision
from referrals.tests.helpers import d, make_case


@pytest.fixture
def case(world: World, time_machine: TimeMachineFixture) -> Case:
    time_machine.move_to("2026-03-10 10:00 +00:00", tick=False)
    return make_case(world, incident=date(2026, 3, 5), aware=date(2026, 3, 6), dob=date(2019, 4, 2))


def decision(case: Case, **overrides: str) -> dict[str, str]:
    data = {
        "version": str(case.version),
        **d("meeting_date", date(2026, 3, 9)),
        "attendee_la": "Lorcan Ashdown",
        "attendee_icb": "Imogen Carraway",
        "attendee_police": "Dominic Feltham",
        "abuse_or_neglect": "yes",
        "death_or_serious_harm": "yes",
        "decision": "notify",
        "rationale": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("key", ["coordinator", "delegate_la", "delegate_icb", "delegate_police"])
def test_the_coordinator_and_each_partner_delegate_may_triage(
    world: World, signed_in: SignIn, case: Case, key: str
) -> None:
    client = signed_in(world.people[key])
    page = client.get(f"/referrals/case/{case.reference}/triage/")
    assert page.status_code == 200
    assert b"abuse or neglect of the child is known or suspected" in page.content


@pytest.mark.parametrize("key", ["practitioner", "lead_hospital", "notifier", "scrutineer"])
def test_others_who_can_see_the_case_may_not_triage(world: World, signed_in: SignIn, case: Case, key: str) -> None:
    assert signed_in(world.people[key]).get(f"/referrals/case/{case.reference}/triage/").status_code == 403


def test_nobody_outside_the_partnership_finds_the_triage_page(world: World, signed_in: SignIn, case: Case) -> None:
    client = signed_in(world.people["south_coordinator"])
    assert client.get(f"/referrals/case/{case.reference}/triage/").status_code == 404


def test_deciding_to_notify_moves_the_case_on_and_tells_the_referrer_and_lead(
    world: World, signed_in: SignIn, case: Case, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client = signed_in(world.people["delegate_la"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/referrals/case/{case.reference}/triage/", decision(case))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.TO_NOTIFY
    triage = TriageDecision.objects.get(case=case)
    assert triage.attendee_police == "Dominic Feltham"
    recipients = {m.to_email for m in Message.objects.filter(case=case, subject__startswith="Decision")}
    assert recipients == {world.people["practitioner"].email, world.people["lead_hospital"].email}
    assert any("decided to notify" in m.body for m in mail.outbox)
    listing = signed_in(world.people["practitioner"]).get("/referrals/")
    assert b"Notify the Panel" in listing.content


def test_not_notifying_needs_a_rationale(world: World, signed_in: SignIn, case: Case) -> None:
    client = signed_in(world.people["coordinator"])
    response = client.post(f"/referrals/case/{case.reference}/triage/", decision(case, decision="not_notify"))
    assert b"Enter why the partners decided not to notify" in response.content
    case.refresh_from_db()
    assert case.state == CaseState.REFERRED


def test_not_notifying_with_a_local_learning_review(world: World, signed_in: SignIn, case: Case) -> None:
    client = signed_in(world.people["coordinator"])
    client.post(
        f"/referrals/case/{case.reference}/triage/",
        decision(
            case,
            decision="not_notify",
            abuse_or_neglect="no",
            rationale="No abuse or neglect suspected.",
            local_learning_review="on",
        ),
    )
    case.refresh_from_db()
    assert case.state == CaseState.NOT_NOTIFIED
    assert TriageDecision.objects.get(case=case).local_learning_review is True
    assert Clock.objects.get(case=case, rule=ClockRule.SIN).status == ClockStatus.CANCELLED


def test_a_second_decision_on_a_decided_case_is_turned_away(world: World, signed_in: SignIn, case: Case) -> None:
    stale = decision(case)
    signed_in(world.people["delegate_la"]).post(f"/referrals/case/{case.reference}/triage/", stale)
    second = signed_in(world.people["delegate_police"])
    response = second.post(f"/referrals/case/{case.reference}/triage/", {**stale, "attendee_la": "Someone else"})
    assert response.status_code == 302
    assert TriageDecision.objects.get(case=case).attendee_la == "Lorcan Ashdown"


def test_a_concurrent_decision_keeps_the_typed_answers_with_a_message(
    world: World, signed_in: SignIn, case: Case
) -> None:
    from cases.models import Case

    Case.objects.filter(pk=case.pk).update(version=case.version + 1)  # someone else saved first
    client = signed_in(world.people["coordinator"])
    response = client.post(
        f"/referrals/case/{case.reference}/triage/", decision(case, attendee_la="Someone Typed This")
    )
    assert response.status_code == 200
    assert b"Someone else changed this case" in response.content
    assert b'value="Someone Typed This"' in response.content
    assert f'name="version" value="{case.version + 1}"'.encode() in response.content


def test_a_meeting_in_the_future_is_refused(world: World, signed_in: SignIn, case: Case) -> None:
    client = signed_in(world.people["coordinator"])
    response = client.post(
        f"/referrals/case/{case.reference}/triage/", decision(case, **d("meeting_date", date(2026, 3, 20)))
    )
    assert b"Date of the decision meeting must be today or in the past" in response.content


def test_the_agency_lead_sees_the_outcome_of_their_agencys_referral(
    world: World, signed_in: SignIn, case: Case
) -> None:
    signed_in(world.people["coordinator"]).post(f"/referrals/case/{case.reference}/triage/", decision(case))
    listing = signed_in(world.people["lead_hospital"]).get("/referrals/")
    assert b"Referrals from your agency" in listing.content
    assert case.reference.encode() in listing.content
    assert b"Notify the Panel" in listing.content
    other_lead = signed_in(world.people["lead_school"]).get("/referrals/")
    assert case.reference.encode() not in other_lead.content
