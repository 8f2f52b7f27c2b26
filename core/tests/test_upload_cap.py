"""An upload read through the capped handler: never more than the cap held, its real size known."""

from io import BytesIO

from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.test import RequestFactory

from core.upload_cap import capped_uploads, read_capped

LIMIT = 1000


def _request(*files: tuple[str, bytes]) -> WSGIRequest:
    data = {f"file{n}" if n else "file": SimpleUploadedFile(name, content) for n, (name, content) in enumerate(files)}
    request = RequestFactory().post("/upload/", {"note": "kept", **data})
    capped_uploads(request, limit=LIMIT)
    return request


def test_a_large_upload_is_held_only_up_to_the_cap_and_known_by_its_real_size() -> None:
    request = _request(("big.csv", b"x" * (LIMIT * 50)))
    upload = request.FILES["file"]
    assert isinstance(upload, InMemoryUploadedFile), "in memory, never a temporary file of any size"
    assert upload.size == LIMIT * 50
    assert isinstance(upload.file, BytesIO)
    assert len(upload.file.getvalue()) == LIMIT + 1
    assert read_capped(upload, limit=LIMIT) is None
    assert request.POST["note"] == "kept"


def test_an_upload_within_the_cap_is_read_whole() -> None:
    request = _request(("small.csv", b"Date,What happened\r\n"))
    assert read_capped(request.FILES["file"], limit=LIMIT) == b"Date,What happened\r\n"


def test_only_the_first_file_of_a_request_is_held() -> None:
    request = _request(("one.csv", b"a" * 10), ("two.csv", b"b" * (LIMIT * 5)))
    assert set(request.FILES) == {"file"}
