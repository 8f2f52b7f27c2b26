"""The service under test as subprocesses, and signing in to it (see conftest.py's docstring).

`start_service(var_dir)` starts one instance: its own VAR_DIR (SQLite database, uploads, email
files), migrated and seeded with the demo partnership by the commands `bin/run` uses, then
gunicorn (1 worker, 8 threads) and the database task worker on a free port.

`start_service(var_dir, start_at=when)` starts an instance whose clock can be moved: every process
of it (web, worker, each `manage()` command) runs under `e2e.timewarp`, with the clock already at
`start_at` before the database is migrated and seeded, so the demo data is coherent with it.
`service.travel_to(when)` then moves the clock of all of them; `service.now()` is the service's time.
"""

import base64
import email
import email.message
import email.policy
import hashlib
import hmac
import json
import os
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from e2e.timewarp import Warp, ack_file, read_raw, write_clock

ROOT = Path(__file__).resolve().parent.parent
LONDON = ZoneInfo("Europe/London")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def totp_code(secret_b32: str, at: float | None = None, step_offset: int = 0) -> str:
    """RFC 6238 TOTP (SHA-1, 30 s, 6 digits), as django-otp checks it."""
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    counter = int((time.time() if at is None else at) // 30) + step_offset
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


@dataclass
class CodeBook:
    """TOTP codes on one service's clock. A code is single use per time step (django-otp refuses a
    step at or before the last one it accepted): sign-ins of the same persona close together take
    the next step, which django-otp accepts within its tolerance of one step; a third in the same
    window waits for the next one."""

    now: Callable[[], float]
    last_step: dict[str, int] = field(default_factory=dict)

    def next_code(self, username: str, secret: str) -> str:
        while True:
            now = self.now()
            now_step = int(now // 30)
            step = max(now_step, self.last_step.get(username, -1) + 1)
            if step <= now_step + 1:
                self.last_step[username] = step
                return totp_code(secret, at=step * 30)
            time.sleep(max(0.1, (now_step + 1) * 30 - now + 0.2))  # service time runs at the real rate


# Every service on real time shares one book: the personas' devices are the same in each.
REAL_TIME_CODES = CodeBook(now=time.time)


@dataclass
class Service:
    base_url: str
    var_dir: Path
    env: dict[str, str]
    time_travel: bool = False
    users: list[dict[str, Any]] = field(default_factory=list)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    travels: int = 0  # how many times the clock was moved: a page signed in before may be signed out
    codes: CodeBook = field(default_factory=lambda: REAL_TIME_CODES)

    def manage(self, *args: str, check: bool = True) -> str:
        """Runs a management command against this service's database (and at its time)."""
        result = subprocess.run(
            [*self._python(), "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120
        )
        if check and result.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def _python(self) -> list[str]:
        return [sys.executable, "-m", "e2e.timewarp"] if self.time_travel else [sys.executable]

    def now(self) -> datetime:
        """The service's time (Europe/London)."""
        warp = Warp.load(read_raw(self.var_dir)) if self.time_travel else None
        return datetime.fromtimestamp(warp.service_time() if warp else time.time(), LONDON)

    def today(self) -> date:
        return self.now().date()

    def travel_to(self, when: datetime) -> None:
        """Moves the clock of every process of the service to `when` (timezone-aware); returns once
        the web answers with the new time and the worker has acknowledged it."""
        if not self.time_travel:
            raise AssertionError("This service runs on real time: start one with start_service(..., start_at=...)")
        warp, raw = write_clock(self.var_dir, when)
        self.travels += 1
        self._wait_for_clock(warp, raw)

    def _wait_for_clock(self, warp: Warp, raw: str, timeout: float = 30.0) -> None:
        worker = self.processes.get("worker")
        deadline = time.monotonic() + timeout
        web_seen: datetime | None = None
        while time.monotonic() < deadline:
            sent = warp.service_time()
            with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=5) as response:
                web_seen = parsedate_to_datetime(response.headers["Date"])  # gunicorn: time.time(), whole seconds
            web_ok = sent - 1 <= web_seen.timestamp() <= warp.service_time() + 1
            worker_ok = worker is None or (
                ack_file(self.var_dir, worker.pid).exists() and ack_file(self.var_dir, worker.pid).read_text() == raw
            )
            if web_ok and worker_ok:
                return
            time.sleep(0.05)
        raise AssertionError(f"The service did not move to {raw} within {timeout}s (web said {web_seen})")

    def user(self, key: str) -> dict[str, Any]:
        """A demo persona by key ("coordinator", "lead.health") or by email address."""
        for row in self.users:
            if row["username"] == key or row["username"].split("@")[0] == key:
                return row
        raise KeyError(f"No demo persona {key!r}; known: {[r['username'] for r in self.users]}")

    def mail(self) -> list[str]:
        """Every email written so far by the file backend, oldest first."""
        folder = self.var_dir / "mail"
        if not folder.exists():
            return []
        files = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime)
        messages: list[str] = []
        for path in files:
            for raw in path.read_text().split("-" * 79):
                if not raw.strip():
                    continue
                # The default policy unfolds long headers (a long subject is folded onto two lines).
                parsed = email.message_from_string(raw.strip("\n"), policy=email.policy.default)
                parts = [p for p in parsed.walk() if p.get_content_type() == "text/plain"] or [parsed]
                body = "".join(_text(p) for p in parts)
                messages.append(f"To: {parsed['To']}\nSubject: {parsed['Subject']}\n\n{body}")
        return messages


def _text(part: email.message.Message) -> str:
    payload = part.get_payload(decode=True)
    return payload.decode(part.get_content_charset() or "utf-8") if isinstance(payload, bytes) else ""


def _wait_until_healthy(service: Service, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        for proc in service.processes.values():
            if proc.poll() is not None:
                raise RuntimeError(f"The service exited early (code {proc.returncode}); see {service.var_dir}/*.log")
        try:
            with urllib.request.urlopen(f"{service.base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError as error:
            last_error = error
        time.sleep(0.2)
    raise RuntimeError(f"The service did not answer /healthz within {timeout}s: {last_error}")


@contextmanager
def start_service(var_dir: Path, start_at: datetime | None = None) -> Iterator[Service]:
    """One instance of the service in `var_dir`; with `start_at`, on a clock that can be moved."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ENV", "DJANGO_TESTING", "REDIS_URL"}
    }
    env.update(
        {
            "VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SERVICE_URL": base_url,
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    service = Service(base_url=base_url, var_dir=var_dir, env=env, time_travel=start_at is not None)
    if start_at is not None:
        write_clock(var_dir, start_at)
        service.codes = CodeBook(now=lambda: service.now().timestamp())
    service.manage("migrate", "--no-input", "-v", "0")
    service.manage("seed_demo", "--if-empty")
    service.users = json.loads(service.manage("demo_users", "--json"))
    commands = {
        "web": [
            sys.executable,
            "-m",
            "gunicorn",
            "e2e.timewarp:application" if service.time_travel else "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "8",
            "--timeout",
            "60",
            # gunicorn 27 otherwise takes over one control socket per machine (~/.gunicorn), shared
            # with any other gunicorn running (bin/run, another test run).
            "--no-control-socket",
        ],
        "worker": [*service._python(), "manage.py", "db_worker", "--queue-name", "*", "--interval", "1"],
    }
    for name, command in commands.items():
        log = (var_dir / f"{name}.log").open("wb")
        service.processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_healthy(service)
        if start_at is not None:
            service.travel_to(service.now())  # returns once web and worker both run on the moved clock
            service.travels = 0
        yield service
    finally:
        for proc in service.processes.values():
            proc.terminate()
        for proc in service.processes.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def enter_code(page: Page, username: str, secret: str, button: str = "Sign in", codes: CodeBook | None = None) -> None:
    page.get_by_label("Security code").fill((codes or REAL_TIME_CODES).next_code(username, secret))
    page.get_by_role("button", name=button, exact=True).click()


def sign_in_to(service: Service, page: Page, username: str, password: str | None = None) -> dict[str, Any]:
    """Signs a demo persona in with password and TOTP (on the service's clock); returns the persona."""
    persona = service.user(username)
    page.goto(f"{service.base_url}/sign-in/")
    page.get_by_label("Email address").fill(persona["username"])
    page.get_by_label("Password").fill(password or persona["password"])
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    enter_code(page, persona["username"], persona["totp_secret"], codes=service.codes)
    expect(page).to_have_url(f"{service.base_url}/")
    return persona
