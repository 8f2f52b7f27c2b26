"""Bench: the fewest clicks (and form submits) for an agency's lead to send a minimal summary.

From the lead's home page to a sent summary with every required section answered and one
chronology entry, in Chromium, as a demo agency lead, on a running service. Each click of a link
or button counts one; typing does not. Prints the count and the steps; asserts nothing beyond the
summary being sent at the end.

Run against a service started with the demo data (`PORT=8100 VAR_DIR=/tmp/clicks bin/run`):
    .venv/bin/python bench/summary_clicks.py http://127.0.0.1:8100 /tmp/clicks [lead.police]

It opens the lead's first request whose summary is not started. Measured on 2026-12-04:
- before (one page per section, one page per entry): 21 clicks;
- after (the five short sections on one page, entries as rows of a table): 13 clicks.
"""

import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Locator, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from e2e.service import totp_code  # noqa: E402

SHORT_SECTIONS = ("lived_experience", "inequalities", "immediate_actions", "learning", "parallel_processes")


def persona(var_dir: str, key: str) -> dict[str, str]:
    env = {**os.environ, "VAR_DIR": var_dir}
    people = json.loads(
        subprocess.run(
            [sys.executable, "manage.py", "demo_users", "--json"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    return next(p for p in people if p["username"].startswith(f"{key}@"))


def sign_in(page: Page, who: dict[str, str]) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(who["username"])
    page.get_by_label("Password").fill(who["password"])
    page.get_by_role("button", name="Continue", exact=True).click()
    page.get_by_label("Security code").fill(totp_code(who["totp_secret"]))
    page.get_by_role("button", name="Sign in", exact=True).click()


def walk(page: Page) -> list[str]:
    steps: list[str] = []

    def click(target: Locator, step: str) -> None:
        steps.append(step)
        target.click()

    requests = page.get_by_role("link", name=re.compile(r"^Summary for NSCP-"))
    for n in range(requests.count()):  # the first request not started yet; looking does not count
        page.goto("/")
        page.get_by_role("link", name=re.compile(r"^Summary for NSCP-")).nth(n).click()
        if "Not started" in page.locator("main").inner_text():
            break
    steps.append("Home: open the request")
    today = date.today()
    click(page.get_by_role("link", name="Period of involvement and summary", exact=True), "Period of involvement")
    for name, when in (("period_start", today - timedelta(days=365)), ("period_end", today - timedelta(days=1))):
        for part, value in enumerate((when.day, when.month, when.year)):
            page.locator(f"[name='{name}_{part}']").fill(str(value))
    page.locator("[name='involvement_summary']").fill("Saw the family 6 times.")
    click(page.get_by_role("button", name="Save and go back to your summary"), "Save the period")
    click(page.get_by_role("link", name="Key practice episodes", exact=True), "Key practice episodes")
    click(page.get_by_role("link", name="Add a key practice episode"), "Add an episode")
    page.locator("[name='title']").fill("Home visit")
    page.locator("[name='went_well']").fill("Seen promptly.")
    click(page.get_by_role("button", name="Save episode", exact=True), "Save the episode")
    click(page.get_by_role("link", name="Continue to your summary"), "Continue to the summary")
    click(page.get_by_role("link", name="The child's lived experience and voice", exact=True), "The short sections")
    for name in SHORT_SECTIONS:
        page.locator(f"[name='{name}']").fill("A few sentences.")
    click(page.get_by_role("button", name="Save and go back to your summary"), "Save the short sections")
    click(page.get_by_role("link", name="Add chronology entries"), "Add chronology entries")
    page.locator("[name='row-1-date']").fill(f"{today - timedelta(days=10):%d/%m/%Y}")
    page.locator("[name='row-1-what_happened']").fill("Seen at home.")
    page.locator("[name='row-1-source']").fill("Case record")
    click(page.get_by_role("button", name="Save entries"), "Save the entry")
    click(page.get_by_role("link", name="Check and submit your summary"), "Check and submit")
    click(page.get_by_role("button", name="Submit your summary"), "Submit")
    expect(page.locator("main")).to_contain_text("Submitted")
    return steps


def main() -> None:
    base_url, var_dir = sys.argv[1], sys.argv[2]
    who = persona(var_dir, sys.argv[3] if len(sys.argv) > 3 else "lead.police")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(base_url=base_url)
        sign_in(page, who)
        steps = walk(page)
        browser.close()
    print(f"{len(steps)} clicks from the home page to a sent summary:")
    for n, step in enumerate(steps, 1):
        print(f"{n:3}. {step}")


if __name__ == "__main__":
    main()
