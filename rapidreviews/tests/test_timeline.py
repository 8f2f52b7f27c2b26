"""The case timeline never shows another agency's drafting: the words of its summary's sections,
chronology entries and key practice episodes are seen by that agency and the coordinator only, as
the summary itself is (rapidreviews/selectors.py); the milestones are seen by everyone who reads
the case record."""

from datetime import date
from typing import Any

import pytest

from audit.models import AuditEvent, Verb
from audit.services import audit_record
from conftest import SignIn, World
from rapidreviews.models import RapidReview
from rapidreviews.services.summaries import (
    agency_summary_save,
    agency_summary_submit,
    chronology_entry_delete,
    chronology_entry_save,
    practice_episode_save,
)
from rapidreviews.tests.helpers import complete, summary_of

pytestmark = pytest.mark.django_db

SECRET_ENTRY = "Seen in the emergency department with a bruise"
SECRET_EPISODE = "Missed health visitor appointment"


@pytest.fixture
def drafting(world: World, asked: RapidReview) -> RapidReview:
    """The hospital drafts (an entry, one removed, an episode, a section); the school submits."""
    hospital, lead = summary_of(asked, world.agencies["hospital"]), world.people["lead_hospital"]
    chronology_entry_save(
        agency_summary=hospital,
        actor=lead,
        entry=None,
        expected_version=0,
        on=date(2026, 1, 5),
        at=None,
        what_happened=SECRET_ENTRY,
        source="Patient record",
        significance="",
    )
    gone = chronology_entry_save(
        agency_summary=hospital,
        actor=lead,
        entry=None,
        expected_version=0,
        on=date(2026, 1, 6),
        at=None,
        what_happened="Removed draft words",
        source="Patient record",
        significance="",
    )
    chronology_entry_delete(agency_summary=hospital, actor=lead, entry=gone)
    practice_episode_save(
        agency_summary=hospital,
        actor=lead,
        episode=None,
        expected_version=0,
        title=SECRET_EPISODE,
        on=None,
        went_well="Recorded",
        could_differ="",
    )
    agency_summary_save(
        agency_summary=hospital, actor=lead, expected_version=hospital.version, fields={"learning": "Draft learning"}
    )
    school = summary_of(asked, world.agencies["school"])
    complete(school, world.people["lead_school"])
    agency_summary_submit(agency_summary=school, actor=world.people["lead_school"], expected_version=school.version)
    return asked


def _timeline(signed_in: SignIn, user: Any, reference: str) -> str:
    response = signed_in(user).get(f"/cases/{reference}/history/")
    assert response.status_code == 200
    return response.content.decode()


def test_another_agencys_lead_sees_none_of_its_drafting_but_sees_its_milestones(
    world: World, signed_in: SignIn, drafting: RapidReview
) -> None:
    for page in ("/cases/{}/", "/cases/{}/history/", "/cases/{}/documents/", "/cases/{}/deadlines/"):
        body = signed_in(world.people["lead_school"]).get(page.format(drafting.case.reference)).content.decode()
        assert SECRET_ENTRY[:30] not in body and SECRET_EPISODE not in body
        assert "Removed draft words"[:15] not in body and "Chronology entry removed" not in body
        assert "Draft summary saved (Northshire" not in body
    history = _timeline(signed_in, world.people["lead_school"], drafting.case.reference)
    assert "Summary sent by" in history, "the school's own milestone"


def test_the_agency_itself_and_the_coordinator_see_its_drafting(
    world: World, signed_in: SignIn, drafting: RapidReview
) -> None:
    for key in ("lead_hospital", "coordinator"):
        body = _timeline(signed_in, world.people[key], drafting.case.reference)
        assert SECRET_ENTRY[:30] in body and SECRET_EPISODE in body and "Chronology entry removed" in body


def test_partners_see_milestones_not_drafting(world: World, signed_in: SignIn, drafting: RapidReview) -> None:
    for key in ("delegate_la", "scrutineer", "chair"):
        body = _timeline(signed_in, world.people[key], drafting.case.reference)
        assert SECRET_ENTRY[:30] not in body and SECRET_EPISODE not in body
        assert "Summary sent by Hollowbrook" in body or "Summary sent by" in body


def test_an_event_whose_agency_cannot_be_told_is_left_out(
    world: World, signed_in: SignIn, drafting: RapidReview
) -> None:
    """An older event without the agency, about a removed row: hidden from everyone but the coordinator."""
    hospital = summary_of(drafting, world.agencies["hospital"])
    entry = hospital.entries.get()
    audit_record(
        actor=world.people["lead_hospital"],
        verb=Verb.UPDATE,
        target=entry,
        case=drafting.case,
        details={"summary": "An older change"},
    )
    event = AuditEvent.objects.filter(details__summary="An older change").get()
    assert "agency_id" not in event.details
    entry.delete()
    assert "An older change" not in _timeline(signed_in, world.people["lead_hospital"], drafting.case.reference)
    assert "An older change" in _timeline(signed_in, world.people["coordinator"], drafting.case.reference)


def test_the_history_shows_what_has_happened_a_page_at_a_time(
    world: World, signed_in: SignIn, drafting: RapidReview, monkeypatch: Any
) -> None:
    monkeypatch.setattr("cases.own_panels.HISTORY_PAGE_EVENTS", 10)
    coordinator = signed_in(world.people["coordinator"])
    body = coordinator.get(f"/cases/{drafting.case.reference}/history/").content.decode()
    assert body.count('class="moj-timeline__item"') == 10
    assert 'aria-label="Page 2"' in body
    page_2 = coordinator.get(f"/cases/{drafting.case.reference}/history/?page=2")
    assert page_2.status_code == 200
    assert "showing 11 to 20" in page_2.content.decode()
    summary = coordinator.get(f"/cases/{drafting.case.reference}/").content.decode()
    assert 'class="moj-timeline__item"' not in summary  # the case page is its summary; history has its own page


def test_autosaves_are_kept_in_the_ledger_but_are_not_news_on_the_timeline(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    school, lead = summary_of(asked, world.agencies["school"]), world.people["lead_school"]
    for text in ("Half", "Half a thought", "Half a thought more"):
        school.refresh_from_db()
        agency_summary_save(
            agency_summary=school,
            actor=lead,
            expected_version=school.version,
            fields={"learning": text},
            complete=False,
        )
    school.refresh_from_db()
    agency_summary_save(
        agency_summary=school, actor=lead, expected_version=school.version, fields={"learning": "Whole"}
    )
    assert AuditEvent.objects.filter(case=asked.case, details__has_key="autosave", details__autosave=True).count() == 3
    body = _timeline(signed_in, lead, asked.case.reference)
    assert "autosaved" not in body and "Draft summary saved" in body


def test_events_recorded_before_the_summary_was_renamed_are_still_kept_to_their_agency(
    world: World, signed_in: SignIn, drafting: RapidReview, monkeypatch: Any
) -> None:
    """The ledger is never rewritten: events about a summary recorded under the model's old name
    still name it, and the timeline still keeps them to the agency."""
    hospital = summary_of(drafting, world.agencies["hospital"])
    monkeypatch.setattr(type(hospital)._meta, "model_name", "agencyreturn")  # renames: keep
    for verb, words in ((Verb.UPDATE, "An old draft of the learning"), (Verb.TRANSITION, "An old milestone")):
        audit_record(
            actor=world.people["lead_hospital"],
            verb=verb,
            target=hospital,
            case=drafting.case,
            details={"summary": words},
        )
    monkeypatch.undo()
    assert AuditEvent.objects.filter(target_type="rapidreviews.agencyreturn").count() == 2  # renames: keep
    school_sees = _timeline(signed_in, world.people["lead_school"], drafting.case.reference)
    assert "An old draft of the learning" not in school_sees and "An old milestone" in school_sees
    assert "An old draft of the learning" in _timeline(
        signed_in, world.people["lead_hospital"], drafting.case.reference
    )
