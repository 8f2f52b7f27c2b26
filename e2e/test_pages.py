"""The foundation's pages, each checked with axe, and signing in with JavaScript switched off."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import Service, enter_code

PUBLIC_PAGES = [
    ("/sign-in/", "Sign in"),
    ("/sign-in/reset-password/", "Reset your password"),
    ("/accessibility/", None),
    ("/cookies/", None),
    ("/signed-out/", "You have signed out"),
    ("/no-such-page/", None),
    ("/sign-out/", "This page cannot be opened that way"),  # a button's address: 405
]


@pytest.mark.parametrize(("path", "heading"), PUBLIC_PAGES)
def test_each_public_page_is_accessible(page: Page, path: str, heading: str | None, check_a11y: Any) -> None:
    page.goto(path)
    h1 = page.get_by_role("heading", level=1)
    expect(h1).to_have_count(1)
    if heading:
        expect(h1).to_have_text(heading)
    check_a11y(page)


def test_a_coordinators_own_pages_are_accessible(
    page: Page, sign_in: Callable[..., Any], check_a11y: Callable[[Page], None], shot: Any
) -> None:
    sign_in(page, "coordinator")
    for path in ("/account/", "/people/", "/people/invite/", "/cases/"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        check_a11y(page)
    shot(page, "cases-coordinator")
    page.goto("/people/invite/")
    page.get_by_role("button", name="Send invitation").click()
    expect(page).to_have_title(re.compile(r"^Error: Invite someone"))  # waits for the answer to the post
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter their first name")
    check_a11y(page)


def test_signing_in_works_without_javascript(browser: Browser, service: Service, check_a11y: Any) -> None:
    context = browser.new_context(base_url=service.base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        persona = service.user("chair")
        page.goto("/sign-in/")
        page.get_by_label("Email address").fill(persona["username"])
        page.get_by_label("Password").fill(persona["password"])
        page.get_by_role("button", name="Continue", exact=True).click()
        check_a11y(page)
        enter_code(page, persona["username"], persona["totp_secret"])
        expect(page).to_have_url(f"{service.base_url}/")
        check_a11y(page)
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    finally:
        context.close()


def test_the_axe_check_does_find_violations(page: Page) -> None:
    """The accessibility check is not vacuous: an unlabelled input and an image without alt fail it."""
    from e2e.conftest import format_violations, run_axe

    page.set_content('<html lang="en"><title>t</title><main><h1>x</h1><input type="text"><img src="x.png"></main>')
    ids = {v["id"] for v in run_axe(page)}
    assert {"label", "image-alt"} <= ids, format_violations(run_axe(page))
