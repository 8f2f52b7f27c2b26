"""Uploads are scanned with ClamAV where the service finds it (clamd's socket, or clamscan on the
PATH); a fake clamd and a fake clamscan stand in for it here. Without a scanner, "auto" accepts the
file and says it was not scanned; "required" refuses it."""

import os
import socket
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django import Settings

from core.tests import files
from core.uploads import UploadRejected, check_upload
from core.virus_scan import Verdict, scan_bytes

MARKER = b"INVENTED-TEST-VIRUS-MARKER"


def infected_text() -> bytes:
    return b"Notes, all invented.\n" + MARKER + b"\n"


@pytest.fixture
def no_scanner(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.CLAMD_SOCKET = str(tmp_path / "nothing-here.sock")
    settings.CLAMSCAN = "clamscan"
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))


@pytest.fixture
def fake_clamd(settings: Settings, tmp_path: Path) -> Iterator[list[bytes]]:
    """A clamd that speaks INSTREAM on a Unix socket and finds the marker."""
    path = str(tmp_path / "clamd.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(4)
    received: list[bytes] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                stream = conn.makefile("rb")
                assert stream.read(10) == b"zINSTREAM\0"
                data = b""
                while size := struct.unpack(">I", stream.read(4))[0]:
                    data += stream.read(size)
                received.append(data)
                conn.sendall(b"stream: Invented.Test.Signature FOUND\0" if MARKER in data else b"stream: OK\0")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    settings.CLAMD_SOCKET = path
    yield received
    server.close()


@pytest.fixture
def fake_clamscan(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "clamscan"
    script.write_text(
        "#!/bin/sh\n"
        f"if grep -q {MARKER.decode()}; then echo 'stdin: Invented.Test.Signature FOUND'; exit 1; fi\n"
        "exit 0\n"
    )
    script.chmod(0o755)
    settings.CLAMD_SOCKET = str(tmp_path / "nothing-here.sock")
    settings.CLAMSCAN = "clamscan"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin:/bin")


def test_without_a_scanner_auto_accepts_the_file_and_says_it_was_not_scanned(
    no_scanner: None, settings: Settings
) -> None:
    settings.VIRUS_SCAN = "auto"
    checked = check_upload(SimpleUploadedFile("notes.txt", files.text()))
    assert checked.virus_scan == "not scanned"


def test_without_a_scanner_required_refuses_the_file(no_scanner: None, settings: Settings) -> None:
    settings.VIRUS_SCAN = "required"
    with pytest.raises(UploadRejected, match=r"The selected file could not be checked for viruses\. Try again later"):
        check_upload(SimpleUploadedFile("notes.txt", files.text()))


def test_clamd_finds_a_virus_and_the_file_is_refused(fake_clamd: list[bytes], settings: Settings) -> None:
    settings.VIRUS_SCAN = "required"
    with pytest.raises(UploadRejected, match="The selected file contains a virus"):
        check_upload(SimpleUploadedFile("notes.txt", infected_text()))
    assert fake_clamd == [infected_text()], "clamd was sent the whole file"


def test_clamd_passes_a_clean_file(fake_clamd: list[bytes], settings: Settings) -> None:
    settings.VIRUS_SCAN = "auto"
    assert check_upload(SimpleUploadedFile("notes.txt", files.text())).virus_scan == "clamd"


def test_clamscan_on_the_path_is_used_when_clamd_is_not_there(fake_clamscan: None, settings: Settings) -> None:
    settings.VIRUS_SCAN = "auto"
    assert scan_bytes(files.text()).verdict == Verdict.CLEAN
    with pytest.raises(UploadRejected, match="The selected file contains a virus"):
        check_upload(SimpleUploadedFile("notes.txt", infected_text()))


def test_a_scanner_that_fails_refuses_the_file_even_in_auto(
    fake_clamscan: None, settings: Settings, tmp_path: Path
) -> None:
    settings.VIRUS_SCAN = "auto"
    (tmp_path / "bin" / "clamscan").write_text("#!/bin/sh\necho 'LibClamAV Error: invented failure' >&2\nexit 2\n")
    with pytest.raises(UploadRejected, match="The selected file could not be checked for viruses"):
        check_upload(SimpleUploadedFile("notes.txt", files.text()))


def test_scanning_off_never_calls_a_scanner(fake_clamd: list[bytes], settings: Settings) -> None:
    settings.VIRUS_SCAN = "off"
    assert check_upload(SimpleUploadedFile("notes.txt", infected_text())).virus_scan == "not scanned"
    assert fake_clamd == []
