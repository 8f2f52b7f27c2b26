from datetime import date
from typing import Any

import pytest

from audit.models import AuditEvent, Verb
from conftest import SignIn, World
from rapidreviews.chronology import merge, similar
from rapidreviews.models import AgencySummary, ChronologyEntry, RapidReview
from rapidreviews.services.summaries import chronology_entry_save

pytestmark = pytest.mark.django_db


def add(review: RapidReview, agency: Any, lead: Any, on: date, text: str) -> ChronologyEntry:
    agency_summary = AgencySummary.objects.get(request__review=review, request__agency=agency)
    return chronology_entry_save(
        agency_summary=agency_summary,
        actor=lead,
        entry=None,
        expected_version=0,
        on=on,
        at=None,
        what_happened=text,
        source="Record",
        significance="",
    )


@pytest.fixture
def entries(world: World, asked: RapidReview) -> RapidReview:
    h, s = world.agencies["hospital"], world.agencies["school"]
    add(asked, h, world.people["lead_hospital"], date(2025, 6, 1), "Child seen in A&E with a bruise to the cheek")
    add(asked, s, world.people["lead_school"], date(2025, 6, 1), "Child seen in A and E with bruise to cheek")
    add(asked, s, world.people["lead_school"], date(2025, 1, 10), "Attendance meeting with mother")
    return asked


def test_similar_words_from_two_agencies_on_one_day_are_marked_as_possible_duplicates(
    world: World, entries: RapidReview
) -> None:
    entries_list = list(ChronologyEntry.objects.select_related("agency_summary__request__agency"))
    chronology = merge(entries_list, gap_days=90)
    assert [r.entry.date for r in chronology.rows] == sorted(r.entry.date for r in chronology.rows)
    assert chronology.duplicate_count == 2
    assert len(chronology.gaps) == 1 and chronology.gaps[0].days == 142


def test_different_events_are_not_duplicates() -> None:
    assert not similar("Home visit by social worker", "Police called to a domestic incident")


def test_the_coordinator_filters_by_agency_and_period(world: World, signed_in: SignIn, entries: RapidReview) -> None:
    client = signed_in(world.people["coordinator"])
    url = f"/rapid-reviews/{entries.case.reference}/chronology/"
    body = client.get(url, {"agency": world.agencies["school"].pk}).content.decode()
    assert "Attendance meeting" in body and "bruise to the cheek" not in body
    body = client.get(url, {"start_0": "1", "start_1": "5", "start_2": "2025"}).content.decode()
    assert "Attendance meeting" not in body and "Possible duplicate" in body


def test_an_agency_lead_sees_only_their_own_entries_in_the_merged_chronology(
    world: World, signed_in: SignIn, entries: RapidReview
) -> None:
    body = (
        signed_in(world.people["lead_school"])
        .get(f"/rapid-reviews/{entries.case.reference}/chronology/")
        .content.decode()
    )
    assert "Attendance meeting" in body
    assert "bruise to the cheek" not in body


def test_downloads_are_audited_exports(world: World, signed_in: SignIn, entries: RapidReview) -> None:
    client = signed_in(world.people["coordinator"])
    base = f"/rapid-reviews/{entries.case.reference}/chronology/download"
    csv_response = client.get(f"{base}.csv")
    assert csv_response.status_code == 200
    assert "Attendance meeting with mother" in csv_response.content.decode("utf-8-sig")
    docx_response = client.get(f"{base}.docx")
    assert docx_response.content[:2] == b"PK"
    assert AuditEvent.objects.filter(verb=Verb.EXPORT, case=entries.case).count() == 2
    assert client.get(f"{base}.exe").status_code == 404


def test_a_formula_in_an_entry_is_neutralised_in_the_csv(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    add(asked, world.agencies["school"], world.people["lead_school"], date(2025, 2, 2), '=HYPERLINK("x")')
    body = (
        signed_in(world.people["coordinator"])
        .get(f"/rapid-reviews/{asked.case.reference}/chronology/download.csv")
        .content.decode("utf-8-sig")
    )
    assert "'=HYPERLINK" in body


def test_the_merged_chronology_page_does_not_query_per_entry(
    world: World, signed_in: SignIn, entries: RapidReview, django_assert_max_num_queries: Any
) -> None:
    for day in range(1, 21):
        add(entries, world.agencies["hospital"], world.people["lead_hospital"], date(2024, 1, day), f"Visit {day}")
    client = signed_in(world.people["coordinator"])
    with django_assert_max_num_queries(25):
        response = client.get(f"/rapid-reviews/{entries.case.reference}/chronology/")
    assert "Visit 20" in response.content.decode()


def test_entries_of_unsubmitted_returns_are_marked_as_drafts(
    world: World, signed_in: SignIn, entries: RapidReview
) -> None:
    from rapidreviews.models import AgencySummary, SummaryStatus

    AgencySummary.objects.filter(request__review=entries, request__agency=world.agencies["hospital"]).update(
        status=SummaryStatus.SUBMITTED
    )
    body = signed_in(world.people["coordinator"]).get(f"/rapid-reviews/{entries.case.reference}/chronology/")
    text = body.content.decode()
    school_entries = text.count(f'{world.agencies["school"]}<br><strong class="govuk-tag govuk-tag--grey">Draft')
    assert school_entries >= 1
    assert f'{world.agencies["hospital"]}<br><strong class="govuk-tag govuk-tag--grey">Draft' not in text


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Seen in the emergency department with a bruise to the left cheek, explained as a fall",
            "Child seen in A&E with a bruise to the cheek, officers attended",
        ),
        ("Home visit by the HV: baby weighed", "Health visitor home visit, baby weighed and well"),
    ],
)
def test_the_same_event_worded_by_two_agencies_in_their_own_way_is_a_possible_duplicate(a: str, b: str) -> None:
    assert similar(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Advice given on safe sleep", "Domestic abuse disclosed to the officer"),  # 'dv' is not inside 'advice'
        ("Strategy discussion with children's social care", "Admitted with a head injury; skeletal survey arranged"),
    ],
)
def test_other_events_of_the_same_day_are_not(a: str, b: str) -> None:
    assert not similar(a, b)


def test_entries_at_the_same_time_from_two_agencies_say_why_they_look_alike(world: World, asked: RapidReview) -> None:
    from datetime import time

    for key, agency, text in (
        ("lead_hospital", "hospital", "Triage assessment"),
        ("lead_school", "school", "Phone call from the ward"),
    ):
        chronology_entry_save(
            agency_summary=AgencySummary.objects.get(request__review=asked, request__agency=world.agencies[agency]),
            actor=world.people[key], entry=None, expected_version=0, on=date(2025, 6, 1), at=time(9, 30),
            what_happened=text, source="Record", significance="",
        )  # fmt: skip
    rows = merge(list(ChronologyEntry.objects.select_related("agency_summary__request__agency")), gap_days=90).rows
    assert [r.duplicate_text for r in rows] == [f"{world.agencies['school'].name} (same time)", f"{world.agencies['hospital'].name} (same time)"]  # fmt: skip


def test_a_filtered_chronology_says_what_it_holds_and_its_downloads_too(
    world: World, signed_in: SignIn, entries: RapidReview
) -> None:
    import html
    import io

    from docx import Document

    school = world.agencies["school"]
    client = signed_in(world.people["coordinator"])
    url = f"/rapid-reviews/{entries.case.reference}/chronology/"
    body = html.unescape(client.get(url, {"agency": school.pk}).content.decode())
    assert f"Entries of {school.name}, oldest first" in body and "All agencies' entries" not in body
    download = client.get(url + "download.docx", {"agency": school.pk})
    assert download["Content-Disposition"].endswith('-filtered.docx"')
    docx = Document(io.BytesIO(download.content))
    assert docx.paragraphs[1].text == f"Only the entries of {school.name}."
    assert docx.core_properties.author == entries.case.partnership.name
    assert docx.core_properties.created.year >= 2026 and "python-docx" not in (docx.core_properties.comments or "")


def test_a_lead_who_sees_only_their_own_entries_is_not_told_no_agency_had_contact(
    world: World, signed_in: SignIn, entries: RapidReview
) -> None:
    url = f"/rapid-reviews/{entries.case.reference}/chronology/"
    lead = signed_in(world.people["lead_school"]).get(url).content.decode()
    assert "142 days" in lead
    assert "any agency" not in lead
    school = world.agencies["school"].name.replace("'", "&#x27;")
    assert f"No contact recorded by the agencies you can see ({school}) for 142 days" in lead
    assert "other agencies' entries are not shown to you" in lead
    coordinator = signed_in(world.people["coordinator"]).get(url).content.decode()
    assert "No contact recorded by any agency for 142 days" in coordinator
    assert "not shown to you" not in coordinator
