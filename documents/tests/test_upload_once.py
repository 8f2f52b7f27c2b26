"""A retried upload stores the file once: the same form sent twice (a double click, a retry after a
time-out), even at the same moment, or the same file with the same title by the same person a
minute later, gives the document the first one added."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from audit.models import AuditEvent, Verb
from cases.models import Case
from conftest import SignIn, TestResponse, World
from core.tests import files
from documents import services
from documents.models import Document


@pytest.fixture(autouse=True)
def storage_in_tmp(settings: Settings, tmp_path: Path) -> Path:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


def post(
    client: Client, case: Case, *, token: str, title: str = "Police chronology", data: bytes | None = None
) -> TestResponse:
    return client.post(
        reverse("documents:upload", args=[case.reference]),
        {"title": title, "token": token, "file": SimpleUploadedFile("chronology.docx", data or files.docx_file())},
    )


def stored_files(root: Path) -> list[Path]:
    return list((root / "documents").glob("*")) if (root / "documents").exists() else []


def test_the_upload_page_gives_its_form_a_token(world: World, signed_in: SignIn) -> None:
    html = signed_in(world.people["coordinator"]).get(
        reverse("documents:upload", args=[world.cases["north"].reference])
    )
    assert 'name="token"' in html.content.decode()


def test_the_same_upload_form_sent_twice_stores_one_document(
    world: World, signed_in: SignIn, storage_in_tmp: Path
) -> None:
    client = signed_in(world.people["coordinator"])
    case = world.cases["north"]
    first = post(client, case, token="form-token-1")
    second = post(client, case, token="form-token-1")
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Document.objects.count() == 1
    assert len(stored_files(storage_in_tmp)) == 1
    assert AuditEvent.objects.filter(verb=Verb.UPLOAD).count() == 1


def test_two_uploads_of_the_same_form_at_the_same_moment_store_one_document(
    world: World, signed_in: SignIn, storage_in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both requests look for an earlier upload before either has stored one: the database keeps one."""
    client = signed_in(world.people["coordinator"])
    case = world.cases["north"]
    post(client, case, token="form-token-2")
    looked = services.earlier_upload
    calls = {"n": 0}

    def missed_once(**kwargs: Any) -> Document | None:
        calls["n"] += 1
        return None if calls["n"] == 1 else looked(**kwargs)

    monkeypatch.setattr(services, "earlier_upload", missed_once)
    response = post(client, case, token="form-token-2")
    assert response.status_code == 302
    assert Document.objects.count() == 1
    assert len(stored_files(storage_in_tmp)) == 1, "the second copy's file is removed"


def test_the_same_file_and_title_from_the_same_person_soon_after_is_the_same_document(
    world: World, signed_in: SignIn
) -> None:
    client = signed_in(world.people["coordinator"])
    case = world.cases["north"]
    post(client, case, token="a")
    post(client, case, token="b")  # Back, then choose the file and Upload again
    assert Document.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        post(client, case, token="c")
    assert Document.objects.count() == 2, "later, the same file again is a new version someone chose to add"


def test_other_people_or_other_titles_are_other_documents(world: World, signed_in: SignIn) -> None:
    case = world.cases["north"]
    post(signed_in(world.people["coordinator"]), case, token="a")
    post(signed_in(world.people["coordinator"]), case, token="b", title="Police chronology, second copy")
    post(signed_in(world.people["lead_hospital"]), case, token="a")
    assert Document.objects.count() == 3


def test_the_upload_event_says_how_the_file_was_scanned(world: World, signed_in: SignIn, settings: Settings) -> None:
    settings.VIRUS_SCAN = "off"
    post(signed_in(world.people["coordinator"]), world.cases["north"], token="a")
    event = AuditEvent.objects.get(verb=Verb.UPLOAD)
    assert event.details["virus_scan"] == "not scanned"


def test_the_upload_page_and_an_upload_stay_within_15_queries(world: World, signed_in: SignIn) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(world.people["coordinator"])
    case = world.cases["north"]
    page = reverse("documents:upload", args=[case.reference])
    # The page records that the case was read; the first event of a new ledger also creates its
    # chain head, which a running service did long ago: measure the page as it is opened then.
    client.get(page)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page).status_code == 200
    # Savepoints are how the test's own transaction nests the service's; they are no queries.
    statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert AuditEvent.objects.filter(verb=Verb.VIEW, case=case).count() == 2
    assert len(statements) <= 15, statements
    for _ in range(2):  # the upload, then the same form again
        with CaptureQueriesContext(connection) as captured:
            assert post(client, case, token="a").status_code == 302
        statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
        assert len(statements) <= 15, statements
