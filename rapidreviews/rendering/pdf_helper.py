"""A second process that lays out PDF parts while this one lays out another (WeasyPrint is pure
Python: one render uses one core, and the service runs on two).

The helper is a plain child process (`python -m rapidreviews.rendering.pdf_helper`), not a
multiprocessing pool: it imports WeasyPrint and `pdf_engine` only, never Django or the parent's
`__main__`, and it exits when its standard input closes, so it cannot outlive its parent.

Protocol, one request at a time: the parent sends a header (8-byte big-endian sequence number,
8-byte length) and the HTML (UTF-8); the helper answers with a status byte (0: a PDF, 1: an error
message), the same sequence number, a length and the body. An answer with another sequence number,
an unknown status, a length over the cap or a "PDF" that does not start with `%PDF-` is a protocol
violation: the helper is killed, so a stray or stale answer can never be taken for another part.
The helper keeps the protocol on a private copy of its standard output and points file descriptor 1
at standard error, so nothing a C library prints can reach the pipe.

Each process that renders (the task worker, a web worker, a management command) starts its own
helper on first use and keeps it warm. After a fork (an RQ job) the child forgets the parent's
helper and starts its own. One request at a time: a thread that finds the helper busy, or a helper
that has died, hung, failed or broken the protocol, gets None back and renders the part itself, so
a document is never lost to the helper (the failure is logged). Anything else raised while waiting
(a job timeout, an interrupt) stops the helper and propagates.
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

_REQUEST = struct.Struct(">QQ")  # sequence number, length
_REPLY = struct.Struct(">BQQ")  # status, sequence number, length
_OK, _ERROR = 0, 1
MAX_REPLY_BYTES = 512 * 2**20
# A part of a rapid review takes 1 to 3 s; a helper that has not answered in this long is killed.
TIMEOUT_SECONDS = 120.0
_ROOT = Path(__file__).resolve().parents[2]
_FAILURES = (OSError, EOFError, TimeoutError, ValueError, struct.error)


class ProtocolError(ValueError):
    pass


class PdfHelper:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._owner_pid = 0
        self._sequence = 0
        self._answered = 0  # parts this helper has rendered (0: it is still cold)
        self.command = [sys.executable, "-m", "rapidreviews.rendering.pdf_helper"]

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process and self._process.poll() is None else None

    @property
    def warm(self) -> bool:
        """Running, this process's, and has rendered a part (so WeasyPrint and fonts are loaded)."""
        return self._owner_pid == os.getpid() and self.pid is not None and self._answered > 0

    def submit(self, html: str) -> "Pending | None":
        """Sends one part to the helper. None when the helper is busy or cannot take it."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            process = self._running()
            assert process.stdin is not None
            self._sequence += 1
            body = html.encode("utf-8")
            _write(process.stdin, _REQUEST.pack(self._sequence, len(body)) + body, time.monotonic() + 30)
        except _FAILURES:
            logger.warning("The PDF helper could not take a part; rendering it in this process", exc_info=True)
            self._stop()
            self._lock.release()
            return None
        except BaseException:
            self._stop()
            self._lock.release()
            raise
        return Pending(self, self._sequence)

    def _running(self) -> "subprocess.Popen[bytes]":
        if self._owner_pid and self._owner_pid != os.getpid():
            self._process = None  # a fork's copy of the parent's helper: not ours to use
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                self.command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                cwd=_ROOT,
                close_fds=True,
            )
            self._owner_pid = os.getpid()
            self._answered = 0
        return self._process

    def _receive(self, sequence: int) -> bytes | None:
        try:
            process = self._process
            assert process is not None and process.stdout is not None
            header = _read(process.stdout, _REPLY.size, deadline=time.monotonic() + TIMEOUT_SECONDS)
            status, answered, length = _REPLY.unpack(header)
            if answered != sequence or status not in (_OK, _ERROR) or length > MAX_REPLY_BYTES:
                raise ProtocolError(f"Unexpected answer (status {status}, part {answered} of {sequence})")
            body = _read(process.stdout, length, deadline=time.monotonic() + 30)
            if status == _ERROR:
                logger.warning("The PDF helper failed a part; rendering it in this process: %s", body.decode())
                return None
            if not body.startswith(b"%PDF-"):
                raise ProtocolError("The helper's answer is not a PDF")
            self._answered += 1
            return body
        except _FAILURES:
            logger.warning("The PDF helper did not answer; rendering the part in this process", exc_info=True)
            self._stop()
            return None
        except BaseException:
            self._stop()  # its answer would be left in the pipe: never let a later part read it
            raise
        finally:
            self._lock.release()

    def _stop(self) -> None:
        if self._process is not None and self._owner_pid == os.getpid():
            self._process.kill()
            self._process.wait()
        self._process = None

    def _forget_after_fork(self) -> None:
        """In a forked child: the parent's helper and lock state are the parent's (its pipes stay
        open here until this process ends, which is harmless); start afresh."""
        self._lock = threading.Lock()
        self._process = None
        self._owner_pid = 0

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
                    self._process.wait()
            self._process = None
        finally:
            self._lock.release()


class Pending:
    """A part the helper is rendering; `result()` waits for it (None: render it yourself).
    It must be called exactly once: the helper is free again only when its answer has been read."""

    def __init__(self, helper: PdfHelper, sequence: int) -> None:
        self._helper = helper
        self._sequence = sequence

    def result(self) -> bytes | None:
        return self._helper._receive(self._sequence)


def _wait(fd: int, events: int, deadline: float) -> None:
    """poll(), not select(): a process with many open files can have descriptors over 1024."""
    poller = select.poll()
    poller.register(fd, events)
    left = deadline - time.monotonic()
    if left <= 0 or not poller.poll(left * 1000):
        raise TimeoutError("The PDF helper did not answer in time")


def _write(stream: Any, data: bytes, deadline: float) -> None:
    fd = stream.fileno()
    view = memoryview(data)
    while view:
        _wait(fd, select.POLLOUT, deadline)
        view = view[os.write(fd, view[: 2**16]) :]


def _read(stream: Any, size: int, *, deadline: float) -> bytes:
    """Reads exactly `size` bytes from the pipe (unbuffered, with os.read) before the deadline."""
    fd = stream.fileno()
    chunks, remaining = [], size
    while remaining:
        _wait(fd, select.POLLIN, deadline)
        chunk = os.read(fd, min(remaining, 2**20))
        if not chunk:
            raise EOFError("The PDF helper stopped")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, remaining = [], size
    while remaining:
        chunk = os.read(fd, remaining)
        if not chunk:
            return None  # the parent closed the pipe or exited
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def main() -> None:
    from rapidreviews.rendering.pdf_engine import html_to_pdf

    # Replies go to a private copy of the pipe; descriptor 1 (and Python's stdout) go to stderr,
    # so nothing else printed by this process or its C libraries can reach the parent as a reply.
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    stdin = sys.stdin.fileno()
    while True:
        header = _read_exactly(stdin, _REQUEST.size)
        if header is None:
            return
        sequence, length = _REQUEST.unpack(header)
        data = _read_exactly(stdin, length)
        if data is None:
            return
        try:
            status, body = _OK, html_to_pdf(data.decode("utf-8"))
        except Exception as error:  # logged here and reported to the parent, which renders the part itself
            logger.exception("The PDF helper could not render a part")
            status, body = _ERROR, f"{type(error).__name__}: {error}".encode()
        replies.write(_REPLY.pack(status, sequence, len(body)) + body)
        replies.flush()


if __name__ == "__main__":
    main()
