"""A stage is one registration: everything the platform asks of it comes from its Stage, and a
stage nobody told the platform about plugs in (cases/tests/tiny_stage is registered here only)."""

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from audit.models import AuditEvent
from cases import stage_registry
from cases.models import CaseStage, CaseState, StateChange
from cases.stage_registry import Stage, registered
from cases.stages import stage_text
from cases.tests.tiny_stage.stage import FAMILY_TOLD, RULE
from cases.tests.tiny_stage.stage import stage as tiny_stage
from cases.workflow import available_transitions, case_transition, transitions
from clocks.models import Clock, ClockRule
from clocks.rules import Basis, ClockRuleSpec, compute_due
from conftest import SignIn, World
from referrals.tests.helpers import make_case


def test_the_installed_stages_are_found_without_any_platform_file_naming_them() -> None:
    names = [s.name for s in stage_registry.stages()]
    # INSTALLED_APPS order: the platform's parts, then the journeys (and the national reviews,
    # a part of the case beside the journeys, after the reviews whose reply they follow).
    assert names == ["cases", "clocks", "notifications", "referrals", "rapidreviews", "localreviews", "nationalreviews"]
    journeys = [s.name for s in stage_registry.stages() if s.journey]
    assert journeys == ["referrals", "rapidreviews", "localreviews"]


def test_the_walk_finds_each_stages_url_rules_through_the_registry() -> None:
    from core.tests.url_access import RULES  # the walk's table, which merges the stages' rows

    assert "referrals:triage" in RULES
    assert "rapidreviews:workspace" in RULES
    assert set(stage_registry.url_rules()) <= set(RULES)


def test_the_case_keeps_a_coarse_stage_from_the_stage_that_holds_its_state() -> None:
    assert stage_registry.case_stage(CaseState.REFERRED) == CaseStage.REFERRAL
    assert stage_registry.case_stage(CaseState.NOTIFIED) == CaseStage.REFERRAL
    assert stage_registry.case_stage(CaseState.RAPID_REVIEW_SUBMITTED) == CaseStage.RAPID_REVIEW
    assert stage_registry.case_stage(CaseState.CLOSED) == CaseStage.CLOSED
    # Every state of the workflow belongs to exactly one stage.
    for state in CaseState:
        assert sum(any(st.value == state for st in s.states) for s in stage_registry.stages()) == 1, state


def test_two_stages_cannot_register_the_same_clock_rule() -> None:
    clash = Stage(
        name="clash",
        clock_rules=(ClockRuleSpec(ClockRule.SIN, "Another SIN", starts="-", ends="-", days=3),),
    )
    with pytest.raises(ValueError, match="registered by 'referrals'"):
        stage_registry.register(clash)
    assert stage_registry.stage_named("clash") is None


def test_a_clock_rule_needs_exactly_one_length() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        ClockRuleSpec("bad", "Bad", starts="-", ends="-", days=3, setting="rapid_review_days")
    with pytest.raises(ValueError, match="calendar"):
        ClockRuleSpec("bad", "Bad", starts="-", ends="-", months=2)


def test_a_stages_tick_jobs_run_on_the_schedulers_tick_and_go_with_the_stage(db: Any) -> None:
    from rapidreviews.services.signoff import sign_offs_settle

    # The rapid review's comment window ends on time, not on a click: its stage brings the job.
    assert sign_offs_settle in stage_registry.tick_jobs()
    runs: list[date] = []

    def letters_due() -> int:
        runs.append(date.today())
        return 2

    with registered(Stage(name="ticking", tick_jobs=(letters_due,))):
        out = StringIO()
        call_command("tick", stdout=out)
        assert len(runs) == 1
        assert "2 other scheduled steps done" in out.getvalue()
    call_command("tick", verbosity=0)
    assert len(runs) == 1
    assert letters_due not in stage_registry.tick_jobs()


def test_an_unregistered_stages_rule_is_unknown_to_the_clocks() -> None:
    with pytest.raises(ValueError, match="Unknown clock rule"):
        compute_due(RULE, date(2026, 3, 9), None, frozenset())


def test_a_new_stage_plugs_in_without_editing_the_platform(world: World, signed_in: SignIn) -> None:
    """Its effect runs on the step it names, its clock follows its own rule over a bank holiday,
    its section shows on the case page, and all of it goes when the stage does."""
    case = make_case(world, incident=date(2026, 3, 30), aware=date(2026, 3, 31), dob=date(2019, 4, 2))
    coordinator = world.people["coordinator"]
    with registered(tiny_stage):
        assert stage_registry.stage_named("tiny_stage") is tiny_stage
        case_transition(
            case=case,
            name="decide_not_notify",
            actor=coordinator,
            expected_version=case.version,
            context={"decided_on": date(2026, 4, 2)},
        )
        clock = Clock.objects.get(case=case, rule=RULE)
        # Thursday 2 April 2026, then Good Friday and Easter Monday: 7, 8, 9 April.
        assert clock.due_date == date(2026, 4, 9)
        assert clock.get_rule_display() == "Letter to the family"
        assert AuditEvent.objects.filter(case=case, details__rule=RULE).exists()
        page = signed_in(coordinator).get(f"/cases/{case.reference}/").content.decode()
        assert "Office closure days" in page
        assert "Record the letter to the family" in page  # the case page offers the stage's own step
        assert [r.basis for r in stage_registry.clock_rules() if r.name == RULE] == [Basis.WORKING]
        # Its own state, and the step into it, which the coordinator is offered and which meets the clock.
        case.refresh_from_db()
        assert "tell_family" in [t.name for t in available_transitions(coordinator, case)]
        assert FAMILY_TOLD in transitions()["close"].sources
        case_transition(
            case=case,
            name="tell_family",
            actor=coordinator,
            expected_version=case.version,
            context={"sent_on": date(2026, 4, 8)},
        )
        case.refresh_from_db()
        assert (case.state, case.get_state_display(), case.stage) == (FAMILY_TOLD, "Family told", "local_review")
        assert stage_text(case) == "The family has been told in writing."
        assert Clock.objects.get(case=case, rule=RULE).status == "met"
    assert stage_registry.stage_named("tiny_stage") is None
    assert "tell_family" not in transitions()
    assert RULE not in [r.name for r in stage_registry.clock_rules()]
    assert "Office closure days" not in signed_in(coordinator).get(f"/cases/{case.reference}/").content.decode()


def test_the_deadlines_filter_lists_the_journeys_rules_in_their_order_then_the_rest() -> None:
    from clocks.forms import rule_choices

    assert [name for name, _ in rule_choices()] == [
        "",
        "sin",
        "rapid_review",
        "rr_requests_out",
        "rr_returns",
        "rr_meeting",
        "rr_sign_off",
        "rr_submission",
        "panel_reply",
        "lcspr",
        "publication_notice",
        "lr_publication_earliest",
        "lr_written_request",
        "lr_accuracy",
    ]


def test_the_case_list_filters_by_the_states_in_the_order_a_case_goes_through_them() -> None:
    assert [s.value for s in stage_registry.states()] == [
        "draft",
        "referred",
        "not_notified",
        "to_notify",
        "notified",
        "rapid_review",
        "rapid_review_submitted",
        "local_review",
        "closed",
    ]


def test_a_status_change_names_its_states_by_the_labels_their_stages_give() -> None:
    change = StateChange(from_state=CaseState.REFERRED, to_state=CaseState.CLOSED)
    assert str(change) == "Status changed from Referred, awaiting triage to Closed"
    with registered(tiny_stage):
        told = StateChange(from_state=CaseState.NOT_NOTIFIED, to_state=FAMILY_TOLD)
        assert str(told) == "Status changed from Decided not to notify to Family told"
