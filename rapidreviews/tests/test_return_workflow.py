"""The agency summary moves through the workflow engine: its table says who may take each step and
from where, and a refused or clashing step leaves the summary, its events and the ledger as they were."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEvent, Verb
from cases.workflow_engine import TransitionError, take
from notifications.models import Message
from rapidreviews.models import AgencyReturn, RapidReview, ReturnEvent, ReturnStatus
from rapidreviews.services.returns import (
    RETURN_WORKFLOW,
    ReturnConflict,
    ReturnStateError,
    agency_return_close,
    agency_return_reopen_for_panel,
    agency_return_review,
    agency_return_save,
    agency_return_submit,
)
from rapidreviews.tests.helpers import complete, return_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(world: Any, asked: RapidReview) -> AgencyReturn:
    agency_return = return_of(asked, world.agencies["school"])
    complete(agency_return, world.people["lead_school"])
    agency_return.refresh_from_db()
    return agency_return


def unchanged(agency_return: AgencyReturn, status: str, version: int) -> None:
    fresh = AgencyReturn.objects.get(pk=agency_return.pk)
    assert (fresh.status, fresh.version) == (status, version)
    assert not ReturnEvent.objects.filter(agency_return=agency_return).exists()
    # No step in the ledger but the draft begun by its lead's first save, if they saved.
    assert {e.details["summary"] for e in transitions(agency_return)} <= {f"Summary from {fresh.agency}: begun"}


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


def test_only_the_agencys_own_lead_sends_its_summary(world: Any, school: AgencyReturn) -> None:
    for someone in ("coordinator", "lead_hospital"):
        with pytest.raises(PermissionDenied):
            agency_return_submit(agency_return=school, actor=world.people[someone], expected_version=school.version)
    unchanged(school, ReturnStatus.DRAFT, school.version)
    assert [s.name for s in RETURN_WORKFLOW.available(world.people["lead_school"], school)] == ["submit"]
    # The coordinator's only step on a summary still with the agency: closing its request.
    assert [s.name for s in RETURN_WORKFLOW.available(world.people["coordinator"], school)] == ["close"]


def test_only_the_coordinator_accepts_or_sends_back(world: Any, school: AgencyReturn) -> None:
    agency_return_submit(agency_return=school, actor=world.people["lead_school"], expected_version=school.version)
    version = school.version
    with pytest.raises(PermissionDenied):
        agency_return_review(agency_return=school, actor=world.people["lead_school"], accept=True, comments="")
    fresh = AgencyReturn.objects.get(pk=school.pk)
    assert (fresh.status, fresh.version) == (ReturnStatus.SUBMITTED, version)
    assert {s.name for s in RETURN_WORKFLOW.available(world.people["coordinator"], fresh)} == {"accept", "send_back"}


def test_an_incomplete_summary_is_held_by_the_guard_with_what_is_missing(world: Any, asked: RapidReview) -> None:
    hospital = return_of(asked, world.agencies["hospital"])
    with pytest.raises(ReturnStateError, match=r"^Complete every section before you submit: "):
        agency_return_submit(
            agency_return=hospital, actor=world.people["lead_hospital"], expected_version=hospital.version
        )
    unchanged(hospital, ReturnStatus.NOT_STARTED, hospital.version)


def test_a_summary_sent_in_another_tab_is_not_sent_again(world: Any, school: AgencyReturn) -> None:
    stale = AgencyReturn.objects.get(pk=school.pk)
    agency_return_submit(agency_return=school, actor=world.people["lead_school"], expected_version=school.version)
    with pytest.raises(ReturnStateError, match=r"^This return has already been submitted$"):
        agency_return_submit(agency_return=stale, actor=world.people["lead_school"], expected_version=school.version)
    assert ReturnEvent.objects.filter(agency_return=school).count() == 1


def test_a_summary_changed_meanwhile_is_a_clash(world: Any, school: AgencyReturn) -> None:
    seen = school.version
    AgencyReturn.objects.filter(pk=school.pk).update(version=seen + 1)  # a save from another tab
    with pytest.raises(ReturnConflict):
        agency_return_submit(agency_return=school, actor=world.people["lead_school"], expected_version=seen)
    unchanged(school, ReturnStatus.DRAFT, seen + 1)
    assert not Message.objects.filter(subject__contains="has sent its summary").exists()


def test_closing_a_request_records_the_reason_and_tells_its_leads(
    world: Any, school: AgencyReturn, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        agency_return_close(agency_return=school, actor=world.people["coordinator"], reason="No answer in time")
    assert (school.status, school.closed_at is not None) == (ReturnStatus.CLOSED, True)
    [event] = ReturnEvent.objects.filter(agency_return=school)
    assert (event.kind, event.comments) == (ReturnEvent.Kind.CLOSED, "No answer in time")
    audited = transitions(school)[-1]
    assert audited.details["reason"] == "No answer in time"
    assert Message.objects.filter(to_email=world.people["lead_school"].email, body__contains="No answer").exists()
    with pytest.raises(ReturnStateError, match="still with the agency"):
        agency_return_close(agency_return=school, actor=world.people["coordinator"], reason="Again")


def transitions(agency_return: AgencyReturn) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            verb=Verb.TRANSITION, target_type="rapidreviews.agencyreturn", target_id=str(agency_return.pk)
        ).order_by("pk")
    )


def test_the_first_save_begins_the_draft_through_the_table(world: Any, asked: RapidReview) -> None:
    hospital = return_of(asked, world.agencies["hospital"])
    agency_return_save(
        agency_return=hospital,
        actor=world.people["lead_hospital"],
        expected_version=hospital.version,
        fields={"learning": "Share the discharge plan"},
    )
    assert hospital.status == ReturnStatus.DRAFT
    [begun] = transitions(hospital)
    assert begun.details["summary"] == f"Summary from {world.agencies['hospital']}: begun"
    # The summary's history is what passed between its lead and the coordinator: nothing yet.
    assert not ReturnEvent.objects.filter(agency_return=hospital).exists()
    agency_return_save(
        agency_return=hospital,
        actor=world.people["lead_hospital"],
        expected_version=hospital.version,
        fields={"learning": "Share the discharge plan early"},
    )
    assert len(transitions(hospital)) == 1  # begun once


def test_only_the_agencys_own_lead_begins_its_summary(world: Any, asked: RapidReview) -> None:
    hospital = return_of(asked, world.agencies["hospital"])
    with pytest.raises(PermissionDenied):
        take(RETURN_WORKFLOW, hospital, "start", actor=world.people["coordinator"], expected_version=hospital.version)
    unchanged(hospital, ReturnStatus.NOT_STARTED, hospital.version)


def accepted(world: Any, agency_return: AgencyReturn) -> AgencyReturn:
    agency_return_submit(
        agency_return=agency_return, actor=world.people["lead_school"], expected_version=agency_return.version
    )
    agency_return_review(agency_return=agency_return, actor=world.people["coordinator"], accept=True, comments="")
    return agency_return


def test_the_panels_reply_sends_an_accepted_summary_back_with_its_words(
    world: Any, school: AgencyReturn, django_capture_on_commit_callbacks: Any
) -> None:
    accepted(world, school)
    version = school.version
    with django_capture_on_commit_callbacks(execute=True):
        agency_return_reopen_for_panel(
            agency_return=school, actor=world.people["coordinator"], comment="The Panel challenges: why?"
        )
    fresh = AgencyReturn.objects.get(pk=school.pk)
    assert (fresh.status, fresh.version) == (ReturnStatus.RETURNED, version + 1)
    assert fresh.coordinator_comments == "The Panel challenges: why?"
    last = ReturnEvent.objects.filter(agency_return=school).last()
    assert last is not None and (last.kind, last.comments) == (ReturnEvent.Kind.RETURNED, "The Panel challenges: why?")
    assert transitions(school)[-1].details == {
        "summary": f"Summary from {world.agencies['school']} reopened by the Panel's response",
        "agency_id": world.agencies["school"].pk,
    }
    assert Message.objects.filter(
        to_email=world.people["lead_school"].email, body__contains="The Panel challenges: why?"
    ).exists()


def test_the_panels_reply_asks_again_for_a_closed_request_from_where_its_lead_left_it(
    world: Any, asked: RapidReview, school: AgencyReturn, django_capture_on_commit_callbacks: Any
) -> None:
    hospital = return_of(asked, world.agencies["hospital"])  # never begun
    for agency_return in (school, hospital):
        agency_return_close(agency_return=agency_return, actor=world.people["coordinator"], reason="No answer")
    with django_capture_on_commit_callbacks(execute=True):
        for agency_return in (school, hospital):
            agency_return_reopen_for_panel(
                agency_return=agency_return, actor=world.people["coordinator"], comment="The Panel asks for more"
            )
    for agency_return, status in ((school, ReturnStatus.DRAFT), (hospital, ReturnStatus.NOT_STARTED)):
        fresh = AgencyReturn.objects.get(pk=agency_return.pk)
        assert (fresh.status, fresh.closed_at) == (status, None)
        last = ReturnEvent.objects.filter(agency_return=agency_return).last()
        assert last is not None and last.kind == ReturnEvent.Kind.REOPENED
        assert transitions(agency_return)[-1].details["summary"] == (
            f"Request to {agency_return.agency} reopened by the Panel's response"
        )
    for lead in ("lead_school", "lead_hospital"):
        assert Message.objects.filter(to_email=world.people[lead].email, body__contains="The Panel asks for more")


def test_the_panels_steps_are_refused_from_any_other_state_and_to_anyone_but_the_coordinator(
    world: Any, asked: RapidReview, school: AgencyReturn
) -> None:
    coordinator = world.people["coordinator"]
    for name in ("reopen_for_panel", "ask_again", "ask_again_unstarted"):
        with pytest.raises(TransitionError):
            take(RETURN_WORKFLOW, school, name, actor=coordinator, expected_version=school.version)
    with pytest.raises(PermissionDenied):
        take(RETURN_WORKFLOW, school, "ask_again", actor=world.people["lead_school"], expected_version=school.version)
    unchanged(school, ReturnStatus.DRAFT, school.version)
    # A closed request its lead never began is not reopened as a draft, nor one begun as not started.
    hospital = return_of(asked, world.agencies["hospital"])
    agency_return_close(agency_return=hospital, actor=coordinator, reason="No answer")
    with pytest.raises(TransitionError, match="Nothing was written"):
        take(RETURN_WORKFLOW, hospital, "ask_again", actor=coordinator, expected_version=hospital.version)
    agency_return_close(agency_return=school, actor=coordinator, reason="No answer")
    with pytest.raises(TransitionError, match="Something was written"):
        take(RETURN_WORKFLOW, school, "ask_again_unstarted", actor=coordinator, expected_version=school.version)
