"""Checking uploaded files: sniff the content with libmagic against an allow-list, make the
extension agree, cap the size. Files are then stored under a random key, never the given name."""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import magic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

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


def _office_type(head: bytes, data: bytes) -> str | None:
    """libmagic sometimes calls Office files plain zips: look inside to tell DOCX, XLSX and ODT apart."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return DOCX
                if any(n.startswith("xl/") for n in names):
                    return XLSX
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
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
    sniffed = magic.from_buffer(data[:8192], mime=True)
    if sniffed in {"application/zip", "application/octet-stream"} or sniffed.startswith("application/vnd."):
        sniffed = _office_type(data[:8192], data) or sniffed
    if sniffed == "text/x-csv" or (sniffed == "text/plain" and extension == ".csv"):
        sniffed = "text/csv"
    if sniffed not in ALLOWED:
        raise UploadRejected(f"The selected file must be a {FRIENDLY_TYPES}")
    if extension not in ALLOWED[sniffed]:
        raise UploadRejected("The file's name does not match what it contains. Check you chose the right file")
    return CheckedUpload(content_type=sniffed, extension=extension, size=size)
