"""Key practice episodes: a repeatable list in each agency's summary, analysed one by one."""

import io
from datetime import date
from typing import Any

import pytest
from docx import Document

from conftest import SignIn, World
from rapidreviews.models import AgencySummary, PracticeEpisode, RapidReview, SummaryStatus
from rapidreviews.rendering.document import document_context, render_docx
from rapidreviews.sections import SECTIONS_BY_SLUG, section_status, summary_answers
from rapidreviews.services.summaries import SummaryStateError, practice_episode_save

pytestmark = pytest.mark.django_db


def school_summary(world: World, review: RapidReview) -> AgencySummary:
    return AgencySummary.objects.get(request__review=review, request__agency=world.agencies["school"])


def url(review: RapidReview, world: World, tail: str) -> str:
    return f"/rapid-reviews/{review.case.reference}/returns/{world.agencies['school'].pk}/{tail}"


def add(agency_summary: AgencySummary, actor: Any, title: str, on: date | None = None) -> PracticeEpisode:
    return practice_episode_save(
        agency_summary=agency_summary,
        actor=actor,
        episode=None,
        expected_version=0,
        title=title,
        on=on,
        went_well=f"{title}: went well",
        could_differ=f"{title}: could differ",
    )


def test_the_section_page_lists_episodes_and_offers_to_add_one(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    client = signed_in(world.people["lead_school"])
    body = client.get(url(asked, world, "practice/")).content.decode()
    assert "No key practice episodes yet" in body
    assert "Add a key practice episode" in body
    add(school_summary(world, asked), world.people["lead_school"], "Attendance meeting", date(2025, 3, 1))
    add(school_summary(world, asked), world.people["lead_school"], "Hungry on arrival", date(2025, 2, 1))
    body = client.get(url(asked, world, "practice/")).content.decode()
    assert body.index("Hungry on arrival") < body.index("Attendance meeting")  # in date order
    assert "Add another episode" in body


def test_a_lead_adds_several_episodes_and_the_section_is_complete(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    client = signed_in(world.people["lead_school"])
    agency_summary = school_summary(world, asked)
    assert section_status(agency_summary, SECTIONS_BY_SLUG["practice"]) == "Not started"
    response = client.post(
        url(asked, world, "episodes/new/"),
        {"version": 0, "title": "Attendance meeting", "date_0": "4", "date_1": "3", "date_2": "2025",
         "went_well": "Mother was seen the same week", "could_differ": "", "add_another": "1"},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"].endswith("/episodes/new/")
    response = client.post(
        url(asked, world, "episodes/new/"),
        {"version": 0, "title": "Absence without explanation", "went_well": "", "could_differ": "No home visit"},
    )
    assert response.status_code == 302 and response["Location"].endswith("/practice/")
    agency_summary.refresh_from_db()
    episodes = list(agency_summary.episodes.all())
    assert [e.title for e in episodes] == ["Attendance meeting", "Absence without explanation"]  # undated last
    assert episodes[0].date == date(2025, 3, 4)
    assert agency_summary.status == SummaryStatus.DRAFT
    assert section_status(agency_summary, SECTIONS_BY_SLUG["practice"]) == "Completed"
    labels = [label for label, _ in summary_answers(agency_summary)]
    assert "Key practice episode 1 of 2" in labels and "Key practice episode 2 of 2" in labels


def test_an_episode_without_analysis_is_refused_and_the_text_kept(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    response = signed_in(world.people["lead_school"]).post(
        url(asked, world, "episodes/new/"),
        {"version": 0, "title": "A name typed with care", "date_0": "31", "date_1": "2", "date_2": "2025"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter what went well, what could have been done differently, or both" in body
    assert "Date of the episode must be a real date" in body
    assert "A name typed with care" in body
    assert not PracticeEpisode.objects.exists()


def test_changing_a_stale_episode_keeps_the_typed_text(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    lead = world.people["lead_school"]
    episode = add(school_summary(world, asked), lead, "Attendance meeting")
    opened_at = episode.version
    practice_episode_save(
        agency_summary=school_summary(world, asked), actor=lead, episode=episode, expected_version=opened_at,
        title="Changed by a colleague", on=None, went_well="x", could_differ="",
    )  # fmt: skip
    response = signed_in(lead).post(
        url(asked, world, f"episodes/{episode.pk}/"),
        {"version": opened_at, "title": "My change", "went_well": "Typed at the same time"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "This was changed elsewhere" in body and "Typed at the same time" in body
    assert "What is saved now" in body and "Changed by a colleague" in body
    episode.refresh_from_db()
    assert episode.title == "Changed by a colleague"
    # Saving again from the clash page replaces the saved version knowingly (the page took its version).
    again = signed_in(lead).post(
        url(asked, world, f"episodes/{episode.pk}/"),
        {"version": episode.version, "title": "My change", "went_well": "Typed at the same time"},
    )
    assert again.status_code == 302
    episode.refresh_from_db()
    assert episode.title == "My change"


def test_removing_an_episode(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    episode = add(school_summary(world, asked), world.people["lead_school"], "Attendance meeting")
    client = signed_in(world.people["lead_school"])
    confirm = client.get(url(asked, world, f"episodes/{episode.pk}/delete/"))
    assert "Are you sure you want to remove “Attendance meeting”?" in confirm.content.decode()
    assert PracticeEpisode.objects.filter(pk=episode.pk).exists(), "asking is not removing"
    response = client.post(url(asked, world, f"episodes/{episode.pk}/delete/"))
    assert response.status_code == 302
    assert not PracticeEpisode.objects.exists()


def test_another_agency_cannot_reach_the_episodes(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    episode = add(school_summary(world, asked), world.people["lead_school"], "Attendance meeting")
    client = signed_in(world.people["lead_hospital"])
    assert client.get(url(asked, world, "practice/")).status_code == 404
    assert client.get(url(asked, world, f"episodes/{episode.pk}/")).status_code == 404
    assert client.post(url(asked, world, f"episodes/{episode.pk}/delete/")).status_code == 404
    assert PracticeEpisode.objects.filter(pk=episode.pk).exists()


def test_a_submitted_return_refuses_episode_changes(world: World, asked: RapidReview) -> None:
    agency_summary = school_summary(world, asked)
    AgencySummary.objects.filter(pk=agency_summary.pk).update(status=SummaryStatus.SUBMITTED)
    agency_summary.refresh_from_db()
    with pytest.raises(SummaryStateError):
        add(agency_summary, world.people["lead_school"], "Too late")


def test_the_document_analyses_each_episode_under_its_agency(world: World, asked: RapidReview) -> None:
    agency_summary = school_summary(world, asked)
    add(agency_summary, world.people["lead_school"], "Attendance meeting", date(2025, 3, 4))
    add(agency_summary, world.people["lead_school"], "Hungry on arrival")
    AgencySummary.objects.filter(pk=agency_summary.pk).update(status=SummaryStatus.ACCEPTED)
    context = document_context(asked)
    [school] = context["returns"]
    assert [e["title"] for e in school["episodes"]] == ["Attendance meeting", "Hungry on arrival"]
    assert school["episodes"][0]["date"] == "4 March 2025"
    text = "\n".join(p.text for p in Document(io.BytesIO(render_docx(context))).paragraphs)
    section = text[text.index("5. Analysis of key practice episodes") : text.index("6. The child's lived")]
    assert "Attendance meeting" in section and "Hungry on arrival: could differ" in section


def test_the_coordinator_reads_a_draft_marked_as_such_with_episode_cards(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    add(school_summary(world, asked), world.people["lead_school"], "Attendance meeting", date(2025, 3, 4))
    body = signed_in(world.people["coordinator"]).get(url(asked, world, "")).content.decode()
    assert "Not yet submitted: this is" in body and "draft and may change" in body
    assert '<h3 class="govuk-summary-card__title">1. Attendance meeting</h3>' in body
    assert "Attendance meeting: could differ" in body
    assert "Key practice episode 1 of 1" not in body, "shown once, as a card, not again as text"
