"""The agency summary moves through the workflow engine: its table says who may take each step and
from where, and a refused or clashing step leaves the summary, its events and the ledger as they were."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEvent, Verb
from notifications.models import Message
from rapidreviews.models import AgencySummary, RapidReview, SummaryEvent, SummaryStatus
from rapidreviews.services.summaries import (
    RETURN_WORKFLOW,
    SummaryConflict,
    SummaryStateError,
    agency_summary_check,
    agency_summary_close,
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
    assert not AuditEvent.objects.filter(
        verb=Verb.TRANSITION, target_type="rapidreviews.agencysummary", target_id=str(agency_summary.pk)
    ).exists()


def test_the_table_names_the_four_steps_and_where_each_leaves_from() -> None:
    steps = RETURN_WORKFLOW.steps()
    assert {name: (sorted(s.sources), s.target) for name, s in steps.items()} == {
        "submit": (["draft", "not_started", "returned"], "submitted"),
        "accept": (["submitted"], "accepted"),
        "send_back": (["submitted"], "returned"),
        "close": (["draft", "not_started", "returned"], "closed"),
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
    [audited] = AuditEvent.objects.filter(
        verb=Verb.TRANSITION, target_type="rapidreviews.agencysummary", target_id=str(school.pk)
    )
    assert audited.details["reason"] == "No answer in time"
    assert Message.objects.filter(to_email=world.people["lead_school"].email, body__contains="No answer").exists()
    with pytest.raises(SummaryStateError, match="still with the agency"):
        agency_summary_close(agency_summary=school, actor=world.people["coordinator"], reason="Again")
