"""A second process that lays out PDF parts while this one lays out another (WeasyPrint is pure
Python: one render uses one core, and the service runs on two).

The helper is a plain child process (`python -m rapidreviews.rendering.pdf_helper`), not a
multiprocessing pool: it imports WeasyPrint and `pdf_engine` only, never Django or the parent's
`__main__`, and it exits when its standard input closes, so it cannot outlive its parent. Messages
on its pipes are an 8-byte big-endian length and a body: HTML (UTF-8) in; a status byte (0 for a
PDF, 1 for an error message) and the body out.

Each process that renders (the task worker, a web worker, a management command, a forked RQ job)
starts its own helper on first use and keeps it warm. One request at a time: a thread that finds
the helper busy, or a helper that has died, hung or failed, gets None back and renders the part
itself, so a document is never lost to the helper (the failure is logged).
"""

import logging
import os
import select
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

_LENGTH = struct.Struct(">Q")
_OK, _ERROR = 0, 1
# A part of a rapid review takes 1 to 3 s; a helper that has not answered in this long is killed.
TIMEOUT_SECONDS = 120.0
_ROOT = Path(__file__).resolve().parents[2]


class PdfHelper:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._owner_pid = 0

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process and self._process.poll() is None else None

    def submit(self, html: str) -> "Pending | None":
        """Sends one part to the helper. None when the helper is busy or cannot be started."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            process = self._running()
            assert process.stdin is not None
            body = html.encode("utf-8")
            process.stdin.write(_LENGTH.pack(len(body)) + body)
            process.stdin.flush()
        except Exception:
            logger.warning("The PDF helper could not take a part; rendering it in this process", exc_info=True)
            self._stop()
            self._lock.release()
            return None
        return Pending(self)

    def _running(self) -> "subprocess.Popen[bytes]":
        if self._owner_pid != os.getpid():
            # A fork (an RQ job) inherited its parent's pipes: leave them to the parent.
            self._process = None
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "rapidreviews.rendering.pdf_helper"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                cwd=_ROOT,
                close_fds=True,
            )
            self._owner_pid = os.getpid()
        return self._process

    def _receive(self) -> bytes | None:
        try:
            process = self._process
            assert process is not None and process.stdout is not None
            status = _read(process.stdout, 1, deadline=time.monotonic() + TIMEOUT_SECONDS)
            (length,) = _LENGTH.unpack(_read(process.stdout, _LENGTH.size, deadline=time.monotonic() + 10))
            body = _read(process.stdout, length, deadline=time.monotonic() + 30)
            if status[0] == _OK:
                return body
            logger.warning("The PDF helper failed a part; rendering it in this process: %s", body.decode())
            return None
        except Exception:
            logger.warning("The PDF helper did not answer; rendering the part in this process", exc_info=True)
            self._stop()
            return None
        finally:
            self._lock.release()

    def _stop(self) -> None:
        if self._process is not None and self._owner_pid == os.getpid():
            self._process.kill()
            self._process.wait()
        self._process = None

    def close(self) -> None:
        """Ends the helper (at exit; it would also end by itself when this process's pipes close)."""
        if not self._lock.acquire(timeout=5):
            return  # a part is still being rendered: the helper ends when this process does
        try:
            if self._process is not None and self._owner_pid == os.getpid():
                assert self._process.stdin is not None
                self._process.stdin.close()
                try:
                    self._process.wait(5)
                except subprocess.TimeoutExpired:
                    self._process.kill()
            self._process = None
        finally:
            self._lock.release()


class Pending:
    """A part the helper is rendering; `result()` waits for it (None: render it yourself)."""

    def __init__(self, helper: PdfHelper) -> None:
        self._helper = helper

    def result(self) -> bytes | None:
        return self._helper._receive()


def _read(stream: Any, size: int, *, deadline: float) -> bytes:
    """Reads exactly `size` bytes from the pipe (unbuffered, with os.read) before the deadline."""
    fd = stream.fileno()
    chunks, remaining = [], size
    while remaining:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TimeoutError("The PDF helper did not answer in time")
        chunk = os.read(fd, remaining)
        if not chunk:
            raise EOFError("The PDF helper stopped")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def main() -> None:
    from rapidreviews.rendering.pdf_engine import html_to_pdf

    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but replies goes to the parent's pipe
    while True:
        header = stdin.read(_LENGTH.size)
        if len(header) < _LENGTH.size:
            return  # the parent closed the pipe or exited
        (length,) = _LENGTH.unpack(header)
        html = stdin.read(length).decode("utf-8")
        try:
            status, body = _OK, html_to_pdf(html)
        except Exception as error:  # logged here and reported to the parent, which renders the part itself
            logger.exception("The PDF helper could not render a part")
            status, body = _ERROR, f"{type(error).__name__}: {error}".encode()
        stdout.write(bytes([status]) + _LENGTH.pack(len(body)) + body)
        stdout.flush()


if __name__ == "__main__":
    main()
