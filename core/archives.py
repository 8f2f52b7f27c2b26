"""Measuring an uploaded zip archive (DOCX, XLSX and ODT files are zips) before anything opens it.

A zip bomb is a small file that inflates to gigabytes; reading one of its parts whole takes a web
worker down. So nothing here reads a part whole: the archive's directory is counted from its end
record before it is listed, each part's declared size and compression ratio are checked before it
is read, and each part is then read in 64 KiB pieces, counting what it really inflates to against
the same limits (a part that says it is small but is not fails its CRC and is refused as damaged).
Archives inside the archive (a spreadsheet embedded in a Word file) are measured by the same rules
against the same budget, one level deep; deeper nesting and other compressed formats are refused.

The limits are settings: UPLOAD_ARCHIVE_MAX_ENTRIES, UPLOAD_ARCHIVE_MAX_UNPACKED_BYTES,
UPLOAD_ARCHIVE_MAX_RATIO (applied to parts over 1 MiB, where ordinary documents stay far below it).
"""

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

from django.conf import settings

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# Other compressed formats inside an archive cannot be measured here: refused.
OTHER_ARCHIVES = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"MSCF")
CHUNK = 64 * 1024
RATIO_FLOOR = 1024 * 1024
# Parts whose first bytes the type and content checks read (the ODT marker, the Office content types).
KEEP = {"mimetype": 256, "[Content_Types].xml": 1024 * 1024, "META-INF/manifest.xml": 1024 * 1024}
METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
SAVE_AGAIN = "Save it again from the program that made it, then upload it"


class ArchiveRefused(ValueError):
    """Raised with a GOV.UK error message for the file input."""


@dataclass
class ArchiveSummary:
    """What the checks after this one need, so they never open the archive again."""

    names: list[str]
    kept: dict[str, bytes] = field(default_factory=dict)
    nested: list["ArchiveSummary"] = field(default_factory=list)

    def all_names(self) -> list[str]:
        return self.names + [name for inner in self.nested for name in inner.all_names()]

    def all_archives(self) -> list["ArchiveSummary"]:
        return [self] + [a for inner in self.nested for a in inner.all_archives()]


def is_zip(data: bytes) -> bool:
    return data[:4] in ZIP_MAGIC


def _mb(size: int) -> int:
    return size // (1024 * 1024)


def _damaged() -> ArchiveRefused:
    return ArchiveRefused(
        "The selected file is damaged or protected by a password. Save it again without a password, then upload it"
    )


def _bomb() -> ArchiveRefused:
    return ArchiveRefused(f"The selected file expands to far more than its size, so it cannot be checked. {SAVE_AGAIN}")


def _too_big(limit: int) -> ArchiveRefused:
    return ArchiveRefused(
        f"The selected file unpacks to more than {_mb(limit)}MB. Remove large pictures or split it into smaller files"
    )


def declared_entries(data: bytes) -> int:
    """The number of parts the archive's end record declares, read without listing them."""
    tail_start = max(0, len(data) - (65535 + 22))
    at = data.rfind(b"PK\x05\x06", tail_start)
    if at < 0 or len(data) < at + 22:
        raise _damaged()
    (entries,) = struct.unpack_from("<H", data, at + 10)
    if entries != 0xFFFF:
        return int(entries)
    locator = data.rfind(b"PK\x06\x07", tail_start, at)  # ZIP64: the count is in the ZIP64 end record
    if locator < 0 or len(data) < locator + 20:
        raise _damaged()
    (record,) = struct.unpack_from("<Q", data, locator + 8)
    if data[record : record + 4] != b"PK\x06\x06" or len(data) < record + 40:
        raise _damaged()
    (count,) = struct.unpack_from("<Q", data, record + 32)
    return int(count)


_DRIVE = re.compile(r"^[A-Za-z]:")


def _unsafe(name: str) -> bool:
    if not name or len(name) > 1024 or any(ord(c) < 32 for c in name):
        return True
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return True
    return any(part == ".." for part in re.split(r"[/\\]", name))


class _Budget:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.left = limit
        # Embedded archives are held in memory to be measured in turn: all together at most the cap.
        self.nested_left: int = settings.UPLOAD_MAX_BYTES

    def hold_nested(self, size: int) -> None:
        self.nested_left -= size
        if self.nested_left < 0:
            raise ArchiveRefused(
                f"The selected file has embedded files larger than {_mb(settings.UPLOAD_MAX_BYTES)}MB in all. "
                "Upload the embedded files on their own"
            )

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise _too_big(self.limit)


def inspect_zip(data: bytes, *, _budget: _Budget | None = None, _depth: int = 0) -> ArchiveSummary:
    """Measures the archive in `data` with bounded reads; raises ArchiveRefused when it is unsafe."""
    max_entries: int = settings.UPLOAD_ARCHIVE_MAX_ENTRIES
    ratio: int = settings.UPLOAD_ARCHIVE_MAX_RATIO
    budget = _budget or _Budget(settings.UPLOAD_ARCHIVE_MAX_UNPACKED_BYTES)
    if declared_entries(data) > max_entries:
        raise ArchiveRefused(f"The selected file has more than {max_entries} parts. {SAVE_AGAIN}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error) as error:
        raise _damaged() from error
    infos = archive.infolist()
    if len(infos) > max_entries:
        raise ArchiveRefused(f"The selected file has more than {max_entries} parts. {SAVE_AGAIN}")
    names = [info.orig_filename for info in infos]
    if any(_unsafe(name) for name in names) or len(set(names)) != len(names):
        raise ArchiveRefused(f"The selected file contains a part with an unsafe name. {SAVE_AGAIN}")
    declared = 0
    for info in infos:
        if info.flag_bits & 0x1 or info.compress_type not in METHODS:
            raise _damaged()
        if info.file_size > RATIO_FLOOR and info.file_size > ratio * max(info.compress_size, 1):
            raise _bomb()
        declared += info.file_size
    if declared > budget.left:
        raise _too_big(budget.limit)
    summary = ArchiveSummary(names=names)
    inner: list[bytes] = []
    for info in infos:
        kept, nested = _read_part(archive, info, budget=budget, ratio=ratio)
        if kept is not None:
            summary.kept[info.orig_filename] = kept
        if nested is not None:
            inner.append(nested)
    for data_inside in inner:
        if _depth >= 1:
            raise ArchiveRefused(
                "The selected file has files inside files inside it. Upload each attached file on its own"
            )
        summary.nested.append(inspect_zip(data_inside, _budget=budget, _depth=_depth + 1))
    return summary


def _read_part(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, budget: _Budget, ratio: int
) -> tuple[bytes | None, bytes | None]:
    """Reads one part in pieces; returns its first bytes if a check needs them and its whole
    content if it is itself a zip (at most the upload cap, measured by the same budget)."""
    keep = KEEP.get(info.orig_filename, 0)
    head = bytearray()
    nested: bytearray | None = None
    size = 0
    try:
        with archive.open(info) as part:
            while chunk := part.read(CHUNK):
                if size == 0:
                    if chunk.startswith(OTHER_ARCHIVES):
                        raise ArchiveRefused(
                            "The selected file has files inside files inside it. Upload each attached file on its own"
                        )
                    if is_zip(chunk):
                        nested = bytearray()
                size += len(chunk)
                budget.spend(len(chunk))
                if size > RATIO_FLOOR and size > ratio * max(info.compress_size, 1):
                    raise _bomb()
                if len(head) < keep:
                    head += chunk[: keep - len(head)]
                if nested is not None:
                    budget.hold_nested(len(chunk))
                    nested += chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as error:
        raise _damaged() from error
    return (bytes(head) if keep else None), (bytes(nested) if nested is not None else None)
