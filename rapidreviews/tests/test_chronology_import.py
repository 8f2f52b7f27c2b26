"""Chronology entries imported from a CSV file an agency exports from its own records: a preview
first, row-by-row errors, nothing half-imported, and a bounded upload."""

import codecs
import html
import re
from datetime import date, time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from conftest import SignIn, World
from core.tests.queries import max_page_queries
from rapidreviews.chronology_csv import MAX_BYTES, MAX_ROWS
from rapidreviews.models import ChronologyEntry, ChronologyImport, RapidReview
from rapidreviews.services.summaries import agency_summary_submit, chronology_entry_save
from rapidreviews.tests.helpers import complete, summary_of

pytestmark = pytest.mark.django_db

EXPORT = (
    "Date of contact,Time,Event,Source,Significance,Worker\r\n"
    '03/03/2025,09:30,"Absent for four days, no call from home",Register,First absence,Ms Quillfeather\r\n'
    "2025-03-10 14:05,,Letter home about attendance,Letters file,,Ms Quillfeather\r\n"
    ",,,,,\r\n"
)


def _base(asked: RapidReview, world: World) -> str:
    return f"/rapid-reviews/{asked.case.reference}/returns/{world.agencies['school'].pk}/entries/"


def upload(client: Any, asked: RapidReview, world: World, data: bytes, name: str = "export.csv") -> Any:
    return client.post(_base(asked, world) + "import/", {"file": SimpleUploadedFile(name, data, "text/csv")})


def test_a_csv_export_is_checked_on_a_preview_then_added_at_once_with_one_audit_event(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    client = signed_in(world.people["lead_school"])
    response = upload(client, asked, world, codecs.BOM_UTF8 + EXPORT.encode())
    assert response.status_code == 302
    pending = ChronologyImport.objects.get()
    assert response["Location"] == _base(asked, world) + f"import/{pending.pk}/"
    body = html.unescape(client.get(response["Location"]).content.decode())
    assert "2 entries are ready to add" in body and "Absent for four days, no call from home" in body
    assert "Ms Quillfeather" not in body, "a column the import does not read is left out"
    assert not ChronologyEntry.objects.exists(), "nothing is added by the preview"
    before = AuditEvent.objects.filter(verb="create").count()
    added = client.post(response["Location"], {"date": "0", "time": "1", "what_happened": "2", "source": "3",
                                                "significance": "4"})  # fmt: skip
    assert added.status_code == 302
    entries = list(summary_of(asked, world.agencies["school"]).entries.order_by("date"))
    assert [(e.date, e.time, e.what_happened, e.source, e.significance) for e in entries] == [
        (date(2025, 3, 3), time(9, 30), "Absent for four days, no call from home", "Register", "First absence"),
        (date(2025, 3, 10), time(14, 5), "Letter home about attendance", "Letters file", ""),
    ]
    events = AuditEvent.objects.filter(verb="create")
    assert events.count() == before + 1
    latest = events.order_by("-id").first()
    assert latest is not None
    assert latest.details["summary"] == "2 chronology entries imported from a file"
    pending.refresh_from_db()
    assert pending.imported_count == 2 and pending.text == "", "the file is not kept beside its entries"
    assert "2 chronology entries added from export.csv" in client.get(added["Location"]).content.decode()


def test_a_file_with_a_row_in_error_adds_nothing_and_names_each_row(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    client = signed_in(world.people["lead_school"])
    text = "Date,What happened,Source record\r\n1/3/2025,Seen,GP\r\n31/2/2025,Seen again,GP\r\n2/3/2025,,\r\n"
    preview = client.get(upload(client, asked, world, text.encode())["Location"])
    body = html.unescape(preview.content.decode())
    assert "<title>Error:" in body
    assert '<a href="#row-3">Row 3: Date must be a real date, like 27/3/2026</a>' in body
    assert "Row 4: Enter what happened" in body and "Row 4: Enter the source record" in body
    assert "Nothing has been added" in body and "to your summary</button>" not in body
    sent_anyway = client.post(preview.wsgi_request.path, {"date": "0", "what_happened": "1", "source": "2"})
    assert sent_anyway.status_code == 200
    assert not ChronologyEntry.objects.exists(), "not one row of a file in error is added"


@pytest.mark.parametrize(
    "encoded",
    [
        "Date;What happened;Source\r\n1/3/2025;Café visit, paid £5;Notes\r\n".encode("cp1252"),
        "Date\tWhat happened\tSource\r\n1/3/2025\tCafé visit, paid £5\tNotes\r\n".encode("utf-16"),
        'Date,What happened,Source\n1/3/2025,"Café visit, paid £5",Notes\n'.encode(),
    ],
    ids=["windows-1252 with semicolons", "utf-16 with tabs", "utf-8 without a byte order mark"],
)
def test_the_encodings_and_separators_spreadsheets_save_are_read(
    world: World, signed_in: SignIn, asked: RapidReview, encoded: bytes
) -> None:
    client = signed_in(world.people["lead_school"])
    location = upload(client, asked, world, encoded)["Location"]
    client.post(location, {"date": "0", "what_happened": "1", "source": "2"})
    assert list(ChronologyEntry.objects.values_list("what_happened", flat=True)) == ["Café visit, paid £5"]


def test_rows_already_on_the_summary_or_twice_in_the_file_are_shown_and_left_out(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    school = summary_of(asked, world.agencies["school"])
    chronology_entry_save(
        agency_summary=school, actor=world.people["lead_school"], entry=None, expected_version=0,
        on=date(2025, 3, 1), at=None, what_happened="Seen at the gate", source="Log", significance="",
    )  # fmt: skip
    text = (
        "Date,What happened,Source\r\n01/03/2025,Seen  at the GATE,Log\r\n"
        "2/3/2025,Phone call,Log\r\n2/3/2025,Phone call,Log again\r\n"
    )
    client = signed_in(world.people["lead_school"])
    location = upload(client, asked, world, text.encode())["Location"]
    body = html.unescape(client.get(location).content.decode())
    assert "Already on your summary" in body and "The same as row 3" in body and "Add 1 entry to your summary" in body
    client.post(location, {"date": "0", "what_happened": "1", "source": "2"})
    assert sorted(school.entries.values_list("what_happened", flat=True)) == ["Phone call", "Seen at the gate"]


def test_columns_with_other_names_are_matched_by_hand(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    client = signed_in(world.people["lead_school"])
    text = "Recorded on,Narrative of contact,Held in\r\n4/3/2025,Home visit,Case file\r\n"
    location = upload(client, asked, world, text.encode())["Location"]
    first = html.unescape(client.get(location).content.decode())
    assert "Choose which column of the file holds each part of an entry" in first and "Home visit" not in first
    assert "Column 2: Narrative of contact" in first
    same_twice = client.get(location, {"date": "0", "what_happened": "0", "source": "2"}).content.decode()
    assert "Choose a different column for the what happened: that column is already the date" in same_twice
    matched = client.get(location, {"date": "0", "what_happened": "1", "source": "2"}).content.decode()
    assert "Home visit" in matched and "Add 1 entry to your summary" in matched
    client.post(location, {"date": "0", "what_happened": "1", "source": "2"})
    assert ChronologyEntry.objects.get().source == "Case file"


def test_a_file_larger_than_the_cap_is_refused_by_its_size_and_never_kept(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    client = signed_in(world.people["lead_school"])
    big = b"Date,What happened,Source\r\n" + b"1/3/2025,Seen,Log\r\n" * (MAX_BYTES // 18 + 10)
    assert len(big) > MAX_BYTES
    response = upload(client, asked, world, big)
    assert response.status_code == 200 and "The selected file must be smaller than 1MB" in response.content.decode()
    assert response.wsgi_request.FILES["file"].size == len(big), "refused by its real size"
    assert not ChronologyImport.objects.exists()


def test_a_file_with_too_many_rows_is_refused(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    client = signed_in(world.people["lead_school"])
    text = "Date,What happened,Source\r\n" + "1/3/2025,Seen,Log\r\n" * (MAX_ROWS + 1)
    body = upload(client, asked, world, text.encode()).content.decode()
    assert f"The file has more than {MAX_ROWS} entries" in body and not ChronologyImport.objects.exists()


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (b"PK\x03\x04" + b"\x00" * 64, "chronology.xlsx", "is a spreadsheet workbook, not a CSV file"),
        (b"Date,What happened\r\n", "chronology.csv", "has no entries under its first row"),
        (b"\xff\xfe\x00\x00junk\x00", "chronology.csv", "must be a CSV file"),
        (b"Date,What happened,Source\r\n1/3/2025,Seen,Log\r\n", "chronology.docx", "its name ends .csv"),
    ],
)
def test_what_is_not_a_csv_chronology_is_refused_with_what_to_do(
    world: World, signed_in: SignIn, asked: RapidReview, data: bytes, name: str, says: str
) -> None:
    response = upload(signed_in(world.people["lead_school"]), asked, world, data, name)
    assert response.status_code == 200 and says in html.unescape(response.content.decode())
    assert not ChronologyImport.objects.exists()


def test_the_same_file_added_twice_is_added_once(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    client = signed_in(world.people["lead_school"])
    location = upload(client, asked, world, EXPORT.encode())["Location"]
    columns = {"date": "0", "what_happened": "2", "source": "3"}
    client.post(location, columns)
    again = client.post(location, columns, follow=True)
    assert "have been added already" in again.content.decode()
    assert ChronologyEntry.objects.count() == 2


def test_a_file_uploaded_by_one_lead_is_not_found_by_another(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    from accounts.models import Membership
    from accounts.roles import Role
    from conftest import make_person

    location = upload(signed_in(world.people["lead_school"]), asked, world, EXPORT.encode())["Location"]
    colleague = make_person("second_school_lead", world.north, Role.AGENCY_LEAD, world.agencies["school"])
    assert Membership.objects.filter(user=colleague).exists()
    assert signed_in(colleague).get(location).status_code == 404


def test_an_import_after_the_summary_was_sent_adds_nothing(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    school = summary_of(asked, world.agencies["school"])
    lead = world.people["lead_school"]
    client = signed_in(lead)
    location = upload(client, asked, world, EXPORT.encode())["Location"]
    complete(school, lead)
    agency_summary_submit(agency_summary=school, actor=lead, expected_version=school.version)
    response = client.post(location, {"date": "0", "what_happened": "2", "source": "3"})
    assert response.status_code == 409 and not ChronologyEntry.objects.exists()


def test_the_template_csv_holds_the_columns_the_import_reads(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    client = signed_in(world.people["lead_school"])
    template = client.get(_base(asked, world) + "template.csv")
    assert template["Content-Disposition"] == 'attachment; filename="chronology-template.csv"'
    assert template.content == codecs.BOM_UTF8 + b"Date,Time,What happened,Source record,Significance\r\n"
    filled = template.content + b"27/3/2025,14:30,Seen by the nurse,School nurse record,First concern\r\n"
    location = upload(client, asked, world, filled)["Location"]
    assert "Add 1 entry to your summary" in client.get(location).content.decode(), "matched by name, no choosing"
    assert signed_in(world.people["coordinator"]).get(_base(asked, world) + "template.csv").status_code == 403


def test_the_preview_stays_within_its_query_budget_however_long_the_file(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    client = signed_in(world.people["lead_school"])
    text = "Date,What happened,Source\r\n" + "".join(f"1/3/2025,Contact {n},Log\r\n" for n in range(MAX_ROWS))
    location = upload(client, asked, world, text.encode())["Location"]
    with max_page_queries():
        body = client.get(location).content.decode()
    assert f"Add {MAX_ROWS} entries to your summary" in body
    assert len(re.findall(r'<tr class="govuk-table__row" id="row-', body)) == MAX_ROWS


def test_a_file_with_many_wrong_rows_lists_the_first_and_marks_every_one(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    client = signed_in(world.people["lead_school"])
    text = "Date,What happened,Source\r\n" + "".join(f"1/3/2025,Contact {n},\r\n" for n in range(40))
    body = html.unescape(client.get(upload(client, asked, world, text.encode())["Location"]).content.decode())
    summary = body[body.index("govuk-error-summary") : body.index("</ul>", body.index("govuk-error-summary"))]
    assert summary.count("Enter the source record") == 25 and "And 15 more, marked in the table below" in summary
    assert body.count("Cannot be added") == 40
