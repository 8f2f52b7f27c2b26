"""Refusing uploads that can run code when someone opens them.

- A PDF with JavaScript, an attached (embedded) file, a launch action, rich media or an XFA form.
  The names are looked for in the whole file and inside every compressed object stream (where a
  PDF 1.5+ keeps most of its dictionaries), inflated with a bounded budget, with `#xx` escapes in
  names undone (`/J#61vaScript` is `/JavaScript`). An encrypted PDF cannot be looked into: refused.
- A Word, Excel or OpenDocument file with macros or ActiveX controls: a `vbaProject.bin` part,
  a macro-enabled or VBA or ActiveX content type, `activeX/` parts, OpenDocument `Basic/` or
  `Scripts/` parts, in the file or in any file embedded in it (core.archives lists them all).

Nothing here opens the file with a PDF or Office library: it reads bytes with bounded work.
"""

import re
import zlib

from core.archives import ArchiveSummary

PDF_REFUSED = (
    "The selected PDF contains scripts, attached files or actions that open other programs. "
    "Save it again as a plain PDF (for example, print it to PDF), then upload it"
)
PDF_LOCKED = "The selected file is protected by a password. Save it again without a password, then upload it"
PDF_UNCHECKABLE = (
    "The selected PDF could not be checked. Save it again as a plain PDF (for example, print it to PDF), then upload it"
)
MACROS_REFUSED = (
    "The selected file contains macros or ActiveX controls. Save it again without macros "
    "(as a .docx, .xlsx or .odt file), then upload it"
)

# Each is long enough never to turn up by chance in compressed binary data, so the whole file is read
# for them. (/JS alone is not looked for: a JavaScript action says /S /JavaScript, and a document's
# scripts are listed under /JavaScript.)
DANGEROUS_NAMES = {b"/JavaScript", b"/Launch", b"/EmbeddedFile", b"/EmbeddedFiles", b"/RichMedia", b"/XFA"}
OBJECT_STREAMS_BUDGET = 64 * 1024 * 1024
_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]*")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")


class ContentRefused(ValueError):
    """Raised with a GOV.UK error message for the file input."""


def _names(text: bytes) -> set[bytes]:
    return {_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name) for name in _NAME.findall(text)}


def _inflate(data: bytes, budget: list[int]) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, budget[0] + 1)
    except zlib.error as error:
        raise ContentRefused(PDF_UNCHECKABLE) from error
    budget[0] -= len(out)
    if budget[0] < 0:
        raise ContentRefused(PDF_UNCHECKABLE)
    return out


def _object_streams(data: bytes) -> list[tuple[set[bytes], bytes]]:
    """Every compressed object stream: each "stream" keyword is looked at on its own (none is
    skipped as the inside of another, so a decoy cannot hide one), with its dictionary's names."""
    found: list[tuple[set[bytes], bytes]] = []
    for match in _STREAM.finditer(data):
        start = match.start()
        if data[max(0, start - 3) : start] == b"end":
            continue
        head = data[max(0, start - 4096) : start]
        names = _names(head[head.rfind(b"obj") :] if b"obj" in head else head)
        if b"/ObjStm" not in names:
            continue
        begin = match.end()
        end = -1
        length = _LENGTH.search(head[head.rfind(b"obj") :] if b"obj" in head else head)
        if length is not None:
            guess = begin + int(length.group(1))
            if data[guess : guess + 12].lstrip().startswith(b"endstream"):
                end = guess
        if end < 0:
            end = data.find(b"endstream", begin)
        if end < 0:
            raise ContentRefused(PDF_UNCHECKABLE)
        found.append((names, data[begin:end]))
    return found


def check_pdf(data: bytes) -> None:
    found = _names(data)
    if b"/Encrypt" in found:
        raise ContentRefused(PDF_LOCKED)
    budget = [OBJECT_STREAMS_BUDGET]
    for names, raw in _object_streams(data):
        filters = names & {b"/FlateDecode", b"/Fl"}
        others = {n for n in names if n.endswith(b"Decode") or n in {b"/AHx", b"/A85", b"/LZW", b"/RL"}} - filters
        if others or b"/DecodeParms" in names:
            raise ContentRefused(PDF_UNCHECKABLE)
        found |= _names(_inflate(raw, budget) if filters else raw)
    if found & DANGEROUS_NAMES:
        raise ContentRefused(PDF_REFUSED)


MACRO_TYPES = (b"macroenabled", b"vbaproject", b"ms-office.vba", b"activex", b"ms-excel.sheet.binary.macro")


def check_office(archive: ArchiveSummary) -> None:
    for part in archive.all_archives():
        for name in part.names:
            lowered = name.lower()
            if lowered.rsplit("/", 1)[-1].startswith("vbaproject") or "activex/" in lowered:
                raise ContentRefused(MACROS_REFUSED)
            if lowered.startswith(("basic/", "scripts/")):
                raise ContentRefused(MACROS_REFUSED)
        types = part.kept.get("[Content_Types].xml", b"").lower()
        manifest = part.kept.get("META-INF/manifest.xml", b"")
        if any(marker in types for marker in MACRO_TYPES) or b"Basic/" in manifest or b"Scripts/" in manifest:
            raise ContentRefused(MACROS_REFUSED)
