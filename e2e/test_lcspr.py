"""The local review in Chromium, from a rapid review that decided on an LCSPR to a report signed
off and sent ahead of publication, with axe on every page.

The coordinator opens the review from the case (its form filled in from the rapid review's
decision), tells the national bodies it is being held, appoints the demo's independent reviewer and
tells the national bodies the reviewer's name. The reviewer finds the review on their home page and
is told another case's review is not there (404); they write the report, keep it as a version,
plan a practitioner learning event and send the draft to the agencies, two of whose leads comment.
The coordinator puts it forward, the three partners approve it, and the coordinator records sending
it to the Panel and the Secretary of State, with the earliest publication date 7 working days later.

This journey changes one demo case (Child AB, whose rapid review is with the Panel): no other
browser test reads that case by its name.
"""

import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from playwright.sync_api import Browser, Page, expect

from clocks.calendar import england_holidays
from core.workdays import add_working_days, subtract_working_days
from e2e.conftest import Service

HOLIDAYS = frozenset(england_holidays())


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

    # The reviewer writes two sections and keeps the draft as a version.
    for slug, words in (("introduction", "How the review was carried out."), ("overview", "What happened, briefly.")):
        theirs.goto(f"/local-reviews/{reference}/report/sections/{slug}/")
        check_a11y(theirs)
        theirs.locator("textarea[name='text']").fill(words)
        theirs.get_by_role("button", name="Save and go back to the report").click()
    expect(theirs.locator("main")).to_contain_text("What happened, briefly.")
    theirs.get_by_role("button", name=re.compile("Keep this draft as Draft 1")).click()
    expect(theirs.locator("main")).to_contain_text("Draft 1")
    check_a11y(theirs)

    # A practitioner learning event, with a calendar invitation to a guest.
    theirs.goto(f"/local-reviews/{reference}/learning-events/new/")
    check_a11y(theirs)
    theirs.get_by_label("Title").fill("Practitioners' learning event")
    fill_date(theirs, "date", date.fromordinal(date.today().toordinal() + 14))
    theirs.get_by_label("Start time").fill("10:00")
    theirs.get_by_label("Length in minutes").fill("120")
    theirs.get_by_label("Place (optional)").fill("Room 2, Civic Centre")
    theirs.locator("[name='guest1_name']").fill("Rowan Example")
    theirs.locator("[name='guest1_email']").fill("rowan.example@health.example")
    theirs.locator("main form button[type=submit]").first.click()
    expect(theirs.locator("main")).to_contain_text("Practitioners' learning event")
    check_a11y(theirs)

    # The draft goes to the agencies involved to check its facts.
    theirs.goto(f"/local-reviews/{reference}/accuracy/send/")
    check_a11y(theirs)
    theirs.get_by_role("button", name="Send to the agencies").click()
    expect(theirs.locator("main")).to_contain_text("Introduction and process")
    round_url = theirs.url
    check_a11y(theirs)
    shot(theirs, "lcspr-accuracy-round")
    context.close()

    # Two agencies' leads comment on the facts, each in their own browser.
    agencies = set(
        json.loads(
            service.manage(
                "shell",
                "-c",
                "import json; from cases.models import Case; from localreviews.accuracy_models import AccuracyRound; "
                f"r = AccuracyRound.objects.filter(review__case__reference={reference!r}).latest('id'); "
                "print(json.dumps([a.name for a in r.agencies.all()]))",
            )
            .strip()
            .splitlines()[-1]
        )
    )
    leads = [
        k for k in ("lead.health", "lead.police", "lead.la", "lead.school") if service.user(k)["agency"] in agencies
    ]
    assert len(leads) >= 2, agencies
    for lead in leads[:2]:
        lead_context = browser.new_context(base_url=service.base_url, locale="en-GB", timezone_id="Europe/London")
        theirs = lead_context.new_page()
        sign_in(theirs, lead)
        theirs.goto(round_url)
        check_a11y(theirs)
        theirs.get_by_role("link", name=re.compile("Comment on this section")).first.click()
        theirs.get_by_label("Your comment").fill(f"{lead}: the date of our first contact was a week earlier.")
        theirs.get_by_role("button", name="Save").click()
        expect(theirs.locator("main")).to_contain_text("the date of our first contact was a week earlier")
        check_a11y(theirs)
        lead_context.close()

    # The coordinator puts the draft forward as the final report; the three partners approve it.
    page.goto(f"/local-reviews/{reference}/final-report/put-forward/")
    check_a11y(page)
    page.get_by_role("button", name="Put forward").click()
    for partner in ("delegate.la", "delegate.icb", "delegate.police"):
        partner_context = browser.new_context(base_url=service.base_url, locale="en-GB", timezone_id="Europe/London")
        theirs = partner_context.new_page()
        sign_in(theirs, partner)
        theirs.goto(f"/local-reviews/{reference}/final-report/")
        check_a11y(theirs)
        theirs.locator("[name='decision'][value='approved']").check()
        theirs.get_by_role("button", name="Submit").click()
        expect(theirs.locator("main")).to_contain_text("Approved")
        partner_context.close()

    # Sent ahead of publication: the earliest publication date is 7 working days later.
    page.goto(f"/local-reviews/{reference}/send-ahead/")
    check_a11y(page)
    for name, address in (("panel", "panel@national-body.example"), ("dfe", "dfe@national-body.example")):
        field = page.locator(f"[name='{name}']")
        if not field.input_value():
            field.fill(address)
    page.locator("[name='what'][value='report']").check()
    page.get_by_role("button", name="Record the sending").click()
    earliest = add_working_days(date.today(), 7, HOLIDAYS)
    expect(page.get_by_role("alert", name="Success")).to_contain_text(
        f"The earliest publication date is {earliest:%A} {earliest.day} {earliest:%B %Y}"
    )
    check_a11y(page)

    # The partners decide to publish: a date before the earliest is refused, the earliest is taken.
    page.locator("[name='decision'][value='publish']").check()
    fill_date(page, "planned_on", subtract_working_days(earliest, 1, HOLIDAYS))
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The planned publication date must be on or after")
    check_a11y(page)
    fill_date(page, "planned_on", earliest)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    page.goto(f"/local-reviews/{reference}/")
    expect(page.locator("main")).to_contain_text("Sent: publish from")
    check_a11y(page)
    shot(page, "lcspr-sent-ahead")
