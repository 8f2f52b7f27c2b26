"""A table wider than a phone scrolls sideways in its region, and says so: a line above it ("Scroll
sideways to see the whole table") and a shadow on the side with more to see. On a wide screen,
where the table fits, neither shows."""

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from e2e.conftest import Service, sign_in_to
from e2e.test_long_text import a_case_with_a_reason_on_a_deadline

REGION = "Deadlines, scrolls sideways on a narrow screen"


@pytest.fixture
def context(browser: Browser, service: Service) -> Iterator[BrowserContext]:
    ctx = browser.new_context(
        base_url=service.base_url, viewport={"width": 375, "height": 800}, locale="en-GB", timezone_id="Europe/London"
    )
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


def shadows(page: Page) -> str:
    return str(page.get_by_role("region", name=REGION).evaluate("(region) => getComputedStyle(region).backgroundImage"))


def test_a_table_that_scrolls_sideways_on_a_phone_says_so_and_one_that_fits_does_not(
    context: BrowserContext, service: Service, shot: Any, check_a11y: Any
) -> None:
    reference = a_case_with_a_reason_on_a_deadline(service)
    page: Page = context.new_page()
    sign_in_to(service, page, "coordinator")
    page.goto(f"/cases/{reference}/deadlines/")
    region = page.get_by_role("region", name=REGION)
    assert region.evaluate("(r) => r.scrollWidth > r.clientWidth"), "the deadlines table is wider than a phone"
    hint = page.locator(".app-table-wrap__hint").first
    expect(hint).to_be_visible()
    expect(hint).to_have_text("Scroll sideways to see the whole table")
    hint_box, region_box = hint.bounding_box(), region.bounding_box()
    assert hint_box and region_box and hint_box["y"] + hint_box["height"] <= region_box["y"], "the hint is above it"
    assert "radial-gradient" in shadows(page), "the edge shadow"
    check_a11y(page)
    region.scroll_into_view_if_needed()
    shot(page, "table-scroll-cue-375")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/cases/{reference}/deadlines/")
    fits = page.get_by_role("region", name=REGION)
    if fits.evaluate("(r) => r.scrollWidth <= r.clientWidth + 1"):
        expect(page.locator(".app-table-wrap__hint:visible")).to_have_count(0)
    page.set_viewport_size({"width": 375, "height": 800})
    expect(page.locator(".app-table-wrap__hint").first).to_be_visible()  # narrowing the window brings it back
