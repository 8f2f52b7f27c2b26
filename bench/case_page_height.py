"""Bench: how tall the case page is in Chromium, at 1280 px and 375 px wide, for the coordinator.

Starts the service on the demo data (its own temporary VAR_DIR, the same commands `bin/run` uses),
signs in as the coordinator, opens every demo case at 1280 px, and prints the full-page height
(`document.documentElement.scrollHeight`) of the busiest one (the tallest page) and of its
sub-pages, at 1280 px and at 375 px. With --shots DIR it also writes full-page screenshots there.
Asserts nothing.

Run: .venv/bin/python bench/case_page_height.py [--shots /tmp/heights] [--all] [--case NSCP-2026-0006]

Measured on 2026-12-04, demo data, the coordinator, Chromium, full-page height at 1280 px / 375 px:
- before (one long page): NSCP-2026-0006, the busiest demo case, 10,104 px / 17,276 px;
- after (a summary with sub-pages), the same case: summary 1,359 / 1,860; deadlines 1,985 / 2,586;
  referral 1,926 / 2,832; documents 900 / 1,065; messages 3,442 / 7,578 (its 50 latest); history
  4,995 / 7,396 (25 events a page). The tallest summary of any demo case is 1,363 px at 1280 px.
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from e2e.service import sign_in_to, start_service  # noqa: E402

WIDTHS = (1280, 375)


def height(page: Page, url: str, width: int, shot: Path | None = None) -> int:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    page.wait_for_load_state("load")
    if shot is not None:
        page.screenshot(path=str(shot), full_page=True)
    return int(page.evaluate("document.documentElement.scrollHeight"))


def sub_pages(page: Page) -> list[tuple[str, str]]:
    """The case's sub-navigation links, if the page has them (name, address)."""
    links = page.locator("nav.moj-sub-navigation a")
    return [(links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href") or "") for i in range(links.count())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shots", type=Path, help="write full-page screenshots into this folder")
    parser.add_argument("--all", action="store_true", help="print every demo case's height at 1280 px")
    parser.add_argument("--persona", default="coordinator")
    parser.add_argument("--case", help="measure this case (a demo reference) instead of the tallest one")
    args = parser.parse_args()
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    with start_service(Path(tempfile.mkdtemp(prefix="bench-case-page-"))) as service:
        cases = json.loads(service.manage("list_cases", "--json"))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            context = browser.new_context(base_url=service.base_url, locale="en-GB", timezone_id="Europe/London")
            page = context.new_page()
            sign_in_to(service, page, args.persona)
            heights = []
            for case in cases:
                url = f"{service.base_url}/cases/{case['reference']}/"
                response = page.goto(url)
                if response is None or response.status != 200:
                    continue
                heights.append((height(page, url, 1280), case["reference"], case["state_label"]))
            heights.sort(reverse=True)
            if args.all:
                for h, ref, state in heights:
                    print(f"{ref:<18} {state:<40} {h:>6} px at 1280")
            _, busiest, state = heights[0]
            if args.case:
                busiest, state = args.case, next(c["state_label"] for c in cases if c["reference"] == args.case)
                print(f"Demo case {busiest} ({state}) for the {args.persona}")
            else:
                print(f"Busiest demo case for the {args.persona}: {busiest} ({state})")
            url = f"{service.base_url}/cases/{busiest}/"
            for width in WIDTHS:
                shot = args.shots / f"case-{width}.png" if args.shots else None
                print(f"  case page at {width:>4} px: {height(page, url, width, shot):>6} px tall")
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(url)
            for name, href in sub_pages(page):
                for width in WIDTHS:
                    slug = href.rstrip("/").rsplit("/", 1)[-1]
                    shot = args.shots / f"sub-{slug}-{width}.png" if args.shots else None
                    print(f"  {name:<28} at {width:>4} px: {height(page, href, width, shot):>6} px tall")
            browser.close()


if __name__ == "__main__":
    main()
