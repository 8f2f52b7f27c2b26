"""Browser journeys against the real service.

How it runs: once per test session the service is started as it is in production form - gunicorn
serving `config.wsgi` plus the database task worker - on a free port, with its own temporary
SQLite database and files (VAR_DIR in a temporary directory), migrated and seeded with the demo
partnership by the same management commands `bin/run` uses. Chromium is Debian's
`/usr/bin/chromium`, driven by Playwright's sync API; Playwright never downloads a browser.

Why a subprocess rather than pytest-django's `live_server`: it is the real service (WSGI server,
middleware, static files, task worker, email files), the database is seeded once rather than
flushed per test, and the test process never touches the database from inside Playwright's event
loop (Django refuses synchronous ORM calls there).

Fixtures and helpers for journeys:
- `service` (session): `.base_url`, `.var_dir`, `.manage(*args) -> str` (runs a management
  command against the service's database), `.users` (the `demo_users --json` list), `.user(key)`,
  `.mail()` (emails written so far, oldest first, each decoded as "To: ...\nSubject: ...\n\nbody").
- `base_url`, `browser` (session), `context`/`page` (per test, `base_url` set, no JS disabled).
- `sign_in(page, username)`: email + password, then a TOTP code computed from the persona's
  secret; asserts it lands on the home page. `username` may be a demo key ("coordinator") or the
  full email address.
- `check_a11y(page)`: axe-core with the WCAG 2.2 AA tags; fails listing every violation. axe is
  injected with `page.evaluate`, which the page's CSP does not govern, so no `bypass_csp` is needed
  and the pages are checked under their real policy.
- `shot(page, name)`: a full-page screenshot into e2e/artifacts/ (gitignored).
"""

import base64
import email
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Playwright must never fetch a browser of its own.
os.environ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "e2e" in item.nodeid.split("/")[0]:
            item.add_marker(pytest.mark.e2e)


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
class Service:
    base_url: str
    var_dir: Path
    env: dict[str, str]
    users: list[dict[str, Any]] = field(default_factory=list)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def manage(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120
        )
        if check and result.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

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
                parsed = email.message_from_string(raw.strip("\n"))
                parts = [p for p in parsed.walk() if p.get_content_type() == "text/plain"] or [parsed]
                body = "".join(
                    (p.get_payload(decode=True) or b"").decode(p.get_content_charset() or "utf-8") for p in parts
                )
                messages.append(f"To: {parsed['To']}\nSubject: {parsed['Subject']}\n\n{body}")
        return messages


def _wait_until_healthy(service: Service, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        for proc in service.processes:
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


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser suite")
    var_dir = tmp_path_factory.mktemp("service-var")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ENV", "TESTING", "REDIS_URL"}}
    env.update(
        {
            "VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SERVICE_URL": base_url,
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    service = Service(base_url=base_url, var_dir=var_dir, env=env)
    service.manage("migrate", "--no-input", "-v", "0")
    service.manage("seed_demo", "--if-empty")
    service.users = json.loads(service.manage("demo_users", "--json"))
    commands = {
        "web": [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
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
        "worker": [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--interval", "1"],
    }
    for name, command in commands.items():
        log = (var_dir / f"{name}.log").open("wb")
        service.processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
    try:
        _wait_until_healthy(service)
        yield service
    finally:
        for proc in service.processes:
            proc.terminate()
        for proc in service.processes:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def base_url(service: Service) -> str:
    return service.base_url


@pytest.fixture(scope="session")
def demo(service: Service) -> list[dict[str, Any]]:
    """The demo personas as `manage.py demo_users --json` prints them."""
    return service.users


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright, service: Service) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    ctx = browser.new_context(base_url=base_url, locale="en-GB", timezone_id="Europe/London")
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


# TOTP codes are single use per time step (django-otp refuses a step at or before the last one it
# accepted). Sign-ins of the same persona close together take the next step, which django-otp
# accepts within its tolerance of one step; a third in the same window waits for the next one.
_last_step: dict[str, int] = {}


def _next_code(username: str, secret: str) -> str:
    while True:
        now_step = int(time.time() // 30)
        step = max(now_step, _last_step.get(username, -1) + 1)
        if step <= now_step + 1:
            _last_step[username] = step
            return totp_code(secret, at=step * 30)
        time.sleep(max(0.1, (now_step + 1) * 30 - time.time() + 0.2))


def enter_code(page: Page, username: str, secret: str, button: str = "Sign in") -> None:
    page.get_by_label("Security code").fill(_next_code(username, secret))
    page.get_by_role("button", name=button, exact=True).click()


@pytest.fixture
def sign_in(service: Service) -> Callable[..., dict[str, Any]]:
    """sign_in(page, "coordinator") signs a demo persona in with password and TOTP; returns the persona."""

    def _sign_in(page: Page, username: str, password: str | None = None) -> dict[str, Any]:
        persona = service.user(username)
        page.goto("/sign-in/")
        page.get_by_label("Email address").fill(persona["username"])
        page.get_by_label("Password").fill(password or persona["password"])
        page.get_by_role("button", name="Continue", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
        enter_code(page, persona["username"], persona["totp_secret"])
        expect(page).to_have_url(f"{service.base_url}/")
        return persona

    return _sign_in


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} [{v.get('helpUrl', '')}]")
        for node in v.get("nodes", [])[:5]:
            lines.append(f"    at {', '.join(map(str, node.get('target', [])))}: {node.get('failureSummary', '')}")
    return "\n".join(lines)


_axe = Axe()
AXE_TIMEOUT_MS = 60_000

# page.evaluate has no timeout of its own: if axe never settles (a page left in the background, a
# frame that never answers) the suite would wait for ever, so the run races a timer.
_RUN_AXE = """(options) => Promise.race([
    axe.run(document, options),
    new Promise((_, reject) => setTimeout(
        () => reject(new Error("axe did not finish within " + options.timeoutMs + " ms")), options.timeoutMs)),
])"""


def run_axe(page: Page) -> list[dict[str, Any]]:
    """axe on the page as it is. A page whose JavaScript is off (its context was made with
    java_script_enabled=False, or base.html's inline script did not run) cannot run axe itself -
    page.evaluate would never return - so its exact HTML is replayed at the same address in a
    JavaScript-enabled page, with the service's real CSS, and checked there."""
    page.wait_for_load_state("load")
    classes = page.locator("body").get_attribute("class", timeout=5_000) or ""
    if page.url.startswith("http") and "js-enabled" not in classes.split():
        return _run_axe_on_copy(page)
    return _run_axe_here(page)


def _run_axe_on_copy(page: Page) -> list[dict[str, Any]]:
    html, url = page.content(), page.url
    browser = page.context.browser
    assert browser is not None
    context = browser.new_context()
    try:
        copy = context.new_page()
        copy.route(
            lambda u: u == url,
            lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html),
        )
        copy.goto(url)
        return _run_axe_here(copy)
    finally:
        context.close()


def _run_axe_here(page: Page) -> list[dict[str, Any]]:
    page.bring_to_front()
    page.evaluate(_axe.axe_script)
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
        "iframes": False,
    }
    response = page.evaluate("(o) => (" + _RUN_AXE + ")(o)", {**options, "timeoutMs": AXE_TIMEOUT_MS})
    return list(response.get("violations", []))


@pytest.fixture
def check_a11y() -> Callable[[Page], None]:
    """check_a11y(page): axe with WCAG 2.2 AA tags; fails with a readable list of violations."""

    def _check(page: Page) -> None:
        violations = run_axe(page)
        assert not violations, f"Accessibility violations on {page.url}:\n{format_violations(violations)}"

    return _check


@pytest.fixture
def shot() -> Callable[[Page, str], Path]:
    def _shot(page: Page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot
