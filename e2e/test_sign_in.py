"""Signing in, as a new user would, in Chromium against the running service."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import Service, enter_code
from partnerships.demo import PEOPLE

PERSONA_KEYS = [key for key, *_ in PEOPLE]


def test_demo_users_lists_every_persona_with_a_totp_secret(demo: list[dict[str, Any]]) -> None:
    listed = {row["username"].split("@")[0] for row in demo}
    assert set(PERSONA_KEYS) <= listed
    for row in demo:
        assert row["password"]
        assert row["partnership"] == "Northshire Safeguarding Children Partnership"
        assert re.fullmatch(r"[A-Z2-7]{16,}", row["totp_secret"]), row


@pytest.mark.parametrize("key", PERSONA_KEYS)
def test_each_demo_persona_signs_in_with_password_and_totp_and_lands_home(
    page: Page, key: str, sign_in: Callable[..., dict[str, Any]], check_a11y: Callable[[Page], None], shot: Any
) -> None:
    persona = sign_in(page, key)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator("main")).to_contain_text(persona["role_label"])
    check_a11y(page)
    if key in {"coordinator", "practitioner", "admin"}:
        shot(page, f"home-{key}")


def test_the_sign_in_and_code_pages_are_accessible(
    page: Page, service: Service, check_a11y: Callable[[Page], None], shot: Any
) -> None:
    page.goto("/sign-in/")
    expect(page).to_have_title(re.compile(r"^Sign in - "))
    check_a11y(page)
    shot(page, "sign-in")
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter your email address")
    check_a11y(page)
    shot(page, "sign-in-errors")
    summary.get_by_role("link", name="Enter your email address").click()
    expect(page.get_by_label("Email address")).to_be_focused()

    persona = service.user("chair")
    page.get_by_label("Email address").fill(persona["username"])
    page.get_by_label("Password").fill(persona["password"])
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    check_a11y(page)
    page.get_by_label("Security code").fill("000000")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator(".govuk-error-message")).to_contain_text("The security code is not right")
    check_a11y(page)
    shot(page, "code-wrong")
    # Until the code is entered, nothing else opens.
    page.goto("/cases/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")


def test_five_wrong_passwords_lock_the_account_and_say_when_to_try_again(
    page: Page, service: Service, sign_in: Callable[..., dict[str, Any]], check_a11y: Callable[[Page], None], shot: Any
) -> None:
    persona = service.user("scrutineer")
    try:
        for attempt in range(1, 7):
            page.goto("/sign-in/")
            page.get_by_label("Email address").fill(persona["username"])
            page.get_by_label("Password").fill(f"not-the-password-{attempt}")
            page.get_by_role("button", name="Continue", exact=True).click()
            if page.get_by_role("heading", name="Your account is locked").count():
                break
            expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct email address and password")
        assert attempt == 5, f"locked after {attempt} attempts, expected 5"
        body = page.locator("main")
        expect(body).to_contain_text("locked for 15 minutes")
        expect(body).to_contain_text(re.compile(r"Try again after \d{1,2}:\d\d[ap]m on \d{1,2} \w+ \d{4}"))
        check_a11y(page)
        shot(page, "locked")
        # The right password does not open a locked account.
        page.goto("/sign-in/")
        page.get_by_label("Email address").fill(persona["username"])
        page.get_by_label("Password").fill(persona["password"])
        page.get_by_role("button", name="Continue", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your account is locked")
    finally:
        service.manage("axes_reset")
    sign_in(page, "scrutineer")


def _invitation_link(service: Service, email: str) -> str:
    for message in reversed(service.mail()):
        if email in message:
            match = re.search(r"https?://\S+/sign-in/invitation/\S+/", message)
            if match:
                return match.group(0)
    raise AssertionError(f"No invitation email to {email} among {len(service.mail())} emails")


def test_an_invited_person_sets_a_password_enrols_totp_and_lands_home(
    browser: Browser,
    page: Page,
    service: Service,
    sign_in: Callable[..., dict[str, Any]],
    check_a11y: Callable[[Page], None],
    shot: Any,
) -> None:
    email = "wilhelmina.quartermaine@northshire-police.example"
    sign_in(page, "coordinator")
    page.get_by_role("link", name="People").first.click()
    check_a11y(page)
    page.get_by_role("button", name="Invite someone").or_(page.get_by_role("link", name="Invite someone")).click()
    check_a11y(page)
    page.get_by_label("First name").fill("Wilhelmina")
    page.get_by_label("Last name").fill("Quartermaine")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Role").select_option(label="Agency safeguarding lead")
    page.get_by_label("Agency").select_option(label="Northshire Police")
    shot(page, "invite")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"Invitation sent to {email}")
    check_a11y(page)

    link = _invitation_link(service, email)
    invitee = browser.new_context(base_url=service.base_url, locale="en-GB").new_page()
    try:
        invitee.goto(link)
        expect(invitee.get_by_role("heading", level=1)).to_have_text("Create your password")
        check_a11y(invitee)
        invitee.get_by_label("Create a password").fill("quiet-lantern-orchard-41")
        invitee.get_by_label("Confirm the password").fill("quiet-lantern-orchard-41")
        invitee.get_by_role("button", name="Continue", exact=True).click()

        expect(invitee.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
        expect(invitee.locator(".app-qr svg")).to_be_visible()
        check_a11y(invitee)
        shot(invitee, "two-factor-setup")
        secret = invitee.locator("#secret-key").inner_text().strip().replace(" ", "")
        enter_code(invitee, email, secret, button="Continue")

        expect(invitee.get_by_role("heading", level=1)).to_have_text("Save your backup codes")
        expect(invitee.locator("#backup-codes li")).to_have_count(10)
        check_a11y(invitee)
        shot(invitee, "backup-codes")
        invitee.get_by_role("button", name="I have saved my backup codes").click()
        expect(invitee).to_have_url(f"{service.base_url}/")
        expect(invitee.locator("main")).to_contain_text("Agency safeguarding lead")
        check_a11y(invitee)

        # The link worked once.
        invitee.goto(link)
        expect(invitee.get_by_role("heading", level=1)).to_have_text("This link has expired or has already been used")
    finally:
        invitee.context.close()
