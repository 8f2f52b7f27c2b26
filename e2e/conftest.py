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

The starter is `e2e.service.start_service(var_dir, start_at=None)`. A journey that moves time
forward starts its own instance with `start_at` (see `e2e/timewarp.py`): travelling the shared
session service would break the other journeys (TOTP steps, idle sessions, demo deadlines).

Fixtures and helpers for journeys:
- `service` (session): `.base_url`, `.var_dir`, `.manage(*args) -> str` (runs a management
  command against the service's database), `.users` (the `demo_users --json` list), `.user(key)`,
  `.mail()` (emails written so far, oldest first, each decoded as "To: ...\nSubject: ...\n\nbody"),
  `.now()`; a service started with `start_at` also has `.travel_to(datetime)`.
- `base_url`, `browser` (session), `context`/`page` (per test, `base_url` set, no JS disabled).
- `sign_in(page, username)`: email + password, then a TOTP code computed from the persona's
  secret on the service's clock; asserts it lands on the home page (`e2e.service.sign_in_to(service,
  page, username)` for another instance). `username` may be a demo key ("coordinator") or the
  full email address.
- `check_a11y(page)`: axe-core with the WCAG 2.2 AA tags; fails listing every violation. axe is
  injected with `page.evaluate`, which the page's CSP does not govern, so no `bypass_csp` is needed
  and the pages are checked under their real policy.
- `shot(page, name)`: a full-page screenshot into e2e/artifacts/ (gitignored).
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from e2e.service import Service, enter_code, sign_in_to, start_service, totp_code

__all__ = ["Service", "enter_code", "format_violations", "run_axe", "totp_code"]

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


def require_chromium() -> None:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser suite")


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    require_chromium()
    with start_service(tmp_path_factory.mktemp("service-var")) as started:
        yield started


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
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    require_chromium()
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


@pytest.fixture
def sign_in(service: Service) -> Callable[..., dict[str, Any]]:
    """sign_in(page, "coordinator") signs a demo persona in with password and TOTP; returns the persona."""

    def _sign_in(page: Page, username: str, password: str | None = None) -> dict[str, Any]:
        return sign_in_to(service, page, username, password)

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
