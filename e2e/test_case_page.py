"""The case page as busy people read it (issue 12, items 3, 5, 6 and 9), in Chromium at 1280 px and
375 px: a short summary with sub-navigation, each sub-page checked with axe, the people who work on
a case and the home page's honest to-do list, the triage warning and the page that closes a case.

These journeys only read, or send forms that are refused, so the shared demo service is left as it was.
"""

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from e2e.conftest import Service

WIDTHS: dict[str, ViewportSize] = {"wide": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}
SUB_PAGES = ["Deadlines", "Referral", "Documents", "Messages", "History"]


def demo_case(service: Service, condition: str) -> str:
    """A demo case's reference, chosen by a Django query expression on `Case` (most events first)."""
    out = service.manage(
        "shell",
        "-c",
        "import json; from django.db.models import Count; from cases.models import Case; "
        f"c = Case.objects.filter({condition}).annotate(n=Count('audit_events')).order_by('-n').first(); "
        "print(json.dumps(c.reference if c else None))",
    )
    reference = json.loads(out.strip().splitlines()[-1])
    assert reference is not None, f"the demo holds a case where {condition}"
    return str(reference)


@pytest.fixture(params=list(WIDTHS))
def sized(request: Any, browser: Browser, service: Service) -> Iterator[BrowserContext]:
    ctx = browser.new_context(
        base_url=service.base_url, viewport=WIDTHS[request.param], locale="en-GB", timezone_id="Europe/London"
    )
    ctx.set_default_timeout(15_000)
    ctx.width_name = request.param  # type: ignore[attr-defined]
    yield ctx
    ctx.close()


def test_the_coordinator_reads_the_busiest_case_as_a_summary_and_its_sub_pages(
    sized: BrowserContext, service: Service, sign_in: Callable[..., Any], check_a11y: Callable[[Page], None], shot: Any
) -> None:
    reference = demo_case(service, "state='rapid_review_submitted'")
    page = sized.new_page()
    sign_in(page, "coordinator")
    page.goto(f"/cases/{reference}/")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    main = page.locator("main")
    expect(main).to_contain_text("Next step")
    expect(main).to_contain_text("Deadline")
    expect(page.get_by_role("link", name="Reopen the rapid review")).to_have_count(0)
    check_a11y(page)
    shot(page, f"case-summary-{sized.width_name}")  # type: ignore[attr-defined]
    nav = page.get_by_role("navigation", name="Parts of the case")
    for name in SUB_PAGES:
        nav.get_by_role("link", name=name, exact=True).click()
        expect(nav.get_by_role("link", name=name, exact=True)).to_have_attribute("aria-current", "page")
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        check_a11y(page)
        shot(page, f"case-{name.lower()}-{sized.width_name}")  # type: ignore[attr-defined]


@pytest.mark.parametrize("persona", ["delegate.la", "lead.health", "practitioner", "reviewer"])
def test_each_person_reads_their_home_page_and_a_case_they_work_on(
    sized: BrowserContext,
    service: Service,
    sign_in: Callable[..., Any],
    check_a11y: Callable[[Page], None],
    shot: Any,
    persona: str,
) -> None:
    page = sized.new_page()
    sign_in(page, persona)
    expect(page.get_by_role("heading", level=1)).to_have_text("What you need to do next")
    check_a11y(page)
    shot(page, f"home-{persona}-{sized.width_name}")  # type: ignore[attr-defined]
    if persona == "reviewer":
        # The demo's reviewer is commissioned for several local reviews: each is on their home page.
        expect(page.get_by_role("heading", name="Your local reviews")).to_be_visible()
        page.locator("main").get_by_role(
            "link", name=re.compile("Local child safeguarding practice review")
        ).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        check_a11y(page)
        shot(page, f"local-review-reviewer-{sized.width_name}")  # type: ignore[attr-defined]
        return
    page.goto("/cases/")
    page.locator("main table a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    if persona == "practitioner":
        expect(page.get_by_role("navigation", name="Parts of the case")).to_have_count(0)  # stage and outcome only
    else:
        expect(page.get_by_role("navigation", name="Parts of the case")).to_be_visible()
        expect(page.get_by_role("link", name="Messages", exact=True)).to_have_count(0)  # the coordinator's
    check_a11y(page)
    shot(page, f"case-{persona}-{sized.width_name}")  # type: ignore[attr-defined]


def test_triage_warns_when_notifying_against_the_partners_answers(
    page: Page, service: Service, sign_in: Callable[..., Any], check_a11y: Callable[[Page], None], shot: Any
) -> None:
    reference = demo_case(service, "state='referred'")
    sign_in(page, "coordinator")
    page.goto(f"/referrals/case/{reference}/triage/")
    page.get_by_role("group", name="Is abuse or neglect of the child known or suspected?").get_by_label("No").check()
    page.get_by_role("group", name="Has the child died or been seriously harmed?").get_by_label("Yes").check()
    page.get_by_label("Notify the Panel").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-warning-text", has_text="abuse or neglect is not known or suspected")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm that the partners still decide to notify")
    expect(
        page.get_by_label("The partners still decide to notify the Panel, and a rapid review will follow")
    ).to_be_visible()
    check_a11y(page)
    shot(page, "triage-against-the-criteria")


def test_closing_a_case_is_a_warning_that_asks_why_and_for_a_confirmation(
    page: Page, service: Service, sign_in: Callable[..., Any], check_a11y: Callable[[Page], None], shot: Any
) -> None:
    reference = demo_case(service, "state='rapid_review'")
    sign_in(page, "coordinator")
    page.goto(f"/cases/{reference}/")
    close = page.get_by_role("link", name="Close: criteria not met after all")
    expect(close).to_have_class("govuk-button govuk-button--warning")
    close.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close: criteria not met after all")
    check_a11y(page)
    page.get_by_role("button", name="Close the case").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter why the criteria were not met after all")
    expect(summary).to_contain_text("Confirm that you want to close the case")
    check_a11y(page)
    shot(page, "close-the-case")
    page.get_by_role("link", name="Keep the case open").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
