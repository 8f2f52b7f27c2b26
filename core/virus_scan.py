"""Scanning uploads with ClamAV, where the service finds it.

Setting VIRUS_SCAN (environment variable of the same name):
- "auto" (the default): use clamd if its socket answers (CLAMD_SOCKET: a Unix socket path or
  host:port; when empty, the Debian default paths are tried), else `clamscan` if it
  is on the PATH (CLAMSCAN names another command), else accept the file unscanned and say so in
  the upload's audit event ("virus_scan": "not scanned").
- "required": the same, but a file that no scanner checked is refused ("try again later"). Use it
  in production once clamd runs beside the service.
- "off": never scan.
A scanner that is found but fails (an error, a timeout, a file over clamd's StreamMaxLength) always
refuses the file: it could not be checked. clamd is preferred: clamscan loads every signature
(tens of seconds and about a gigabyte of memory) for each file.
"""

import enum
import logging
import os
import shutil
import socket
import struct
import subprocess
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)

DEFAULT_SOCKETS = ("/run/clamav/clamd.ctl", "/var/run/clamav/clamd.ctl")
CHUNK = 256 * 1024


class Verdict(enum.StrEnum):
    CLEAN = "clean"
    INFECTED = "infected"
    FAILED = "failed"
    NOT_SCANNED = "not scanned"


@dataclass(frozen=True)
class ScanResult:
    verdict: Verdict
    scanner: str = ""
    signature: str = ""


def _clamd_address() -> str | None:
    configured: str = settings.CLAMD_SOCKET
    if configured:
        return configured
    return next((path for path in DEFAULT_SOCKETS if os.path.exists(path)), None)


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(address)
        return sock
    host, _, port = address.rpartition(":")
    return socket.create_connection((host, int(port)), timeout=timeout)


def _scan_clamd(address: str, data: bytes, timeout: float) -> ScanResult | None:
    """INSTREAM to clamd; None when nothing answers there (so the next scanner is tried)."""
    try:
        sock = _connect(address, timeout)
    except (OSError, ValueError):
        return None
    try:
        with sock:
            sock.sendall(b"zINSTREAM\0")
            for at in range(0, len(data), CHUNK):
                piece = data[at : at + CHUNK]
                sock.sendall(struct.pack(">I", len(piece)) + piece)
            sock.sendall(struct.pack(">I", 0))
            reply = b""
            while not reply.endswith(b"\0") and (received := sock.recv(4096)):
                reply += received
    except OSError as error:
        logger.warning("clamd at %s failed: %s", address, error)
        return ScanResult(Verdict.FAILED, "clamd")
    text = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if text.endswith(" OK"):
        return ScanResult(Verdict.CLEAN, "clamd")
    if text.endswith(" FOUND"):
        return ScanResult(Verdict.INFECTED, "clamd", text.split(": ", 1)[-1].removesuffix(" FOUND"))
    logger.warning("clamd at %s could not scan a file: %s", address, text[:200])
    return ScanResult(Verdict.FAILED, "clamd")


def _scan_clamscan(command: str, data: bytes, timeout: float) -> ScanResult:
    try:
        done = subprocess.run(
            [command, "--no-summary", "--infected", "--stdout", "-"],
            input=data,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as error:
        logger.warning("clamscan failed: %s", error)
        return ScanResult(Verdict.FAILED, "clamscan")
    if done.returncode == 0:
        return ScanResult(Verdict.CLEAN, "clamscan")
    out = done.stdout.decode("utf-8", "replace").strip()
    if done.returncode == 1 and out.endswith("FOUND"):
        return ScanResult(Verdict.INFECTED, "clamscan", out.split(": ", 1)[-1].removesuffix(" FOUND"))
    logger.warning("clamscan could not scan a file (exit %s): %s", done.returncode, done.stderr[-200:])
    return ScanResult(Verdict.FAILED, "clamscan")


def scan_bytes(data: bytes) -> ScanResult:
    mode: str = settings.VIRUS_SCAN
    if mode == "off":
        return ScanResult(Verdict.NOT_SCANNED)
    timeout: float = settings.VIRUS_SCAN_TIMEOUT
    address = _clamd_address()
    if address is not None and (result := _scan_clamd(address, data, timeout)) is not None:
        return result
    command = shutil.which(settings.CLAMSCAN)
    if command is not None:
        return _scan_clamscan(command, data, timeout)
    return ScanResult(Verdict.NOT_SCANNED)
