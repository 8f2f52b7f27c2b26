"""The coordinator asks agencies for their summaries in the browser: several on one page, each
with its own leads only, and on the page for one agency the lead list follows the agency chosen.
Nothing is sent here (the demo's cases stay as the other journeys expect them); the journey in
test_rapid_review.py sends three requests at once on its own service."""

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from e2e.conftest import Service


def test_the_coordinator_asks_several_agencies_on_one_page_with_each_agencys_own_leads(
    page: Page, service: Service, sign_in: Callable[..., Any], check_a11y: Callable[[Page], None]
) -> None:
    sign_in(page, "coordinator")
    reference = f"NSCP-{service.today().year}-0051"  # the demo's review with agencies still to ask
    page.goto(f"/rapid-reviews/{reference}/requests/")
    page.get_by_role("link", name="Ask agencies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask agencies for their Individual Agency Summary")
    named = page.locator("input[name=agencies]:checked")
    expect(named).not_to_have_count(0)  # the agencies named in the referral come ticked
    check_a11y(page)
    unticked = page.locator("input[name=agencies]:not(:checked)").first
    agency = page.locator(f"label[for='{unticked.get_attribute('id')}']").inner_text()
    unticked.check()
    lead = page.get_by_label(f"Safeguarding lead of {agency}")
    if lead.count():  # an agency with leads: only its own, and none chosen yet unless it has one
        for option in lead.locator("option").all_inner_texts()[1:]:
            assert option.endswith(")"), option
        lead.select_option("")
        page.get_by_role("button", name="Send the requests").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(f"Select the safeguarding lead of {agency}")
    else:  # an agency without a lead: invited on the page for one agency
        page.get_by_role("button", name="Send the requests").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(f"{agency} has no safeguarding lead")
    check_a11y(page)
    page.get_by_role("link", name="Ask an agency whose lead has no account yet").click()
    leads = page.get_by_label("Safeguarding lead")
    everyone = leads.locator("option").count()
    page.get_by_label("Agency", exact=True).select_option(label="Northshire Council Children's Services")
    expect(leads.locator("option")).to_have_count(2)
    expect(leads.locator("option").nth(1)).to_contain_text(f"({service.user('lead.la')['username']})")
    assert everyone > 2
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the safeguarding lead")
    check_a11y(page)
