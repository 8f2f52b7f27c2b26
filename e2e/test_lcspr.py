"""The local review in Chromium, from a rapid review that decided on an LCSPR, with axe on every page.

The coordinator opens the review from the case (its form filled in from the rapid review's
decision), tells the national bodies it is being held, appoints the demo's independent reviewer and
tells the national bodies the reviewer's name. The reviewer then finds the review on their home page
and reads it, and is told another case's review is not there (404).

This journey changes one demo case (Child AB, whose rapid review is with the Panel): no other
browser test reads that case by its name.
"""

import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from playwright.sync_api import Browser, Page, expect

from e2e.conftest import Service


def case_titled(service: Service, title: str) -> str:
    out = service.manage(
        "shell",
        "-c",
        f"import json; from cases.models import Case; print(json.dumps(Case.objects.get(title={title!r}).reference))",
    )
    return str(json.loads(out.strip().splitlines()[-1]))


def fill_date(page: Page, name: str, when: date) -> None:
    page.locator(f"[name='{name}_0']").fill(str(when.day))
    page.locator(f"[name='{name}_1']").fill(str(when.month))
    page.locator(f"[name='{name}_2']").fill(str(when.year))


def test_the_coordinator_commissions_the_review_and_the_reviewer_reads_only_theirs(
    page: Page,
    browser: Browser,
    service: Service,
    sign_in: Callable[..., dict[str, Any]],
    check_a11y: Callable[[Page], None],
    shot: Any,
) -> None:
    reference = case_titled(service, "Child AB")
    other = case_titled(service, "Child AG")  # the demo's local review already under way
    sign_in(page, "coordinator")
    page.goto(f"/cases/{reference}/")
    page.get_by_role("link", name="Open the local review").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open the local review")
    # The rapid review's decision fills the form in.
    expect(page.locator("[name='kind'][value='lcspr']")).to_be_checked()
    check_a11y(page)
    # A bad date comes back with the error summary and the rest kept.
    page.locator("[name='decided_on_0']").fill("31")
    page.locator("[name='decided_on_1']").fill("2")
    page.get_by_role("button", name="Open the local review").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_a11y(page)
    decided = date.today()
    fill_date(page, "decided_on", decided)
    page.get_by_role("button", name="Open the local review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Local child safeguarding practice review"))
    expect(page.locator("main")).to_contain_text("Complete and publish by")
    check_a11y(page)
    shot(page, "lcspr-commissioned")

    # Tell the national bodies the review is being held.
    page.get_by_role("link", name="Tell the Panel, Ofsted and DfE that the review is being held").click()
    for body in ("panel", "ofsted", "dfe"):
        field = page.locator(f"[name='{body}']")
        if not field.input_value():
            field.fill(f"{body}@national-body.example")
    check_a11y(page)
    page.get_by_role("button", name="Send the notice").click()
    expect(page.locator("main")).to_contain_text("sent")
    check_a11y(page)

    # Appoint the demo's independent reviewer (an account in the partnership already).
    reviewer = service.user("reviewer")
    page.goto(f"/local-reviews/{reference}/reviewers/appoint/")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    check_a11y(page)
    page.get_by_label("Reviewer's full name").fill("Tobias Wrenfield")
    page.get_by_label("Reviewer's email address").fill(reviewer["username"])
    page.locator("[name='employment'][value='independent']").check()
    page.get_by_label("Organisation").fill("Wrenfield Review Consulting")
    fill_date(page, "agreement_starts", decided)
    fill_date(page, "agreement_ends", date(decided.year + 1, decided.month, min(decided.day, 28)))
    fill_date(page, "appointed_on", decided)
    page.locator("[name='independent_declared']").check()
    page.get_by_label("Declaration of independence").fill(
        "No work for any Northshire agency, and no part in this child's care."
    )
    page.get_by_role("button", name="Appoint the reviewer").click()
    expect(page.locator("main")).to_contain_text("Tobias Wrenfield")
    check_a11y(page)
    shot(page, "lcspr-reviewer-appointed")

    # The reviewer's name to the national bodies.
    page.goto(f"/local-reviews/{reference}/")
    page.get_by_role("link", name="Tell the Panel, Ofsted and DfE the reviewer's name").click()
    expect(page.locator("main form")).to_contain_text("Tobias Wrenfield")
    page.get_by_role("button", name="Send the notice").click()
    expect(page.locator("main")).to_contain_text("sent")
    page.goto(f"/local-reviews/{reference}/")
    expect(page.locator("main")).to_contain_text("Reviewer appointed")
    check_a11y(page)
    shot(page, "lcspr-review-page")

    # The reviewer finds the review from their home page, and nothing of another case.
    context = browser.new_context(base_url=service.base_url, locale="en-GB", timezone_id="Europe/London")
    theirs = context.new_page()
    sign_in(theirs, "reviewer")
    theirs.get_by_role("link", name=re.compile(reference)).first.click()
    expect(theirs.get_by_role("heading", level=1)).to_have_text(re.compile("Local child safeguarding practice review"))
    check_a11y(theirs)
    for url in (f"/local-reviews/{other}/", f"/cases/{other}/"):
        answer = theirs.goto(url)
        assert answer is not None and answer.status == 404, url
    check_a11y(theirs)
    shot(theirs, "lcspr-reviewer-404")
    context.close()
