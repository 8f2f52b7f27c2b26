from collections.abc import Iterable
from datetime import date
from typing import Any

import pytest
from time_machine import TimeMachineFixture

from cases.models import Case, CaseState
from clocks.models import Clock, ClockRule, ClockStatus
from conftest import SignIn, World
from referrals.models import OtherPartnershipTold, ReferralChild, SeriousIncidentNotification
from referrals.services.triage import TriageAnswers, triage_record
from referrals.tests.helpers import d, make_case


def triaged(world: World, decision: str = "notify", abuse: str = "yes", **kwargs: Any) -> Case:
    case = make_case(world, incident=date(2026, 3, 5), aware=date(2026, 3, 6), **kwargs)
    answers = TriageAnswers(
        meeting_date=date(2026, 3, 9),
        attendee_la="A",
        attendee_icb="B",
        attendee_police="C",
        abuse_or_neglect=abuse,
        death_or_serious_harm="yes",
        decision=decision,
        rationale="",
        local_learning_review=False,
    )
    triage_record(case=case, actor=world.people["coordinator"], expected_version=case.version, answers=answers)
    case.refresh_from_db()
    return case


@pytest.fixture
def today(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to("2026-03-12 15:00 +00:00", tick=False)


def sin(case: Case, children: Iterable[ReferralChild], **overrides: str | list[str]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "version": str(case.version),
        **d("submitted_on", date(2026, 3, 11)),
        "submitted_time": "14:30",
        "panel_reference": "SIN-2026-04412",
        "submitted_by": "Nadia Fenwright",
        "children": [str(c.pk) for c in children],
        "late_reason": "",
        "other_partnerships": "",
    }
    data.update(overrides)
    return data


def test_the_notifier_records_the_sin_which_meets_the_clock_and_starts_the_rapid_review(
    world: World, signed_in: SignIn, today: None
) -> None:
    case = triaged(world, dob=date(2019, 4, 2))
    children = case.referral.children_list()
    client = signed_in(world.people["notifier"])
    form = client.get(f"/referrals/case/{case.reference}/notification/")
    assert form.status_code == 200 and b"Secretary of State and Ofsted only" not in form.content
    response = client.post(
        f"/referrals/case/{case.reference}/notification/",
        sin(case, children, other_partnerships="Southmoor SCP", **d("other_told_on", date(2026, 3, 11))),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.state == CaseState.NOTIFIED
    notification = SeriousIncidentNotification.objects.get(case=case)
    assert notification.to_panel and not notification.to_sos_ofsted and notification.rapid_review_required
    assert Clock.objects.get(case=case, rule=ClockRule.SIN).status == ClockStatus.MET
    rr = Clock.objects.get(case=case, rule=ClockRule.RAPID_REVIEW)
    assert rr.start_date == date(2026, 3, 11)
    assert rr.due_date == date(2026, 4, 1)  # 15 working days after Wednesday 11 March
    assert OtherPartnershipTold.objects.get(case=case).name == "Southmoor SCP"


@pytest.mark.parametrize("key", ["coordinator", "delegate_la", "practitioner", "lead_hospital"])
def test_only_the_la_notifier_may_record_a_sin(world: World, signed_in: SignIn, today: None, key: str) -> None:
    case = triaged(world, dob=date(2019, 4, 2))
    client = signed_in(world.people[key])
    assert client.get(f"/referrals/case/{case.reference}/notification/").status_code == 403
    assert client.post(f"/referrals/case/{case.reference}/notification/", sin(case, [])).status_code == 403
    assert not SeriousIncidentNotification.objects.filter(case=case).exists()


def test_nobody_outside_the_partnership_finds_the_notification_page(
    world: World, signed_in: SignIn, today: None
) -> None:
    case = triaged(world, dob=date(2019, 4, 2))
    assert (
        signed_in(world.people["south_coordinator"]).get(f"/referrals/case/{case.reference}/notification/").status_code
        == 404
    )


def test_a_late_sin_needs_a_reason_and_is_marked_late(
    world: World, signed_in: SignIn, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to("2026-03-20 15:00 +00:00", tick=False)
    case = triaged(world, dob=date(2019, 4, 2))
    children = case.referral.children_list()
    client = signed_in(world.people["notifier"])
    late = sin(case, children, **d("submitted_on", date(2026, 3, 19)))
    response = client.post(f"/referrals/case/{case.reference}/notification/", late)
    assert b"Enter why it was submitted after 13 March 2026" in response.content
    client.post(
        f"/referrals/case/{case.reference}/notification/", {**late, "late_reason": "The police asked us to wait."}
    )
    clock = Clock.objects.get(case=case, rule=ClockRule.SIN)
    assert clock.status == ClockStatus.LATE
    assert clock.reason == "The police asked us to wait."


def test_more_than_four_children_need_more_than_one_notification(world: World, signed_in: SignIn, today: None) -> None:
    case = triaged(world, dob=date(2019, 4, 2), children=5)
    children = case.referral.children_list()
    client = signed_in(world.people["notifier"])
    too_many = client.post(f"/referrals/case/{case.reference}/notification/", sin(case, children))
    assert b"Select up to 4 children" in too_many.content
    client.post(f"/referrals/case/{case.reference}/notification/", sin(case, children[:4]))
    case.refresh_from_db()
    page = client.get(f"/cases/{case.reference}/")
    assert b"Record a notification for the other children" in page.content
    second = client.post(
        f"/referrals/case/{case.reference}/notification/",
        sin(case, children[4:], panel_reference="SIN-2026-04413"),
    )
    assert second.status_code == 302
    assert SeriousIncidentNotification.objects.filter(case=case).count() == 2
    assert Clock.objects.filter(case=case, rule=ClockRule.RAPID_REVIEW).count() == 1
    assert client.get(f"/referrals/case/{case.reference}/notification/").status_code == 302


def test_a_looked_after_childs_death_goes_to_the_secretary_of_state_and_ofsted_with_a_rapid_review(
    world: World, signed_in: SignIn, today: None
) -> None:
    case = triaged(world, dob=date(2019, 4, 2), outcome="died", looked_after="yes")
    client = signed_in(world.people["notifier"])
    client.post(f"/referrals/case/{case.reference}/notification/", sin(case, case.referral.children_list()))
    notification = SeriousIncidentNotification.objects.get(case=case)
    assert notification.to_sos_ofsted and notification.to_panel and notification.rapid_review_required


def test_a_care_leavers_death_at_twenty_goes_to_the_secretary_of_state_and_ofsted_without_a_rapid_review(
    world: World, signed_in: SignIn, today: None
) -> None:
    case = triaged(world, decision="sos_ofsted", abuse="no", dob=date(2005, 6, 1), outcome="died", care_leaver="yes")
    client = signed_in(world.people["notifier"])
    form = client.get(f"/referrals/case/{case.reference}/notification/").content.decode()
    assert "The partners decided this death is notified to the Secretary of State and Ofsted only." in form
    response = client.post(f"/referrals/case/{case.reference}/notification/", sin(case, case.referral.children_list()))
    assert response.status_code == 302
    notification = SeriousIncidentNotification.objects.get(case=case)
    assert notification.to_sos_ofsted and not notification.to_panel and not notification.rapid_review_required
    assert not Clock.objects.filter(case=case, rule=ClockRule.RAPID_REVIEW).exists()
    case.refresh_from_db()
    assert case.state == CaseState.NOTIFIED


def test_a_submission_before_the_la_knew_or_in_the_future_is_refused(
    world: World, signed_in: SignIn, today: None
) -> None:
    case = triaged(world, dob=date(2019, 4, 2))
    children = case.referral.children_list()
    client = signed_in(world.people["notifier"])
    early = client.post(
        f"/referrals/case/{case.reference}/notification/", sin(case, children, **d("submitted_on", date(2026, 3, 1)))
    )
    assert b"must be the same as or after the date the local authority became aware" in early.content
    future = client.post(
        f"/referrals/case/{case.reference}/notification/",
        sin(case, children, **d("submitted_on", date(2026, 3, 12)), submitted_time="18:00"),
    )
    assert b"Time submitted must be in the past" in future.content
    bad_time = client.post(
        f"/referrals/case/{case.reference}/notification/", sin(case, children, submitted_time="25:99")
    )
    assert b"Enter the time as hours and minutes" in bad_time.content


@pytest.mark.parametrize("typed", ["99999999999:00", "١٤:٣٠", "14:30pm", "-1:00"])
def test_a_time_that_is_not_hours_and_minutes_is_refused_and_kept(
    world: World, signed_in: SignIn, today: None, typed: str
) -> None:
    case = triaged(world, dob=date(2019, 4, 2))
    client = signed_in(world.people["notifier"])
    response = client.post(
        f"/referrals/case/{case.reference}/notification/",
        sin(case, case.referral.children_list(), submitted_time=typed),
    )
    assert response.status_code == 200
    assert "Enter the time as hours and minutes, for example 14:30" in response.content.decode()
    assert "Ensure this value" not in response.content.decode()
    assert f'value="{typed}"' in response.content.decode()
    assert not SeriousIncidentNotification.objects.filter(case=case).exists()


def test_a_looked_after_childs_death_without_abuse_or_neglect_needs_no_rapid_review(
    world: World, signed_in: SignIn, today: None
) -> None:
    # Notified to the Secretary of State and Ofsted only, as the triage warning points out (a notification
    # to the Panel always brings a rapid review: referrals/tests/test_triage_criteria.py).
    case = triaged(world, decision="sos_ofsted", abuse="no", dob=date(2012, 4, 2), outcome="died", looked_after="yes")
    client = signed_in(world.people["notifier"])
    client.post(f"/referrals/case/{case.reference}/notification/", sin(case, case.referral.children_list()))
    notification = SeriousIncidentNotification.objects.get(case=case)
    assert notification.to_sos_ofsted and not notification.rapid_review_required
    assert not Clock.objects.filter(case=case, rule=ClockRule.RAPID_REVIEW).exists()


def test_the_triage_page_offers_the_secretary_of_state_route_only_for_a_looked_after_or_care_leaver_death(
    world: World, signed_in: SignIn, today: None
) -> None:
    lac = make_case(
        world,
        incident=date(2026, 3, 5),
        aware=date(2026, 3, 6),
        dob=date(2012, 4, 2),
        outcome="died",
        looked_after="yes",
    )
    other = make_case(
        world,
        incident=date(2026, 3, 5),
        aware=date(2026, 3, 6),
        dob=date(2012, 4, 2),
        first_name="Other",
        place="Elsewhere",
    )
    client = signed_in(world.people["coordinator"])
    assert (
        b"Notify the Secretary of State and Ofsted only"
        in client.get(f"/referrals/case/{lac.reference}/triage/").content
    )
    assert (
        b"Notify the Secretary of State and Ofsted only"
        not in client.get(f"/referrals/case/{other.reference}/triage/").content
    )


def test_a_childs_other_home_authority_is_suggested_as_a_partnership_to_tell(
    world: World, signed_in: SignIn, today: None
) -> None:
    case = triaged(world, dob=date(2019, 4, 2))
    case.referral.children.update(home_local_authority="Southmoor Council")
    page = signed_in(world.people["notifier"]).get(f"/referrals/case/{case.reference}/notification/")
    assert b"Southmoor Council</textarea>" in page.content


def test_the_rapid_reviews_clocks_start_from_its_own_stage_not_from_the_referral(
    world: World, signed_in: SignIn, today: None
) -> None:
    """Recording the notification only says a rapid review is required; the rapid review's stage
    starts its clocks (an effect of the step). Without that stage, the referral starts none."""
    from cases.stage_registry import register, stage_named, stages, unregister

    rapid_review = stage_named("rapidreviews")
    assert rapid_review is not None
    # The stages after it, registered again after it at the end: the order stays INSTALLED_APPS'.
    after = list(stages()[[s.name for s in stages()].index("rapidreviews") + 1 :])
    unregister("rapidreviews")
    try:
        case = triaged(world, dob=date(2019, 4, 2))
        client = signed_in(world.people["notifier"])
        response = client.post(
            f"/referrals/case/{case.reference}/notification/", sin(case, case.referral.children_list())
        )
        assert response.status_code == 302
        assert SeriousIncidentNotification.objects.get(case=case).rapid_review_required
        assert list(Clock.objects.filter(case=case).values_list("rule", flat=True)) == [ClockRule.SIN]
    finally:
        register(rapid_review)
        for stage in after:
            unregister(stage.name)
            register(stage)
