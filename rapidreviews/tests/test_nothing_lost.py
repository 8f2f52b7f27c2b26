"""Nothing a lead types is lost when the summary changes under their page: sent in another tab, an
item removed elsewhere, the same "add" form sent twice, an answer too long for its column."""

import html
from datetime import date
from typing import Any

import pytest

from conftest import SignIn, World, found
from rapidreviews.models import ChronologyEntry, PracticeEpisode, RapidReview
from rapidreviews.services.summaries import agency_summary_submit, chronology_entry_delete, chronology_entry_save
from rapidreviews.tests.helpers import complete, summary_of

pytestmark = pytest.mark.django_db

ENTRY = {"date_0": "3", "date_1": "3", "date_2": "2025", "what_happened": "Absent for four days", "source": "Register"}


def _base(asked: RapidReview, world: World) -> str:
    return f"/rapid-reviews/{asked.case.reference}/returns/{world.agencies['school'].pk}/"


def test_a_section_saved_after_the_summary_was_sent_elsewhere_gives_the_text_back(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    school = summary_of(asked, world.agencies["school"])
    lead = world.people["lead_school"]
    complete(school, lead)
    agency_summary_submit(agency_summary=school, actor=lead, expected_version=school.version)
    client = signed_in(lead)
    response = client.post(_base(asked, world) + "learning/", {"version": 9, "learning": "Typed in the other tab"})
    body = html.unescape(response.content.decode())
    assert response.status_code == 409
    assert "Your agency's summary has been sent" in body and "Typed in the other tab" in body
    opened = client.get(_base(asked, world) + "learning/")
    assert opened.status_code == 302 and opened["Location"] == _base(asked, world), (
        "back to the summary, with a message"
    )
    assert client.post(_base(asked, world) + "entries/new/", ENTRY).status_code == 409
    assert signed_in(world.people["coordinator"]).post(_base(asked, world) + "learning/", {}).status_code == 403


def test_an_entry_removed_elsewhere_while_changed_comes_back_to_be_added_again(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    school = summary_of(asked, world.agencies["school"])
    lead = world.people["lead_school"]
    entry = chronology_entry_save(
        agency_summary=school, actor=lead, entry=None, expected_version=0, on=date(2025, 3, 3), at=None,
        what_happened="Absent", source="Register", significance="",
    )  # fmt: skip
    gone = entry.pk
    chronology_entry_delete(agency_summary=school, actor=lead, entry=entry)
    client = signed_in(lead)
    response = client.post(_base(asked, world) + f"entries/{gone}/", {**ENTRY, "version": 1})
    body = response.content.decode()
    assert response.status_code == 200
    assert "was removed elsewhere" in body and "Absent for four days" in body
    assert f'action="{_base(asked, world)}entries/new/"' in body
    token = found(r'name="token" value="([^"]+)"', body)
    assert client.post(_base(asked, world) + "entries/new/", {**ENTRY, "version": 0, "token": token}).status_code == 302
    assert ChronologyEntry.objects.filter(agency_summary=school, what_happened="Absent for four days").count() == 1
    assert client.get(_base(asked, world) + f"entries/{gone}/").status_code == 404


@pytest.mark.parametrize(("path", "data", "model"), [
    ("entries/new/", ENTRY, ChronologyEntry),
    ("episodes/new/", {"title": "Attendance meeting", "went_well": "Held promptly"}, PracticeEpisode),
])  # fmt: skip
def test_the_same_add_form_sent_twice_adds_one_item(
    world: World, signed_in: SignIn, asked: RapidReview, path: str, data: dict[str, str], model: Any
) -> None:
    client = signed_in(world.people["lead_school"])
    form = client.get(_base(asked, world) + path).content.decode()
    token = found(r'name="token" value="([^"]+)"', form)
    for _ in range(2):  # Save, then Back and Save again
        assert client.post(_base(asked, world) + path, {**data, "version": 0, "token": token}).status_code == 302
    assert model.objects.count() == 1
    other = found(r'name="token" value="([^"]+)"', client.get(_base(asked, world) + path).content.decode())
    assert other != token
    changed = {**data, "source" if "source" in data else "title": "Another one"}
    client.post(_base(asked, world) + path, {**changed, "version": 0, "token": other})
    assert model.objects.count() == 2, "a new form with other answers is a new item"


def test_a_source_record_longer_than_its_column_is_refused_with_the_text_kept(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    long = "Case note " * 40
    response = signed_in(world.people["lead_school"]).post(
        _base(asked, world) + "entries/new/", {**ENTRY, "source": long, "version": 0}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Source record must be 300 characters or fewer" in body and "Absent for four days" in body
    assert not ChronologyEntry.objects.exists()


def test_back_after_save_and_add_another_then_save_again_adds_one_entry(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    """The browser fetches the form again on Back (the page is not cached), with a new token, and
    refills only the visible answers: the same answers a moment later are the same entry."""
    client = signed_in(world.people["lead_school"])
    path = _base(asked, world) + "entries/new/"
    first = found(r'name="token" value="([^"]+)"', client.get(path).content.decode())
    client.post(path, {**ENTRY, "version": 0, "token": first, "add_another": "1"})
    refetched = found(r'name="token" value="([^"]+)"', client.get(path).content.decode())
    again = client.post(path, {**ENTRY, "version": 0, "token": refetched}, follow=True)
    assert "was saved already: it has not been added twice" in again.content.decode()
    assert ChronologyEntry.objects.count() == 1


def test_the_same_add_form_sent_again_with_a_correction_corrects_the_entry_it_added(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    client = signed_in(world.people["lead_school"])
    path = _base(asked, world) + "entries/new/"
    token = found(r'name="token" value="([^"]+)"', client.get(path).content.decode())
    client.post(path, {**ENTRY, "version": 0, "token": token})
    client.post(path, {**ENTRY, "what_happened": "Absent for five days", "version": 0, "token": token})
    assert list(ChronologyEntry.objects.values_list("what_happened", flat=True)) == ["Absent for five days"]


def test_an_entry_cannot_be_added_to_a_summary_sent_a_moment_ago(world: World, asked: RapidReview) -> None:
    """The summary object in hand still says 'draft'; the row, locked and read again, says 'sent'."""
    from rapidreviews.models import AgencySummary, SummaryStatus
    from rapidreviews.services.summaries import SummaryStateError

    school = summary_of(asked, world.agencies["school"])
    AgencySummary.objects.filter(pk=school.pk).update(status=SummaryStatus.SUBMITTED)
    with pytest.raises(SummaryStateError):
        chronology_entry_save(
            agency_summary=school, actor=world.people["lead_school"], entry=None, expected_version=0,
            on=date(2025, 3, 3), at=None, what_happened="Late", source="Register", significance="",
        )  # fmt: skip
    assert not ChronologyEntry.objects.exists()


def test_the_browser_is_not_told_to_cut_a_long_answer(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    """No maxlength: a paste past it was cut without a word; the server's check keeps it whole."""
    page = signed_in(world.people["lead_school"]).get(_base(asked, world) + "entries/new/").content.decode()
    assert 'name="source"' in page and "maxlength" not in page
