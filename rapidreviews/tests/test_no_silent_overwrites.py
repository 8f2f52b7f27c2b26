"""Two tabs saving the same immediate action, or the same regulation 11 criterion, never lose the
first save without a word: the second is shown what is saved now beside its own text, and its next
Save replaces it knowingly. The same "add an immediate action" form sent twice adds one action."""

import html
from datetime import date
from typing import Any

import pytest

from conftest import SignIn, World
from rapidreviews.models import ImmediateAction, RapidReview, Regulation11Criterion
from rapidreviews.services.meeting import immediate_action_save

pytestmark = pytest.mark.django_db

NEXT_MONTH = {"due_0": "1", "due_1": "2", "due_2": str(date.today().year + 1)}


def page(response: Any) -> str:
    return html.unescape(response.content.decode())


def hidden(text: str, name: str) -> str:
    return text.split(f'name="{name}" value="')[1].split('"')[0]


@pytest.fixture
def action(world: World, asked: RapidReview) -> ImmediateAction:
    return immediate_action_save(
        review=asked,
        actor=world.people["coordinator"],
        action=None,
        values={"description": "Visit the siblings", "owner": "Children's services", "due": date(2027, 2, 1)},
    )


def test_a_second_tab_saving_the_same_action_sees_the_first_save_instead_of_overwriting_it(
    world: World, signed_in: SignIn, asked: RapidReview, action: ImmediateAction
) -> None:
    url = f"/rapid-reviews/{asked.case.reference}/actions/{action.pk}/"
    first, second = signed_in(world.people["coordinator"]), signed_in(world.people["coordinator"])
    opened = page(second.get(url))
    version = hidden(opened, "version")
    common = {"owner": "Children's services", **NEXT_MONTH, "version": version}
    assert first.post(url, {**common, "description": "Visit the siblings", "status": "in_progress"}).status_code == 302
    clash = second.post(url, {**common, "description": "Visit the siblings and the school", "status": "open"})
    assert clash.status_code == 200
    text = page(clash)
    assert "This was changed elsewhere" in text and "What is saved now" in text
    assert "In progress" in text.split("What is saved now")[1], "the first save is shown"
    assert "Visit the siblings and the school" in text, "the second tab's text is kept"
    action.refresh_from_db()
    assert action.status == "in_progress" and action.description == "Visit the siblings"
    again = second.post(
        url,
        {
            **common,
            "version": hidden(text, "version"),
            "description": "Visit the siblings and the school",
            "status": "open",
        },
    )
    assert again.status_code == 302, "the next Save replaces it knowingly"
    action.refresh_from_db()
    assert action.description == "Visit the siblings and the school"


def test_the_same_add_form_sent_twice_adds_one_action(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    client = signed_in(world.people["coordinator"])
    url = f"/rapid-reviews/{asked.case.reference}/actions/new/"
    token = hidden(page(client.get(url)), "token")
    data = {"description": "Check the baby's sleeping place", "owner": "Health visiting", **NEXT_MONTH}
    data |= {"status": "open", "version": "0", "token": token}
    assert client.post(url, data).status_code == 302
    second = client.post(url, data, follow=True)
    assert "This action was saved already: it has not been added twice" in page(second)
    assert ImmediateAction.objects.filter(review=asked).count() == 1


def test_two_tabs_answering_the_same_criterion_do_not_lose_the_first_answer(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    url = f"/rapid-reviews/{asked.case.reference}/meeting/criteria/"
    first, second = signed_in(world.people["coordinator"]), signed_in(world.people["coordinator"])
    opened = page(second.get(url))
    versions = {f"version_{c}": hidden(opened, f"version_{c}") for c in "abcd"}
    assert first.post(url, {**versions, "answer_a": "met", "notes_a": "Learning from 2024 repeated"}).status_code == 302
    clash = second.post(url, {**versions, "answer_a": "not_met", "notes_a": "Nothing new", "answer_b": "met"})
    assert clash.status_code == 200
    text = page(clash)
    assert "Someone else saved these criteria" in text
    assert "Learning from 2024 repeated" in text.split("What is saved now")[1]
    assert "Nothing new" in text, "the second tab's notes are kept on the page"
    note = Regulation11Criterion.objects.get(review=asked, criterion="a")
    assert (note.answer, note.notes) == ("met", "Learning from 2024 repeated")
    assert not Regulation11Criterion.objects.filter(review=asked, criterion="b").exists(), (
        "nothing saved from the clash"
    )
    retry = {f"version_{c}": hidden(text, f"version_{c}") for c in "abcd"}
    assert (
        second.post(url, {**retry, "answer_a": "not_met", "notes_a": "Nothing new", "answer_b": "met"}).status_code
        == 302
    )
    note.refresh_from_db()
    assert (note.answer, note.notes) == ("not_met", "Nothing new")


def test_saving_criteria_unchanged_by_another_tab_is_no_clash(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    url = f"/rapid-reviews/{asked.case.reference}/meeting/criteria/"
    first, second = signed_in(world.people["coordinator"]), signed_in(world.people["coordinator"])
    opened = page(second.get(url))
    versions = {f"version_{c}": hidden(opened, f"version_{c}") for c in "abcd"}
    assert first.post(url, {**versions, "answer_c": "met"}).status_code == 302
    assert second.post(url, {**versions, "answer_a": "unsure", "answer_c": "met"}).status_code == 302
    assert Regulation11Criterion.objects.filter(review=asked).count() == 2


def test_a_version_out_of_range_is_refused_not_a_server_error(
    world: World, signed_in: SignIn, asked: RapidReview, action: ImmediateAction
) -> None:
    client = signed_in(world.people["coordinator"])
    url = f"/rapid-reviews/{asked.case.reference}/actions/{action.pk}/"
    data = {"description": "x", "owner": "y", **NEXT_MONTH, "status": "open", "version": str(2**63 - 1)}
    assert client.post(url, data).status_code == 200
    assert (
        client.post(f"/rapid-reviews/{asked.case.reference}/meeting/criteria/", {"version_a": str(2**63)}).status_code
        == 200
    )
