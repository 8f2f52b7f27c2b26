"""From referral to notification in Chromium, as new users would, with axe on every page.

A practitioner refers (leaving half-way, signing out and coming back to the draft), the
coordinator records the partners' decision, the LA notifier records the SIN, and the rapid review
clock appears on the case with the right due date. Counts the referrer's pages and fields.
"""

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from playwright.sync_api import Page, expect

from clocks.calendar import england_holidays
from core.workdays import add_working_days, subtract_working_days
from e2e.conftest import Service

HOLIDAYS = frozenset(england_holidays())


def parts(prefix: str, when: date) -> dict[str, str]:
    return {f"{prefix}_0": str(when.day), f"{prefix}_1": str(when.month), f"{prefix}_2": str(when.year)}


def fill(page: Page, answers: dict[str, Any]) -> int:
    """Answers the page's questions by field name; returns how many questions were answered."""
    for name, value in answers.items():
        values = value if isinstance(value, list) else [value]
        for v in values:
            field = page.locator(f"[name='{name}']").first
            kind = field.get_attribute("type")
            if kind in ("radio", "checkbox"):
                page.locator(f"[name='{name}'][value='{v}']").check()
            else:
                field.fill(v)
    return len({re.sub(r"_[012]$", "", name) for name in answers})


def visible_questions(page: Page) -> int:
    """The questions on the page: each fieldset (radios, checkboxes, dates) or labelled box counts once."""
    return page.evaluate(
        """() => {
        const form = document.querySelector('main form[data-autosave-url], main form');
        if (!form) return 0;
        const groups = form.querySelectorAll('fieldset').length;
        const loose = [...form.querySelectorAll('input[type=text], textarea, select')]
            .filter(el => !el.closest('fieldset')).length;
        return groups + loose;
    }"""
    )


def test_a_practitioner_refers_the_partners_decide_and_the_notifier_records_the_sin(
    page: Page, service: Service, sign_in: Callable[..., dict[str, Any]], check_a11y: Callable[[Page], None], shot: Any
) -> None:
    today = date.today()
    aware = subtract_working_days(today, 1, HOLIDAYS)
    incident = aware - timedelta(days=1)
    pages_seen: list[str] = []
    questions_seen = 0
    answered = 0

    def continue_with(answers: dict[str, Any], heading: str | None = None) -> None:
        nonlocal questions_seen, answered
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        check_a11y(page)
        pages_seen.append(page.url)
        questions_seen += visible_questions(page)
        answered += fill(page, answers)
        page.get_by_role("button", name="Continue", exact=True).click()

    # The practitioner starts from the home page.
    sign_in(page, "practitioner")
    page.get_by_role("link", name="Refer a serious incident").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer a serious incident")
    check_a11y(page)
    pages_seen.append(page.url)
    page.get_by_role("button", name="Start now").click()

    # A first Continue with nothing answered shows GOV.UK errors, and axe still passes.
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page).to_have_title(re.compile(r"^Error: About you"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a telephone number")
    check_a11y(page)
    continue_with({"referrer_phone": "01632 960001"}, "About you")
    continue_with(
        {"lead_agreed": "yes", "lead_name": "Harriet Quillon", **parts("lead_agreed_on", aware)},
        "Your safeguarding lead's agreement",
    )
    # Awareness before the incident is refused with a clear message.
    fill(page, {**parts("incident_date", incident), **parts("la_aware_on", incident - timedelta(days=3))})
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be the same as or after the incident")
    check_a11y(page)
    shot(page, "refer-incident-error")
    continue_with(
        {
            **parts("incident_date", incident),
            **parts("la_aware_on", aware),
            "place": "Hollowbrook",
            "location": "in_area",
        },
        "When and where it happened",
    )
    # Autosave: typed text reaches the server without pressing Continue, and is there when the page is loaded again.
    expect(page.get_by_role("heading", level=1)).to_have_text("What happened")
    page.get_by_label("What happened?").press_sequentially("Admitted with unexplained fractures", delay=5)
    expect(page.locator("[data-autosave-status]")).to_have_text("Draft saved", timeout=10_000)
    page.goto(page.url)  # a fresh load: the value comes from the server, not the browser's form memory
    expect(page.get_by_label("What happened?")).to_have_value("Admitted with unexplained fractures")
    continue_with({"what_happened": "Admitted with unexplained fractures; the account given does not fit."})
    continue_with({"outcome": "serious_harm", "category": "nai"}, "Death or serious harm")
    continue_with(
        {"abuse_neglect": "suspected", "abuse_neglect_reason": "Injuries inconsistent with the explanation."},
        "Abuse or neglect",
    )
    continue_with(
        {
            "first_name": "Perpetua",
            "last_name": "Windrush-Hale",
            "born": "yes",
            **parts("date_of_birth", date(2020, 2, 14)),
            "sex": "female",
            "ethnicity": "mixed",
            "disability": "no",
            "home_area": "Hollowbrook",
            "home_local_authority": "Northshire Council",
        },
        "About the child",
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Perpetua Windrush-Hale: contact with children's services"
    )

    # Half-way: the practitioner signs out (as a timeout would) and comes back to the draft.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "practitioner")
    expect(page.locator("main")).to_contain_text("draft")
    page.get_by_role("link", name=re.compile(r"^Continue the draft")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your referral")
    expect(page.locator("main")).to_contain_text("Perpetua Windrush-Hale")
    check_a11y(page)
    shot(page, "refer-resumed-check")
    # The rest is reached from the list of what is missing; each page returns to check answers.
    remaining: dict[str, dict[str, Any]] = {
        "contact with children's services": {
            "looked_after": "no",
            "child_protection_plan": "no",
            "child_in_need": "yes",
        },
        "other children in the household": {"other_children": "no"},
        "agencies involved": {"other_agencies": "Northshire Ambulance Service"},
        "other processes": {"parallel_processes": ["police"]},
        "keep the children safe": {"safety_actions": "Strategy discussion held; the child stays on the ward."},
    }
    for _ in range(len(remaining)):
        link = page.locator(".govuk-error-summary a").first
        text = link.inner_text().lower()
        link.click()
        key = next(k for k in remaining if k in text)
        if key == "agencies involved":
            page.get_by_label("Northshire Police").check()
            page.get_by_label("Northshire Integrated Care Board").check()
        continue_with(remaining.pop(key))
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your referral")
    check_a11y(page)
    pages_seen.append(page.url)
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral sent")
    check_a11y(page)
    pages_seen.append(page.url)
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert re.fullmatch(r"NSCP-\d{4}-\d{4}", reference)
    shot(page, "referral-sent")
    # Going back and sending again makes no second case.
    page.go_back()
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral sent")

    # The coordinator records the partners' decision.
    page.context.clear_cookies()
    sign_in(page, "coordinator")
    page.get_by_role("link", name=re.compile(f"Decide on {reference}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the partners' decision")
    expect(page.locator("main")).to_contain_text("abuse or neglect of the child is known or suspected")
    check_a11y(page)
    shot(page, "triage")
    fill(
        page,
        {
            **parts("meeting_date", today),
            "attendee_la": "Lorcan Ashdown",
            "attendee_icb": "Imogen Carraway",
            "attendee_police": "Dominic Feltham",
            "abuse_or_neglect": "yes",
            "death_or_serious_harm": "yes",
            "decision": "notify",
        },
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(page.locator("main")).to_contain_text("The local authority notifier is to submit")
    check_a11y(page)
    sin_due = add_working_days(aware, 5, HOLIDAYS)

    # The LA notifier records the SIN.
    page.context.clear_cookies()
    sign_in(page, "notifier")
    page.get_by_role("link", name=re.compile(f"Record the notification for {reference}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the Serious Incident Notification")
    expect(page.locator("main")).to_contain_text(f"{sin_due.day} {sin_due:%B %Y}")
    check_a11y(page)
    shot(page, "notification")
    fill(page, {**parts("submitted_on", today), "submitted_time": "00:01", "panel_reference": "SIN-E2E-0001"})
    page.get_by_role("button", name="Record the notification").click()
    expect(page.locator("main")).to_contain_text("Notification recorded")
    check_a11y(page)
    rr_due = add_working_days(today, 15, HOLIDAYS)
    due_text = f"{rr_due:%A} {rr_due.day} {rr_due:%B}" + ("" if rr_due.year == today.year else f" {rr_due.year}")
    expect(page.locator("main")).to_contain_text("Notified. The rapid review is to start.")
    page.get_by_role("navigation", name="Parts of the case").get_by_role("link", name="Deadlines").click()
    check_a11y(page)
    row = page.locator(
        "#deadlines + .app-table-wrap table tr", has=page.get_by_role("rowheader", name="Rapid review", exact=True)
    )
    expect(row).to_contain_text(due_text)
    sin_row = page.locator(
        "#deadlines + .app-table-wrap table tr", has=page.get_by_role("rowheader", name="Serious Incident Notification")
    )
    expect(sin_row).to_contain_text("Met")
    page.get_by_role("navigation", name="Parts of the case").get_by_role("link", name="History").click()
    check_a11y(page)
    main = page.locator("main")
    expect(main).to_contain_text("Agencies involved")
    expect(main).to_contain_text("Northshire Police")  # both boxes ticked were kept
    expect(main).to_contain_text("Northshire Integrated Care Board")
    shot(page, "case-notified")

    # The referrer sees the outcome in their list and was emailed.
    page.context.clear_cookies()
    sign_in(page, "practitioner")
    page.goto("/referrals/")
    expect(page.locator("main")).to_contain_text("Notified to the Panel")
    check_a11y(page)
    assert any(f"Decision on your referral {reference}" in m for m in service.mail())

    print(f"\nReferrer: {len(pages_seen)} pages, {questions_seen} questions shown, {answered} answered")


def test_without_javascript_a_referrer_saves_a_draft_and_comes_back_to_it(
    browser: Any, service: Service, sign_in: Callable[..., dict[str, Any]]
) -> None:
    """axe needs JavaScript in the page, so it cannot run here: these pages are checked with
    JavaScript on in the journey above."""
    context = browser.new_context(base_url=service.base_url, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, "lead.school")
        page.get_by_role("link", name="Refer a serious incident").first.click()
        page.get_by_role("button", name="Start now").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("About you")
        fill(page, {"referrer_phone": "01632 960777"})
        page.get_by_role("button", name="Continue", exact=True).click()
        # A date in the future is refused; the other answers on the page stay as typed.
        tomorrow = date.today() + timedelta(days=1)
        fill(page, {"lead_agreed": "yes", "lead_name": "Saoirse Penhallow", **parts("lead_agreed_on", tomorrow)})
        page.get_by_role("button", name="Continue", exact=True).click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Date they agreed it must be today or in the past")
        expect(page.get_by_label("Name of the safeguarding lead who agreed it")).to_have_value("Saoirse Penhallow")
        page.get_by_role("button", name="Save and come back later").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your referrals")
        expect(page.locator("main")).to_contain_text("Drafts to finish")
        page.get_by_role("link", name=re.compile(r"^Continue")).first.click()
        expect(page.locator("main")).to_contain_text("01632 960777")
        expect(page.locator("main")).to_contain_text("Saoirse Penhallow")
    finally:
        context.close()
