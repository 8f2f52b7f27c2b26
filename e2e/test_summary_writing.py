"""Writing an agency's summary in the browser: nothing typed is lost when the lead leaves a section
at once, and two tabs on the same section end with the second knowingly replacing the first."""

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Browser, Page, expect

from e2e.conftest import Service, sign_in_to


def _open_request(page: Page) -> str:
    """The lead's first open request from their home page; answers the summary's address."""
    page.goto("/")
    page.get_by_role("link", name=re.compile(r"^Summary for NSCP-")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Individual Agency Summary")
    return page.url


def test_text_typed_just_before_following_a_link_is_saved(
    page: Page, sign_in: Callable[..., Any], check_a11y: Callable[[Page], None]
) -> None:
    sign_in(page, "lead.police")
    summary = _open_request(page)
    page.get_by_role("link", name="Parallel processes", exact=True).click()
    box = page.get_by_label("Parallel processes you know of")
    box.fill("Police investigation opened; a strategy meeting is booked.")
    page.get_by_role("link", name="Back to your summary").click()  # at once: no pause for the autosave
    expect(page).to_have_url(summary)
    expect(page.get_by_role("listitem").filter(has_text="Parallel processes")).to_contain_text("In progress")
    page.get_by_role("link", name="Parallel processes", exact=True).click()
    expect(box).to_have_value("Police investigation opened; a strategy meeting is booked.")
    check_a11y(page)


def test_two_tabs_on_one_section_end_with_the_second_replacing_the_first_knowingly(
    browser: Browser, service: Service, check_a11y: Callable[[Page], None]
) -> None:
    context = browser.new_context(base_url=service.base_url)
    try:
        first, second = context.new_page(), context.new_page()
        sign_in_to(service, first, "lead.school")
        _open_request(first)
        first.get_by_role("link", name="Learning identified", exact=True).click()
        second.goto(first.url)
        first.get_by_label("Learning your agency has identified").fill("Written in the first tab")
        first.get_by_role("button", name="Save and go back to your summary").click()
        expect(first.locator(".govuk-notification-banner--success")).to_contain_text("Learning identified")
        box = second.get_by_label("Learning your agency has identified")
        box.fill("Written in the second tab")
        second.get_by_role("button", name="Save and go back to your summary").click()
        expect(second.locator(".govuk-error-summary")).to_contain_text("This was changed elsewhere")
        expect(second.locator("#saved-now")).to_contain_text("Written in the first tab")
        expect(box).to_have_value("Written in the second tab")
        check_a11y(second)
        second.get_by_role("button", name="Save and go back to your summary").click()
        expect(second.get_by_role("heading", level=1)).to_contain_text("Individual Agency Summary")
        second.get_by_role("link", name="Learning identified", exact=True).click()
        expect(box).to_have_value("Written in the second tab")
    finally:
        context.close()
