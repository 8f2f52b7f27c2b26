"""Archives (DOCX, XLSX, ODT are zips) are measured with bounded reads before anything opens them:
a zip bomb, a lying size, too many parts, a nest of archives or an unsafe part name is refused
with a clear message, and checking never holds more than a small piece of any part in memory."""

import io
import struct
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django import Settings

from core.tests import files
from core.uploads import UploadRejected, check_upload

MIB = 1024 * 1024


def zeros_entry(archive: zipfile.ZipFile, name: str, size: int) -> None:
    """An entry of `size` zero bytes, written in pieces (deflate squeezes it about 1000 to 1)."""
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as out:
        for _ in range(size // MIB):
            out.write(b"\0" * MIB)


def word_bomb(*, first: str = "mimetype", size: int = 64 * MIB) -> bytes:
    """A small .docx whose first entry inflates to `size` bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        zeros_entry(archive, first, size)
        for name, text in (("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>")):
            if name != first:
                archive.writestr(name, text)
    return buffer.getvalue()


def peak_memory_of(check: object) -> int:
    tracemalloc.start()
    try:
        check()  # type: ignore[operator]
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


@pytest.mark.parametrize("first", ["mimetype", "word/document.xml"])
def test_a_word_file_that_inflates_far_beyond_its_size_is_refused_without_being_inflated(first: str) -> None:
    bomb = word_bomb(first=first)
    assert len(bomb) < MIB / 4

    def check() -> None:
        with pytest.raises(UploadRejected, match="The selected file expands to far more than its size"):
            check_upload(SimpleUploadedFile("chronology.docx", bomb))

    assert peak_memory_of(check) < 8 * MIB, "the check reads archives in small pieces, never a whole part"


def test_an_archive_that_unpacks_beyond_the_limit_is_refused_even_when_its_ratio_is_ordinary(
    settings: Settings,
) -> None:
    settings.UPLOAD_ARCHIVE_MAX_UNPACKED_BYTES = 2 * MIB
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for n in range(3):
            archive.writestr(f"word/media/image{n}.png", bytes(range(256)) * 4096)  # 1 MiB each, stored
    with pytest.raises(UploadRejected, match="The selected file unpacks to more than 2MB"):
        check_upload(SimpleUploadedFile("chronology.docx", buffer.getvalue()))


def test_an_archive_whose_part_is_bigger_than_it_says_is_refused_as_damaged() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + "x" * 500_000 + "</w:document>")
    data = bytearray(buffer.getvalue())
    # Declare the second part 100 bytes long, in the central directory that readers trust.
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 100)
    with pytest.raises(UploadRejected, match="The selected file is damaged or protected by a password"):
        check_upload(SimpleUploadedFile("chronology.docx", bytes(data)))


def test_an_archive_with_too_many_parts_is_refused_before_its_parts_are_listed(settings: Settings) -> None:
    settings.UPLOAD_ARCHIVE_MAX_ENTRIES = 50
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for n in range(60):
            archive.writestr(f"word/part{n}.xml", "<x/>")
    with pytest.raises(UploadRejected, match="The selected file has more than 50 parts"):
        check_upload(SimpleUploadedFile("chronology.docx", buffer.getvalue()))


@pytest.mark.parametrize("name", ["../../etc/cron.d/job", "/etc/passwd", "word\\..\\..\\x.xml", "word/\x00evil.xml"])
def test_an_archive_with_an_unsafe_part_name_is_refused(name: str) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr(zipfile.ZipInfo("word/placeholder.xml"), "<x/>")
    assert len(name.encode()) <= len("word/placeholder.xml")
    data = buffer.getvalue().replace(b"word/placeholder.xml", name.encode().ljust(20, b"_"))
    with pytest.raises(UploadRejected, match="The selected file contains a part with an unsafe name"):
        check_upload(SimpleUploadedFile("chronology.docx", data))


def test_a_nested_archive_is_checked_by_the_same_rules() -> None:
    inner = word_bomb(first="xl/worksheets/sheet1.xml")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/embeddings/Microsoft_Excel_Worksheet.xlsx", inner)
    with pytest.raises(UploadRejected, match="The selected file expands to far more than its size"):
        check_upload(SimpleUploadedFile("chronology.docx", buffer.getvalue()))


def test_an_archive_nested_two_deep_is_refused() -> None:
    def wrap(name: str, data: bytes) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document/>")
            archive.writestr(name, data)
        return buffer.getvalue()

    nested = wrap("word/embeddings/a.docx", wrap("word/embeddings/b.docx", files.docx_file()))
    with pytest.raises(UploadRejected, match="The selected file has files inside files inside it"):
        check_upload(SimpleUploadedFile("chronology.docx", nested))


def test_an_ordinary_word_file_with_an_embedded_spreadsheet_is_accepted() -> None:
    buffer = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(files.docx_file()))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        archive.writestr("word/embeddings/Microsoft_Excel_Worksheet.xlsx", files.xlsx())
    checked = check_upload(SimpleUploadedFile("chronology.docx", buffer.getvalue()))
    assert checked.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_an_archive_compressed_with_an_unusual_method_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(UploadRejected, match="The selected file is damaged or protected by a password"):
        check_upload(SimpleUploadedFile("chronology.docx", buffer.getvalue()))


def test_embedded_files_together_may_not_exceed_the_upload_cap(settings: Settings) -> None:
    """Embedded archives are held to be measured in turn: all of them together at most the cap."""
    settings.UPLOAD_MAX_BYTES = 2 * MIB

    def stored_spreadsheet(n: int) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/media/image.png", bytes([n]) * (MIB - 4096))
        return buffer.getvalue()

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for n in range(3):
            archive.writestr(f"word/embeddings/sheet{n}.xlsx", stored_spreadsheet(n))
    assert len(buffer.getvalue()) < 2 * MIB
    with pytest.raises(UploadRejected, match="The selected file has embedded files larger than 2MB in all"):
        check_upload(SimpleUploadedFile("chronology.docx", buffer.getvalue()))
