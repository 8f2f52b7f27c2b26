"""The agency summary moves through the workflow engine: its table says who may take each step and
from where, and a refused or clashing step leaves the summary, its events and the ledger as they were."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEvent, Verb
from cases.workflow_engine import TransitionError, take
from notifications.models import Message
from rapidreviews.models import AgencySummary, RapidReview, SummaryEvent, SummaryStatus
from rapidreviews.services.summaries import (
    RETURN_WORKFLOW,
    SummaryConflict,
    SummaryStateError,
    agency_summary_check,
    agency_summary_close,
    agency_summary_reopen_for_panel,
    agency_summary_save,
    agency_summary_submit,
)
from rapidreviews.tests.helpers import complete, summary_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(world: Any, asked: RapidReview) -> AgencySummary:
    agency_summary = summary_of(asked, world.agencies["school"])
    complete(agency_summary, world.people["lead_school"])
    agency_summary.refresh_from_db()
    return agency_summary


def unchanged(agency_summary: AgencySummary, status: str, version: int) -> None:
    fresh = AgencySummary.objects.get(pk=agency_summary.pk)
    assert (fresh.status, fresh.version) == (status, version)
    assert not SummaryEvent.objects.filter(agency_summary=agency_summary).exists()
    # No step in the ledger but the draft begun by its lead's first save, if they saved.
    assert {e.details["summary"] for e in transitions(agency_summary)} <= {f"Summary from {fresh.agency}: begun"}


def test_the_table_names_every_step_and_where_each_leaves_from() -> None:
    steps = RETURN_WORKFLOW.steps()
    assert {name: (sorted(s.sources), s.target) for name, s in steps.items()} == {
        "start": (["not_started"], "draft"),
        "submit": (["draft", "not_started", "returned"], "submitted"),
        "accept": (["submitted"], "accepted"),
        "send_back": (["submitted"], "returned"),
        "close": (["draft", "not_started", "returned"], "closed"),
        "reopen_for_panel": (["accepted"], "returned"),
        "ask_again": (["closed"], "draft"),
        "ask_again_unstarted": (["closed"], "not_started"),
    }


def test_only_the_agencys_own_lead_sends_its_summary(world: Any, school: AgencySummary) -> None:
    for someone in ("coordinator", "lead_hospital"):
        with pytest.raises(PermissionDenied):
            agency_summary_submit(agency_summary=school, actor=world.people[someone], expected_version=school.version)
    unchanged(school, SummaryStatus.DRAFT, school.version)
    assert [s.name for s in RETURN_WORKFLOW.available(world.people["lead_school"], school)] == ["submit"]
    # The coordinator's only step on a summary still with the agency: closing its request.
    assert [s.name for s in RETURN_WORKFLOW.available(world.people["coordinator"], school)] == ["close"]


def test_only_the_coordinator_accepts_or_sends_back(world: Any, school: AgencySummary) -> None:
    agency_summary_submit(agency_summary=school, actor=world.people["lead_school"], expected_version=school.version)
    version = school.version
    with pytest.raises(PermissionDenied):
        agency_summary_check(agency_summary=school, actor=world.people["lead_school"], accept=True, comments="")
    fresh = AgencySummary.objects.get(pk=school.pk)
    assert (fresh.status, fresh.version) == (SummaryStatus.SUBMITTED, version)
    assert {s.name for s in RETURN_WORKFLOW.available(world.people["coordinator"], fresh)} == {"accept", "send_back"}


def test_an_incomplete_summary_is_held_by_the_guard_with_what_is_missing(world: Any, asked: RapidReview) -> None:
    hospital = summary_of(asked, world.agencies["hospital"])
    with pytest.raises(SummaryStateError, match=r"^Complete every section before you submit: "):
        agency_summary_submit(
            agency_summary=hospital, actor=world.people["lead_hospital"], expected_version=hospital.version
        )
    unchanged(hospital, SummaryStatus.NOT_STARTED, hospital.version)


def test_a_summary_sent_in_another_tab_is_not_sent_again(world: Any, school: AgencySummary) -> None:
    stale = AgencySummary.objects.get(pk=school.pk)
    agency_summary_submit(agency_summary=school, actor=world.people["lead_school"], expected_version=school.version)
    with pytest.raises(SummaryStateError, match=r"^This return has already been submitted$"):
        agency_summary_submit(agency_summary=stale, actor=world.people["lead_school"], expected_version=school.version)
    assert SummaryEvent.objects.filter(agency_summary=school).count() == 1


def test_a_summary_changed_meanwhile_is_a_clash(world: Any, school: AgencySummary) -> None:
    seen = school.version
    AgencySummary.objects.filter(pk=school.pk).update(version=seen + 1)  # a save from another tab
    with pytest.raises(SummaryConflict):
        agency_summary_submit(agency_summary=school, actor=world.people["lead_school"], expected_version=seen)
    unchanged(school, SummaryStatus.DRAFT, seen + 1)
    assert not Message.objects.filter(subject__contains="has sent its summary").exists()


def test_closing_a_request_records_the_reason_and_tells_its_leads(
    world: Any, school: AgencySummary, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        agency_summary_close(agency_summary=school, actor=world.people["coordinator"], reason="No answer in time")
    assert (school.status, school.closed_at is not None) == (SummaryStatus.CLOSED, True)
    [event] = SummaryEvent.objects.filter(agency_summary=school)
    assert (event.kind, event.comments) == (SummaryEvent.Kind.CLOSED, "No answer in time")
    audited = transitions(school)[-1]
    assert audited.details["reason"] == "No answer in time"
    assert Message.objects.filter(to_email=world.people["lead_school"].email, body__contains="No answer").exists()
    with pytest.raises(SummaryStateError, match="still with the agency"):
        agency_summary_close(agency_summary=school, actor=world.people["coordinator"], reason="Again")


def transitions(agency_summary: AgencySummary) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            verb=Verb.TRANSITION, target_type="rapidreviews.agencysummary", target_id=str(agency_summary.pk)
        ).order_by("pk")
    )


def test_the_first_save_begins_the_draft_through_the_table(world: Any, asked: RapidReview) -> None:
    hospital = summary_of(asked, world.agencies["hospital"])
    agency_summary_save(
        agency_summary=hospital,
        actor=world.people["lead_hospital"],
        expected_version=hospital.version,
        fields={"learning": "Share the discharge plan"},
    )
    assert hospital.status == SummaryStatus.DRAFT
    [begun] = transitions(hospital)
    assert begun.details["summary"] == f"Summary from {world.agencies['hospital']}: begun"
    # The summary's history is what passed between its lead and the coordinator: nothing yet.
    assert not SummaryEvent.objects.filter(agency_summary=hospital).exists()
    agency_summary_save(
        agency_summary=hospital,
        actor=world.people["lead_hospital"],
        expected_version=hospital.version,
        fields={"learning": "Share the discharge plan early"},
    )
    assert len(transitions(hospital)) == 1  # begun once


def test_only_the_agencys_own_lead_begins_its_summary(world: Any, asked: RapidReview) -> None:
    hospital = summary_of(asked, world.agencies["hospital"])
    with pytest.raises(PermissionDenied):
        take(RETURN_WORKFLOW, hospital, "start", actor=world.people["coordinator"], expected_version=hospital.version)
    unchanged(hospital, SummaryStatus.NOT_STARTED, hospital.version)


def accepted(world: Any, agency_summary: AgencySummary) -> AgencySummary:
    agency_summary_submit(
        agency_summary=agency_summary, actor=world.people["lead_school"], expected_version=agency_summary.version
    )
    agency_summary_check(agency_summary=agency_summary, actor=world.people["coordinator"], accept=True, comments="")
    return agency_summary


def test_the_panels_reply_sends_an_accepted_summary_back_with_its_words(
    world: Any, school: AgencySummary, django_capture_on_commit_callbacks: Any
) -> None:
    accepted(world, school)
    version = school.version
    with django_capture_on_commit_callbacks(execute=True):
        agency_summary_reopen_for_panel(
            agency_summary=school, actor=world.people["coordinator"], comment="The Panel challenges: why?"
        )
    fresh = AgencySummary.objects.get(pk=school.pk)
    assert (fresh.status, fresh.version) == (SummaryStatus.RETURNED, version + 1)
    assert fresh.coordinator_comments == "The Panel challenges: why?"
    last = SummaryEvent.objects.filter(agency_summary=school).last()
    assert last is not None and (last.kind, last.comments) == (SummaryEvent.Kind.RETURNED, "The Panel challenges: why?")
    assert transitions(school)[-1].details == {
        "summary": f"Summary from {world.agencies['school']} reopened by the Panel's response",
        "agency_id": world.agencies["school"].pk,
    }
    assert Message.objects.filter(
        to_email=world.people["lead_school"].email, body__contains="The Panel challenges: why?"
    ).exists()


def test_the_panels_reply_asks_again_for_a_closed_request_from_where_its_lead_left_it(
    world: Any, asked: RapidReview, school: AgencySummary, django_capture_on_commit_callbacks: Any
) -> None:
    hospital = summary_of(asked, world.agencies["hospital"])  # never begun
    for agency_summary in (school, hospital):
        agency_summary_close(agency_summary=agency_summary, actor=world.people["coordinator"], reason="No answer")
    with django_capture_on_commit_callbacks(execute=True):
        for agency_summary in (school, hospital):
            agency_summary_reopen_for_panel(
                agency_summary=agency_summary, actor=world.people["coordinator"], comment="The Panel asks for more"
            )
    for agency_summary, status in ((school, SummaryStatus.DRAFT), (hospital, SummaryStatus.NOT_STARTED)):
        fresh = AgencySummary.objects.get(pk=agency_summary.pk)
        assert (fresh.status, fresh.closed_at) == (status, None)
        last = SummaryEvent.objects.filter(agency_summary=agency_summary).last()
        assert last is not None and last.kind == SummaryEvent.Kind.REOPENED
        assert transitions(agency_summary)[-1].details["summary"] == (
            f"Request to {agency_summary.agency} reopened by the Panel's response"
        )
    for lead in ("lead_school", "lead_hospital"):
        assert Message.objects.filter(to_email=world.people[lead].email, body__contains="The Panel asks for more")


def test_the_panels_steps_are_refused_from_any_other_state_and_to_anyone_but_the_coordinator(
    world: Any, asked: RapidReview, school: AgencySummary
) -> None:
    coordinator = world.people["coordinator"]
    for name in ("reopen_for_panel", "ask_again", "ask_again_unstarted"):
        with pytest.raises(TransitionError):
            take(RETURN_WORKFLOW, school, name, actor=coordinator, expected_version=school.version)
    with pytest.raises(PermissionDenied):
        take(RETURN_WORKFLOW, school, "ask_again", actor=world.people["lead_school"], expected_version=school.version)
    unchanged(school, SummaryStatus.DRAFT, school.version)
    # A closed request its lead never began is not reopened as a draft, nor one begun as not started.
    hospital = summary_of(asked, world.agencies["hospital"])
    agency_summary_close(agency_summary=hospital, actor=coordinator, reason="No answer")
    with pytest.raises(TransitionError, match="Nothing was written"):
        take(RETURN_WORKFLOW, hospital, "ask_again", actor=coordinator, expected_version=hospital.version)
    agency_summary_close(agency_summary=school, actor=coordinator, reason="No answer")
    with pytest.raises(TransitionError, match="Something was written"):
        take(RETURN_WORKFLOW, school, "ask_again_unstarted", actor=coordinator, expected_version=school.version)
