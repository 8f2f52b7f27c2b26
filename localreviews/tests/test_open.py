"""Opening the local review: the record, the case's step, the 6 months from the decision date."""

from datetime import date

import pytest
from django.core.management import call_command

from audit.models import AuditEvent, Verb
from cases.models import Case, CaseState, StateChange
from cases.workflow_engine import TransitionError, take
from clocks.models import Clock
from conftest import World
from localreviews.clock_rules import SIX_MONTHS
from localreviews.models import DecidedWhen, LocalReview, LocalReviewEvent, LocalReviewStatus, ReviewKind
from localreviews.services import LocalReviewError, local_review_open
from localreviews.workflow import LOCAL_REVIEW_WORKFLOW


def _open(world: World, case: Case, **changes: object) -> LocalReview:
    arguments: dict[str, object] = {
        "case": case,
        "actor": world.people["coordinator"],
        "kind": ReviewKind.LCSPR,
        "alternative_type": "",
        "decided_on": date(2026, 3, 2),
        "decided_when": DecidedWhen.RAPID_REVIEW,
        "rationale": "Learning about discharge planning.",
        "expected_version": case.version,
        "started_on": date(2026, 2, 16),
        **changes,
    }
    return local_review_open(**arguments)  # type: ignore[arg-type]


def test_opening_moves_the_case_on_and_starts_the_six_months(world: World, sent: Case, today: None) -> None:
    review = _open(world, sent)
    sent.refresh_from_db()
    assert (sent.state, sent.stage) == ("local_review", "local_review")
    assert review.status == LocalReviewStatus.COMMISSIONED
    clock = Clock.objects.get(case=sent, rule=SIX_MONTHS)
    # Calendar months from the decision, not from the day it was recorded.
    assert (clock.start_date, clock.due_date) == (date(2026, 3, 2), date(2026, 9, 2))
    assert clock.owner == world.people["coordinator"]
    change = StateChange.objects.get(case=sent, transition="open_local_review")
    assert change.from_state == CaseState.RAPID_REVIEW_SUBMITTED
    event = AuditEvent.objects.filter(case=sent, verb=Verb.TRANSITION).latest("id")
    assert event.details["kind"] == "lcspr" and event.details["decided_on"] == "2026-03-02"


def test_an_alternative_review_needs_its_type(world: World, sent: Case, today: None) -> None:
    with pytest.raises(LocalReviewError, match="type of alternative learning review"):
        _open(world, sent, kind=ReviewKind.ALTERNATIVE)
    review = _open(world, sent, kind=ReviewKind.ALTERNATIVE, alternative_type="Appreciative inquiry")
    assert review.kind_label == "Alternative learning review (Appreciative inquiry)"


@pytest.mark.parametrize(
    ("decided_on", "message"),
    [(date(2026, 3, 21), "today or in the past"), (date(2026, 2, 13), "on or after the rapid review began")],
)
def test_a_decision_date_that_cannot_be_is_refused(
    world: World, sent: Case, today: None, decided_on: date, message: str
) -> None:
    with pytest.raises(LocalReviewError, match=message):
        _open(world, sent, decided_on=decided_on)
    assert not LocalReview.objects.exists()
    assert not Clock.objects.filter(rule=SIX_MONTHS).exists()


def test_nothing_is_kept_when_the_case_changed_meanwhile(world: World, sent: Case, today: None) -> None:
    with pytest.raises(LocalReviewError, match="Someone else changed this case"):
        _open(world, sent, expected_version=sent.version - 1)
    assert not LocalReview.objects.exists()
    sent.refresh_from_db()
    assert sent.state == CaseState.RAPID_REVIEW_SUBMITTED


def test_a_case_whose_rapid_review_was_not_sent_cannot_have_one(world: World, sent: Case, today: None) -> None:
    from rapidreviews.models import RapidReview

    RapidReview.objects.filter(case=sent).update(submitted_at=None)
    with pytest.raises(LocalReviewError, match="once the rapid review has been sent"):
        _open(world, sent)
    assert not LocalReview.objects.exists()


def test_opened_twice_is_refused(world: World, sent: Case, today: None) -> None:
    _open(world, sent)
    sent.refresh_from_db()
    Case.objects.filter(pk=sent.pk).update(state=CaseState.RAPID_REVIEW_SUBMITTED)
    sent.refresh_from_db()
    with pytest.raises(LocalReviewError, match="already been opened"):
        _open(world, sent)
    assert LocalReview.objects.count() == 1


def test_the_review_table_waits_for_a_reviewer(world: World, sent: Case, today: None) -> None:
    review = _open(world, sent)
    coordinator = world.people["coordinator"]
    with pytest.raises(TransitionError, match="reviewer's appointment first"):
        take(LOCAL_REVIEW_WORKFLOW, review, "appoint_reviewer", actor=coordinator, expected_version=review.version)
    review.reviewers.create(
        name="Imelda Fairweather",
        email="imelda@example.org",
        employment="independent",
        organisation="Fairweather Reviews",
        agreement_starts=date(2026, 3, 23),
        agreement_ends=date(2026, 9, 1),
        independent_declared=True,
        independence_statement="No work for any Northshire agency in the last five years.",
        appointed_on=date(2026, 3, 20),
        appointed_by=coordinator,
    )
    take(LOCAL_REVIEW_WORKFLOW, review, "appoint_reviewer", actor=coordinator, expected_version=review.version)
    review.refresh_from_db()
    assert review.status == LocalReviewStatus.REVIEWER_APPOINTED
    assert LocalReviewEvent.objects.get(review=review).to_status == LocalReviewStatus.REVIEWER_APPOINTED
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        take(
            LOCAL_REVIEW_WORKFLOW,
            review,
            "appoint_reviewer",
            actor=world.people["delegate_la"],
            expected_version=review.version,
        )


def test_list_cases_says_the_stage_and_the_review_state(world: World, sent: Case, today: None) -> None:
    import io
    import json

    _open(world, sent)
    out = io.StringIO()
    call_command("list_cases", "--json", stdout=out)
    rows = {r["reference"]: r for r in json.loads(out.getvalue())}
    assert rows[sent.reference]["stage"] == "Local review"
    assert rows[sent.reference]["lcspr_state"] == "commissioned"
    assert rows["SSCP-2026-001"]["stage"] == "Referral"
    assert "lcspr_state" not in rows["SSCP-2026-001"]
