import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from audit.models import AuditEvent, Verb
from cases.models import Case
from conftest import SignIn, TestResponse, World
from core.tests import files
from documents.models import Document


@pytest.fixture(autouse=True)
def storage_in_tmp(settings: Settings, tmp_path: Path) -> Path:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


def upload(client: Client, case: Case, name: str, data: bytes, title: str = "") -> TestResponse:
    return client.post(
        reverse("documents:upload", args=[case.reference]),
        {"title": title, "file": SimpleUploadedFile(name, data, content_type="application/octet-stream")},
    )


def test_an_allowed_file_is_stored_under_a_random_key_and_audited(
    world: World, signed_in: SignIn, storage_in_tmp: Path
) -> None:
    case = world.cases["north"]
    client = signed_in(world.people["coordinator"])
    data = files.docx_file()
    response = upload(client, case, "Police chronology.docx", data, title="Police chronology")
    assert response.status_code == 302
    document = Document.objects.get(case=case)
    assert document.original_name == "Police chronology.docx"
    assert document.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert len(document.storage_key) == 48 and "chronology" not in document.storage_key.lower()
    stored = storage_in_tmp / "documents" / document.storage_key
    assert stored.read_bytes() == data
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert not list(storage_in_tmp.rglob("*chronology*"))
    assert AuditEvent.objects.filter(verb=Verb.UPLOAD, case=case, target_id=str(document.pk)).exists()


def test_two_uploads_of_the_same_name_get_different_keys(world: World, signed_in: SignIn) -> None:
    case = world.cases["north"]
    client = signed_in(world.people["coordinator"])
    upload(client, case, "notes.txt", files.text())
    upload(client, case, "notes.txt", files.text() + b"A second, different note.\n")
    keys = list(Document.objects.values_list("storage_key", flat=True))
    assert len(set(keys)) == 2


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("invoice.pdf", files.exe(), "The selected file must be a PDF, Word"),
        ("notes.txt", files.html(), "The selected file must be a PDF, Word"),
        ("genogram.pdf", files.png(), "does not match what it contains"),
    ],
)
def test_a_rejected_file_shows_a_govuk_error_and_stores_nothing(
    world: World, signed_in: SignIn, name: str, data: bytes, message: str
) -> None:
    client = signed_in(world.people["coordinator"])
    response = upload(client, world.cases["north"], name, data, title="Typed title")
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "govuk-error-summary" in html and 'href="#id_file"' in html
    assert 'value="Typed title"' in html
    assert not Document.objects.exists()


def test_an_oversized_file_is_rejected(world: World, signed_in: SignIn, settings: Settings) -> None:
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    client = signed_in(world.people["coordinator"])
    response = upload(client, world.cases["north"], "big.csv", files.csv() * 60000)
    assert "The selected file must be smaller than 1MB" in response.content.decode()
    assert not Document.objects.exists()


def test_download_is_an_audited_attachment_for_those_who_can_see_the_case(world: World, signed_in: SignIn) -> None:
    case = world.cases["north"]
    upload(signed_in(world.people["coordinator"]), case, "genogram.png", files.png())
    document = Document.objects.get()
    client = signed_in(world.people["lead_hospital"])
    response = client.get(reverse("documents:download", args=[case.reference, document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="genogram.png"' in response["Content-Disposition"]
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert isinstance(response, FileResponse)
    assert b"".join(response.streaming_content) == files.png()
    event = AuditEvent.objects.filter(verb=Verb.DOWNLOAD).get()
    assert event.actor == world.people["lead_hospital"]
    assert event.case == case and event.target_id == str(document.pk)


def test_download_is_not_found_for_people_who_cannot_see_the_case(world: World, signed_in: SignIn) -> None:
    case = world.cases["north"]
    upload(signed_in(world.people["coordinator"]), case, "notes.txt", files.text())
    document = Document.objects.get()
    for key in ("other_practitioner", "south_coordinator", "admin"):
        response = signed_in(world.people[key]).get(reverse("documents:download", args=[case.reference, document.pk]))
        assert response.status_code == 404, key
    assert not AuditEvent.objects.filter(verb=Verb.DOWNLOAD).exists()


def test_a_document_of_another_case_is_not_found_through_this_case(world: World, signed_in: SignIn) -> None:
    south = world.cases["south"]
    upload(signed_in(world.people["south_coordinator"]), south, "notes.txt", files.text())
    document = Document.objects.get()
    client = signed_in(world.people["coordinator"])
    response = client.get(reverse("documents:download", args=[world.cases["north"].reference, document.pk]))
    assert response.status_code == 404


def test_stored_files_are_not_served_at_any_public_address(world: World, signed_in: SignIn, client: Client) -> None:
    upload(signed_in(world.people["coordinator"]), world.cases["north"], "notes.txt", files.text())
    key = Document.objects.get().storage_key
    for path in (
        f"/media/documents/{key}",
        f"/static/documents/{key}",
        f"/documents/{key}",
        f"/uploads/documents/{key}",
    ):
        assert client.get(path).status_code in (302, 404), path
