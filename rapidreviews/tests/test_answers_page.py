"""The five short free-text sections of a summary on one page: one Save for all five, while each
section is still saved, versioned and autosaved on its own, and a clash on one section neither
loses its text nor holds up the others."""

import html
import re

import pytest

from conftest import SignIn, World
from core.tests.queries import max_page_queries
from rapidreviews.models import AgencySummary, RapidReview
from rapidreviews.sections import SECTIONS_BY_SLUG, section_status
from rapidreviews.services.summaries import agency_summary_save, agency_summary_submit, section_version
from rapidreviews.tests.helpers import complete, summary_of

pytestmark = pytest.mark.django_db

ANSWERS = {
    "lived_experience": "Quiet and watchful at school.",
    "inequalities": "No interpreter was offered to the mother.",
    "immediate_actions": "Attendance officers briefed.",
    "learning": "Share attendance concerns sooner.",
    "parallel_processes": "Police investigation.",
}
SLUGS = ("lived-experience", "inequalities", "immediate-actions", "learning", "parallel-processes")


def _summary(asked: RapidReview, world: World) -> str:
    return f"/rapid-reviews/{asked.case.reference}/returns/{world.agencies['school'].pk}/"


def _page(asked: RapidReview, world: World) -> str:
    return _summary(asked, world) + "answers/"


def _form_data(body: str) -> dict[str, str]:
    """The hidden fields of the page as it was given (each section's version and editor token)."""
    return dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', body))


def test_the_five_short_sections_are_saved_from_one_page_each_with_its_own_version(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    school = summary_of(asked, world.agencies["school"])
    client = signed_in(world.people["lead_school"])
    body = client.get(_page(asked, world)).content.decode()
    for slug in SLUGS:
        assert f'id="{slug}"' in body, f"the page has a part for {slug}, so the task list can link to it"
    hidden = _form_data(body)
    assert {hidden[f"{name}_version"] for name in ANSWERS} == {"0"}
    response = client.post(_page(asked, world), {**hidden, **ANSWERS})
    assert response.status_code == 302 and response["Location"] == _summary(asked, world)
    school.refresh_from_db()
    for slug in SLUGS:
        assert section_status(school, SECTIONS_BY_SLUG[slug]) == "Completed"
        assert section_version(school, slug) == 1, "each section is saved on its own, once"
    assert [getattr(school, name) for name in ANSWERS] == list(ANSWERS.values())


def test_the_summarys_task_list_takes_each_short_section_to_its_part_of_the_one_page(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    client = signed_in(world.people["lead_school"])
    body = client.get(_summary(asked, world)).content.decode()
    for slug in SLUGS:
        assert f'href="{_page(asked, world)}#{slug}"' in body
    opened = client.get(_summary(asked, world) + "learning/")
    assert opened.status_code == 302 and opened["Location"] == _page(asked, world) + "#learning"


def test_each_part_of_the_one_page_autosaves_to_its_own_sections_address(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    body = signed_in(world.people["lead_school"]).get(_page(asked, world)).content.decode()
    for slug in SLUGS:
        assert f'data-autosave-url="{_summary(asked, world)}{slug}/autosave/"' in body
    assert body.count('data-autosave-as="version"') == 5 and body.count('data-autosave-as="editor"') == 5


def test_a_clash_on_one_section_of_the_page_keeps_its_text_and_saves_the_others(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    school = summary_of(asked, world.agencies["school"])
    client = signed_in(world.people["lead_school"])
    hidden = _form_data(client.get(_page(asked, world)).content.decode())
    agency_summary_save(
        agency_summary=school, actor=world.people["lead_school"], expected_version=0,
        fields={"learning": "Saved in another tab"}, section="learning",
    )  # fmt: skip
    response = client.post(_page(asked, world), {**hidden, **ANSWERS})
    body = html.unescape(response.content.decode())
    assert response.status_code == 200 and "<title>Error:" in body
    assert "Learning identified was changed elsewhere" in body
    assert "Saved in another tab" in body and ANSWERS["learning"] in body, "what is saved now, beside their own text"
    assert 'data-autosave-url="' + _summary(asked, world) + 'learning/autosave/"' not in body, (
        "after a clash only the Save button replaces the saved text"
    )
    school.refresh_from_db()
    assert school.learning == "Saved in another tab"
    assert school.lived_experience == ANSWERS["lived_experience"], "the other sections are saved"
    again = _form_data(body)
    assert again["learning_version"] == str(section_version(school, "learning"))
    assert again["lived_experience_version"] == "1", "the page carries the version its own save made"
    assert client.post(_page(asked, world), {**again, **ANSWERS}).status_code == 302
    school.refresh_from_db()
    assert school.learning == ANSWERS["learning"], "saved again, knowingly"
    assert section_version(school, "lived-experience") == 1, "an unchanged, completed section is not saved again"


def test_the_one_page_sent_after_the_summary_was_sent_gives_every_answer_back(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    school = summary_of(asked, world.agencies["school"])
    lead = world.people["lead_school"]
    client = signed_in(lead)
    hidden = _form_data(client.get(_page(asked, world)).content.decode())
    complete(school, lead)
    agency_summary_submit(agency_summary=school, actor=lead, expected_version=school.version)
    response = client.post(_page(asked, world), {**hidden, **ANSWERS})
    body = html.unescape(response.content.decode())
    assert response.status_code == 409 and "Your agency's summary has been sent" in body
    assert all(answer in body for answer in ANSWERS.values())
    assert AgencySummary.objects.get(pk=school.pk).learning == "Text for learning"


def test_the_one_page_is_written_only_by_the_agencys_lead(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    assert signed_in(world.people["coordinator"]).get(_page(asked, world)).status_code == 403
    assert signed_in(world.people["lead_hospital"]).get(_page(asked, world)).status_code == 404


def test_saving_the_page_with_nothing_typed_says_so_rather_than_success(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    client = signed_in(world.people["lead_school"])
    hidden = _form_data(client.get(_page(asked, world)).content.decode())
    page = client.post(_page(asked, world), hidden, follow=True).content.decode()
    assert "govuk-notification-banner--success" not in page and "Nothing has been entered yet" in page
    assert section_version(summary_of(asked, world.agencies["school"]), "learning") == 0


def test_emptying_a_section_on_the_one_page_says_it_was_cleared_not_saved(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    client = signed_in(world.people["lead_school"])
    hidden = _form_data(client.get(_page(asked, world)).content.decode())
    client.post(_page(asked, world), {**hidden, **ANSWERS}, follow=True)
    hidden = _form_data(client.get(_page(asked, world)).content.decode())
    page = client.post(_page(asked, world), {**hidden, **ANSWERS, "learning": ""}, follow=True).content.decode()
    assert "govuk-notification-banner--success" not in page
    assert "Cleared: Learning identified. Nothing is entered there now." in page
    assert summary_of(asked, world.agencies["school"]).learning == ""


def test_the_one_page_stays_within_its_query_budget(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    client = signed_in(world.people["lead_school"])
    client.get(_page(asked, world))
    with max_page_queries():
        assert client.get(_page(asked, world)).status_code == 200
