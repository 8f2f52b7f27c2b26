import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django import Settings

from core.tests import files
from core.uploads import UploadRejected, check_upload


@pytest.mark.parametrize(("name", "kind"), list(files.ALLOWED.items()), ids=list(files.ALLOWED))
def test_it_accepts_each_allowed_kind_of_file(name: str, kind: tuple) -> None:
    make, content_type = kind
    checked = check_upload(SimpleUploadedFile(name, make()))
    assert checked.content_type == content_type


@pytest.mark.parametrize(
    "name, data",
    [
        ("report.pdf", files.exe()),
        ("report.docx", files.exe()),
        ("setup.exe", files.exe()),
        ("notes.txt", files.html()),
        ("page.html", files.html()),
        ("report.pdf", files.html()),
    ],
)
def test_it_rejects_programs_and_web_pages_whatever_their_name(name: str, data: bytes) -> None:
    with pytest.raises(UploadRejected, match="must be a PDF, Word"):
        check_upload(SimpleUploadedFile(name, data))


@pytest.mark.parametrize(
    "name, data",
    [
        ("genogram.pdf", files.png()),
        ("chronology.xlsx", files.docx_file()),
        ("minutes.docx", files.odt()),
        ("chronology.png", files.pdf()),
        ("chronology", files.pdf()),
    ],
)
def test_it_rejects_a_file_whose_extension_does_not_match_its_content(name: str, data: bytes) -> None:
    with pytest.raises(UploadRejected, match="does not match what it contains"):
        check_upload(SimpleUploadedFile(name, data))


def test_it_rejects_a_file_over_the_size_cap(settings: Settings) -> None:
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    big = files.csv() * (1024 * 1024 // len(files.csv()) + 1)
    with pytest.raises(UploadRejected, match="must be smaller than 1MB"):
        check_upload(SimpleUploadedFile("big.csv", big))


def test_it_rejects_an_empty_file() -> None:
    with pytest.raises(UploadRejected, match="The selected file is empty"):
        check_upload(SimpleUploadedFile("empty.txt", b""))
