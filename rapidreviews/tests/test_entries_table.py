"""Chronology entries typed as rows of a table: one Save for several entries, nothing lost."""

import html
from datetime import date, time

import pytest

from audit.models import AuditEvent
from conftest import SignIn, World, found
from core.tests.queries import max_page_queries
from rapidreviews.models import ChronologyEntry, RapidReview, SummaryStatus
from rapidreviews.services.summaries import agency_summary_submit
from rapidreviews.tests.helpers import complete, summary_of

pytestmark = pytest.mark.django_db


def _page(asked: RapidReview, world: World) -> str:
    return f"/rapid-reviews/{asked.case.reference}/returns/{world.agencies['school'].pk}/entries/add/"


def _token(body: str) -> str:
    return found(r'name="token" value="([^"]+)"', body)


def _rows(token: str, *rows: dict[str, str], count: int = 5) -> dict[str, str]:
    data = {"rows": str(count), "token": token}
    for n, row in enumerate(rows, start=1):
        data.update({f"row-{n}-{name}": value for name, value in row.items()})
    return data


FIRST = {"date": "3/3/2025", "time": "09:30", "what_happened": "Absent for four days", "source": "Register"}
SECOND = {"date": "2025-03-10", "what_happened": "Letter home about attendance", "source": "Letters file"}


def test_entries_typed_into_the_table_are_added_with_one_save(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    client = signed_in(world.people["lead_school"])
    page = client.get(_page(asked, world)).content.decode()
    assert page.count('name="row-') == 5 * 5, "five blank rows of five boxes"
    response = client.post(_page(asked, world), _rows(_token(page), FIRST, SECOND))
    assert response.status_code == 302
    school = summary_of(asked, world.agencies["school"])
    entries = list(school.entries.order_by("date"))
    assert [(e.date, e.time, e.what_happened, e.source) for e in entries] == [
        (date(2025, 3, 3), time(9, 30), "Absent for four days", "Register"),
        (date(2025, 3, 10), None, "Letter home about attendance", "Letters file"),
    ]
    assert school.status == SummaryStatus.DRAFT
    event = AuditEvent.objects.filter(target_type="rapidreviews.agencysummary", verb="create").get()
    assert (
        event.details["summary"] == "2 chronology entries added"
        and event.details["agency_id"] == school.request.agency_id
    )
    followed = client.get(response["Location"]).content.decode()
    assert "2 chronology entries added to your summary" in followed


def test_a_row_with_a_problem_adds_no_row_and_keeps_every_row_typed(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    client = signed_in(world.people["lead_school"])
    token = _token(client.get(_page(asked, world)).content.decode())
    wrong = {**SECOND, "source": "", "date": "31/2/2025"}
    response = client.post(_page(asked, world), _rows(token, FIRST, wrong))
    body = html.unescape(response.content.decode())
    assert response.status_code == 200 and "<title>Error:" in body
    assert '<a href="#id_row-2-date">Entry 2: Date must be a real date, like 27/3/2026</a>' in body
    assert '<a href="#id_row-2-source">Entry 2: Enter the source record</a>' in body
    assert "Absent for four days" in body and "Letter home about attendance" in body and "31/2/2025" in body
    assert not ChronologyEntry.objects.exists(), "nothing half-added"


def test_more_rows_keep_what_was_typed_without_calling_it_wrong_yet(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    client = signed_in(world.people["lead_school"])
    token = _token(client.get(_page(asked, world)).content.decode())
    response = client.post(_page(asked, world), {**_rows(token, {"what_happened": "Half typed"}), "more": "1"})
    body = response.content.decode()
    assert response.status_code == 200 and "<title>Error:" not in body
    assert body.count('name="row-') == 10 * 5 and 'name="rows" value="10"' in body
    assert "Half typed" in body and _token(body) == token
    assert not ChronologyEntry.objects.exists()


def test_the_same_table_sent_twice_adds_its_entries_once(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    client = signed_in(world.people["lead_school"])
    token = _token(client.get(_page(asked, world)).content.decode())
    for _ in range(2):  # Save, then Back and Save again
        assert client.post(_page(asked, world), _rows(token, FIRST, SECOND)).status_code == 302
    assert ChronologyEntry.objects.count() == 2
    corrected = client.post(_page(asked, world), _rows(token, FIRST, {**SECOND, "source": "Letters file, box 2"}))
    assert corrected.status_code == 302
    assert sorted(ChronologyEntry.objects.values_list("source", flat=True)) == ["Letters file, box 2", "Register"]


def test_a_table_with_nothing_typed_asks_for_an_entry(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    client = signed_in(world.people["lead_school"])
    body = client.post(_page(asked, world), _rows("t")).content.decode()
    assert "Enter at least one chronology entry" in body and "<title>Error:" in body


def test_a_table_saved_after_the_summary_was_sent_gives_the_rows_back(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    school = summary_of(asked, world.agencies["school"])
    lead = world.people["lead_school"]
    client = signed_in(lead)
    token = _token(client.get(_page(asked, world)).content.decode())
    complete(school, lead)
    agency_summary_submit(agency_summary=school, actor=lead, expected_version=school.version)
    response = client.post(_page(asked, world), _rows(token, FIRST))
    assert response.status_code == 409 and "Absent for four days" in response.content.decode()
    assert not ChronologyEntry.objects.exists()


def test_the_table_is_for_the_agencys_lead_only(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    assert signed_in(world.people["coordinator"]).get(_page(asked, world)).status_code == 403
    assert signed_in(world.people["lead_hospital"]).get(_page(asked, world)).status_code == 404


def test_the_table_stays_within_its_query_budget(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    client = signed_in(world.people["lead_school"])
    client.get(_page(asked, world))
    with max_page_queries():
        assert client.get(_page(asked, world)).status_code == 200


def test_a_token_sent_longer_than_it_should_be_still_fits_each_entrys_column(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    client = signed_in(world.people["lead_school"])
    assert client.post(_page(asked, world), _rows("t" * 60, FIRST, SECOND)).status_code == 302
    tokens = list(ChronologyEntry.objects.values_list("client_token", flat=True))
    assert len(tokens) == 2 and all(len(token) <= 40 for token in tokens), tokens
