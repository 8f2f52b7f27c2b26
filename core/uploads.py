"""Checking uploaded files: cap the size, measure archives with bounded reads before anything opens
them (core.archives), sniff the content with libmagic against an allow-list, make the extension
agree. Files are then stored under a random key, never the given name."""

from dataclasses import dataclass
from pathlib import PurePath

import magic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from core.archives import ArchiveRefused, ArchiveSummary, inspect_zip, is_zip
from core.content_checks import ContentRefused, check_office, check_pdf
from core.virus_scan import Verdict, scan_bytes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"

# What the content really is -> the extensions a file of that kind may have.
ALLOWED: dict[str, set[str]] = {
    "application/pdf": {".pdf"},
    DOCX: {".docx"},
    XLSX: {".xlsx"},
    ODT: {".odt"},
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
    "text/plain": {".txt", ".csv"},
    "text/csv": {".csv", ".txt"},
}

FRIENDLY_TYPES = "PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), PNG, JPEG, plain text or CSV"


class UploadRejected(ValueError):
    pass


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str
    size: int
    virus_scan: str = Verdict.NOT_SCANNED.value  # "clamd", "clamscan" or "not scanned"


def _office_type(archive: ArchiveSummary) -> str | None:
    """libmagic sometimes calls Office files plain zips: tell DOCX, XLSX and ODT apart from the parts
    the archive check listed (it kept the first bytes of `mimetype`)."""
    names = set(archive.names)
    if archive.kept.get("mimetype", b"").strip() == ODT.encode():
        return ODT
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return DOCX
        if any(n.startswith("xl/") for n in names):
            return XLSX
    return None


def check_upload(upload: UploadedFile) -> CheckedUpload:
    size = upload.size or 0
    if size == 0:
        raise UploadRejected("The selected file is empty")
    if size > settings.UPLOAD_MAX_BYTES:
        raise UploadRejected(f"The selected file must be smaller than {settings.UPLOAD_MAX_BYTES // (1024 * 1024)}MB")
    extension = PurePath(upload.name or "").suffix.lower()
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    archive: ArchiveSummary | None = None
    if is_zip(data):
        try:
            archive = inspect_zip(data)
        except ArchiveRefused as error:
            raise UploadRejected(str(error)) from error
    sniffed = magic.from_buffer(data[:8192], mime=True)
    if archive is not None and (
        sniffed in {"application/zip", "application/octet-stream"} or sniffed.startswith("application/vnd.")
    ):
        sniffed = _office_type(archive) or sniffed
    if sniffed == "text/x-csv" or (sniffed == "text/plain" and extension == ".csv"):
        sniffed = "text/csv"
    if sniffed not in ALLOWED:
        raise UploadRejected(f"The selected file must be a {FRIENDLY_TYPES}")
    try:
        if sniffed == "application/pdf":
            check_pdf(data)
        elif archive is not None:
            check_office(archive)
    except ContentRefused as error:
        raise UploadRejected(str(error)) from error
    if extension not in ALLOWED[sniffed]:
        raise UploadRejected("The file's name does not match what it contains. Check you chose the right file")
    scan = scan_bytes(data)
    if scan.verdict == Verdict.INFECTED:
        raise UploadRejected("The selected file contains a virus. Do not open it or send it on; tell your IT team")
    if scan.verdict == Verdict.FAILED or (scan.verdict == Verdict.NOT_SCANNED and settings.VIRUS_SCAN == "required"):
        raise UploadRejected("The selected file could not be checked for viruses. Try again later")
    return CheckedUpload(content_type=sniffed, extension=extension, size=size, virus_scan=scan.scanner or scan.verdict)
