"""Triage cannot contradict itself: a decision that does not follow from the partners' own answers on
the criteria is recorded only after a warning and with the partners' reasons, and the notification
and the case page then say the same thing about the rapid review."""

import html
from datetime import date

import pytest
from django.test import Client
from time_machine import TimeMachineFixture

from cases.models import Case, CaseState
from conftest import SignIn, TestResponse, World
from referrals.models import SeriousIncidentNotification, TriageDecision
from referrals.tests.helpers import d, make_case
from referrals.tests.test_triage import decision

WARNING_CONFIRM = "confirm_against_criteria"


@pytest.fixture
def case(world: World, time_machine: TimeMachineFixture) -> Case:
    time_machine.move_to("2026-03-10 10:00 +00:00", tick=False)
    return make_case(world, incident=date(2026, 3, 5), aware=date(2026, 3, 6), dob=date(2019, 4, 2))


def triage(client: Client, case: Case, **answers: str) -> tuple[TestResponse, str]:
    response = client.post(f"/referrals/case/{case.reference}/triage/", decision(case, **answers))
    return response, html.unescape(response.content.decode())


def sin(client: Client, case: Case) -> TestResponse:
    children = case.referral.children_list()
    return client.post(
        f"/referrals/case/{case.reference}/notification/",
        {
            "version": str(case.version),
            **d("submitted_on", date(2026, 3, 10)),
            "submitted_time": "09:30",
            "panel_reference": "SIN-2026-00077",
            "submitted_by": "Nadia Fenwright",
            "children": [str(c.pk) for c in children],
            "late_reason": "",
            "other_partnerships": "",
        },
    )


@pytest.mark.parametrize(
    ("abuse", "harm", "words"),
    [
        ("no", "yes", "abuse or neglect is not known or suspected"),
        ("yes", "no", "the child has not died or been seriously harmed"),
    ],
)
def test_notifying_the_panel_when_a_criterion_is_answered_no_warns_and_asks_why_before_anything_is_recorded(
    world: World, signed_in: SignIn, case: Case, abuse: str, harm: str, words: str
) -> None:
    client = signed_in(world.people["coordinator"])
    response, body = triage(client, case, abuse_or_neglect=abuse, death_or_serious_harm=harm)
    assert response.status_code == 200
    assert "govuk-warning-text" in body
    assert f"The partners answered that {words}" in body
    assert "Enter why the partners decided to notify the Panel although" in body
    assert "Confirm that the partners still decide to notify the Panel" in body
    case.refresh_from_db()
    assert case.state == CaseState.REFERRED
    assert not TriageDecision.objects.filter(case=case).exists()


def test_a_rationale_typed_before_the_warning_does_not_let_the_warning_be_skipped(
    world: World, signed_in: SignIn, case: Case
) -> None:
    client = signed_in(world.people["coordinator"])
    response, body = triage(client, case, abuse_or_neglect="no", rationale="Precaution: a sibling was harmed before.")
    assert response.status_code == 200
    assert "Confirm that the partners still decide to notify the Panel" in body
    assert "Precaution: a sibling was harmed before." in body  # what was typed is kept
    assert not TriageDecision.objects.filter(case=case).exists()


def test_after_the_warning_the_partners_may_still_notify_with_their_reasons(
    world: World, signed_in: SignIn, case: Case
) -> None:
    client = signed_in(world.people["coordinator"])
    reasons = "Unexplained death; the family is known to children's social care for a recent concern."
    response, _ = triage(client, case, abuse_or_neglect="no", rationale=reasons, **{WARNING_CONFIRM: "on"})
    assert response.status_code == 302
    recorded = TriageDecision.objects.get(case=case)
    assert recorded.decision == "notify" and recorded.rationale == reasons


def test_answering_yes_to_both_criteria_and_notifying_needs_no_warning_nor_rationale(
    world: World, signed_in: SignIn, case: Case
) -> None:
    response, _ = triage(signed_in(world.people["coordinator"]), case)
    assert response.status_code == 302


def test_not_notifying_when_both_criteria_are_met_warns_too(world: World, signed_in: SignIn, case: Case) -> None:
    client = signed_in(world.people["coordinator"])
    response, body = triage(client, case, decision="not_notify", rationale="The partners were not persuaded.")
    assert response.status_code == 200
    assert "The partners answered yes to both criteria" in body
    assert not TriageDecision.objects.filter(case=case).exists()
    response, _ = triage(
        client, case, decision="not_notify", rationale="The partners were not persuaded.", **{WARNING_CONFIRM: "on"}
    )
    assert response.status_code == 302


def test_the_secretary_of_state_route_alone_is_refused_when_a_child_under_18_died_of_suspected_abuse(
    world: World, signed_in: SignIn, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to("2026-03-10 10:00 +00:00", tick=False)
    lac = make_case(
        world,
        incident=date(2026, 3, 5),
        aware=date(2026, 3, 6),
        dob=date(2012, 4, 2),
        outcome="died",
        looked_after="yes",
    )
    response, body = triage(signed_in(world.people["coordinator"]), lac, decision="sos_ofsted")
    assert response.status_code == 200
    assert "the local authority must notify the Panel" in body
    assert not TriageDecision.objects.filter(case=lac).exists()


def test_a_notification_to_the_panel_always_brings_a_rapid_review_and_the_case_page_says_so(
    world: World, signed_in: SignIn, case: Case
) -> None:
    """Every notified case needs a rapid review (domain brief §2.1): the notification's "rapid review
    required" and the case's stage agree, even when the partners notified against a criterion."""
    triage(
        signed_in(world.people["coordinator"]),
        case,
        abuse_or_neglect="no",
        rationale="Unexplained death in a family known to children's social care.",
        **{WARNING_CONFIRM: "on"},
    )
    case.refresh_from_db()
    assert sin(signed_in(world.people["notifier"]), case).status_code == 302
    notification = SeriousIncidentNotification.objects.get(case=case)
    assert notification.rapid_review_required
    page = html.unescape(signed_in(world.people["coordinator"]).get(f"/cases/{case.reference}/").content.decode())
    assert "The rapid review is to start" in page
    referral = html.unescape(
        signed_in(world.people["coordinator"]).get(f"/cases/{case.reference}/referral/").content.decode()
    )
    assert "Not required" not in referral


def test_a_notification_to_the_secretary_of_state_and_ofsted_only_says_no_rapid_review_everywhere(
    world: World, signed_in: SignIn, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to("2026-03-10 10:00 +00:00", tick=False)
    lac = make_case(
        world,
        incident=date(2026, 3, 5),
        aware=date(2026, 3, 6),
        dob=date(2012, 4, 2),
        outcome="died",
        looked_after="yes",
    )
    coordinator = signed_in(world.people["coordinator"])
    triage(coordinator, lac, abuse_or_neglect="no", decision="sos_ofsted")
    lac.refresh_from_db()
    assert lac.state == CaseState.TO_NOTIFY
    assert sin(signed_in(world.people["notifier"]), lac).status_code == 302
    assert not SeriousIncidentNotification.objects.get(case=lac).rapid_review_required
    coordinator = signed_in(world.people["coordinator"])
    page = html.unescape(coordinator.get(f"/cases/{lac.reference}/").content.decode())
    assert "The rapid review is to start" not in page
    assert "No rapid review is required" in page
    assert "Start the rapid review" not in page
    referral = html.unescape(coordinator.get(f"/cases/{lac.reference}/referral/").content.decode())
    assert (
        "Rapid review" in referral and "Not required: the partners decided to notify the Secretary of State" in referral
    )
    # Nor can it be started behind the page's back.
    workspace = coordinator.post(f"/rapid-reviews/{lac.reference}/start/")
    assert workspace.status_code == 302
    lac.refresh_from_db()
    assert lac.state == CaseState.NOTIFIED


def test_a_sudden_unexpected_death_in_infancy_for_a_child_who_survived_warns_and_needs_an_explanation(
    world: World, signed_in: SignIn, time_machine: TimeMachineFixture
) -> None:
    from referrals.models import Referral
    from referrals.steps import problems
    from referrals.tests.helpers import start_draft

    client = signed_in(world.people["practitioner"])
    pk = start_draft(client)
    response = client.post(f"/referrals/{pk}/harm/", {"outcome": "serious_harm", "category": "sudi"})
    body = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "govuk-warning-text" in body
    assert "Sudden unexpected death in infancy means a baby died" in body
    assert "Explain why it is a sudden unexpected death in infancy if the child survived" in body
    referral = Referral.objects.get(pk=pk)
    assert ("harm", "Explain why it is a sudden unexpected death in infancy if the child survived") in problems(
        referral
    )
    why = "She stopped breathing while co-sleeping and was resuscitated; she has a brain injury."
    response = client.post(
        f"/referrals/{pk}/harm/", {"outcome": "serious_harm", "category": "sudi", "outcome_explanation": why}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.outcome_explanation == why
    assert not [p for p in problems(referral) if p[0] == "harm"]
    # A death in infancy needs no explanation, and neither does serious harm of another kind.
    plain = client.get(f"/referrals/{pk}/harm/")
    assert plain.status_code == 200
    assert client.post(f"/referrals/{pk}/harm/", {"outcome": "died", "category": "sudi"}).status_code == 302
    assert client.post(f"/referrals/{pk}/harm/", {"outcome": "serious_harm", "category": "nai"}).status_code == 302
