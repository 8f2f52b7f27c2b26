"""Writing an agency's summary in the browser: nothing typed is lost when the lead leaves a section
at once, two tabs on the same section end with the second knowingly replacing the first, the five
short sections are written on one page, and chronology entries go in as rows of a table or from a
CSV file, checked on a preview first."""

import codecs
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from playwright.sync_api import Browser, FilePayload, Page, expect

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
        expect(second.locator(".govuk-error-summary")).to_contain_text("Learning identified was changed elsewhere")
        expect(second.locator("#saved-now-learning")).to_contain_text("Written in the first tab")
        expect(box).to_have_value("Written in the second tab")
        check_a11y(second)
        second.get_by_role("button", name="Save and go back to your summary").click()
        expect(second.get_by_role("heading", level=1)).to_contain_text("Individual Agency Summary")
        second.get_by_role("link", name="Learning identified", exact=True).click()
        expect(box).to_have_value("Written in the second tab")
    finally:
        context.close()


SHORT_SECTIONS = {
    "The child's lived experience and voice": "Quiet and watchful at school.",
    "Race, culture, disability and other inequalities": "No interpreter was offered to the mother.",
    "Immediate actions already taken": "Attendance officers briefed.",
    "Learning identified": "Share attendance concerns sooner.",
    "Parallel processes": "Police investigation.",
}
SHORT_LABELS = {
    "The child's lived experience and voice": "What your agency knew of the child's daily life",
    "Race, culture, disability and other inequalities": "How race, culture, disability or other inequalities",
    "Immediate actions already taken": "Immediate actions your agency has already taken",
    "Learning identified": "Learning your agency has identified",
    "Parallel processes": "Parallel processes you know of",
}


def test_the_five_short_sections_are_written_on_one_page_each_autosaved_and_saved_on_its_own(
    page: Page, sign_in: Callable[..., Any], check_a11y: Callable[[Page], None]
) -> None:
    sign_in(page, "lead.health")
    summary = _open_request(page)
    page.get_by_role("link", name="Immediate actions already taken", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The child, your agency's actions and learning")
    check_a11y(page)
    first = page.get_by_label(re.compile("^" + SHORT_LABELS["The child's lived experience and voice"]))
    first.fill("Typed, then left to autosave.")
    expect(page.locator("#lived-experience [data-autosave-status]")).to_have_text("Draft saved")
    expect(page.locator("#learning [data-autosave-status]")).to_have_text("")  # each part saves itself only
    for title, answer in SHORT_SECTIONS.items():
        page.get_by_label(re.compile("^" + re.escape(SHORT_LABELS[title]))).fill(answer)
    page.get_by_role("button", name="Save and go back to your summary").click()
    expect(page).to_have_url(summary)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Saved: ")
    for title in SHORT_SECTIONS:
        expect(page.get_by_role("listitem").filter(has_text=title)).to_contain_text("Completed")
    page.get_by_role("link", name="Parallel processes", exact=True).click()
    expect(page.get_by_label("Parallel processes you know of")).to_have_value("Police investigation.")


def _csv(*rows: str) -> FilePayload:
    text = "Date of contact,Time,Event,Source,Significance\r\n" + "".join(row + "\r\n" for row in rows)
    return {"name": "export.csv", "mimeType": "text/csv", "buffer": codecs.BOM_UTF8 + text.encode()}


def test_chronology_entries_are_typed_as_rows_and_imported_from_a_csv_file_after_a_preview(
    page: Page, sign_in: Callable[..., Any], check_a11y: Callable[[Page], None]
) -> None:
    sign_in(page, "lead.health")
    summary = _open_request(page)
    day = date.today() - timedelta(days=40)
    # Rows of a table: a row begun without its source is refused with the other row kept.
    page.get_by_role("link", name="Add chronology entries").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add chronology entries")
    check_a11y(page)
    page.get_by_label("Date, entry 1", exact=True).fill(f"{day:%d/%m/%Y}")
    page.get_by_label("Time, entry 1", exact=True).fill("10:15")
    page.get_by_label("What happened, entry 1", exact=True).fill("Seen in the emergency department with a bruise")
    page.get_by_label("Source record, entry 1", exact=True).fill("ED record")
    page.get_by_label("What happened, entry 2", exact=True).fill("Follow-up call")
    page.get_by_role("button", name="Save entries").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Entry 2: Enter the date of the event")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Entry 2: Enter the source record")
    expect(page.get_by_label("What happened, entry 1", exact=True)).to_have_value(
        "Seen in the emergency department with a bruise"
    )
    check_a11y(page)
    page.get_by_label("Date, entry 2", exact=True).fill(f"{day + timedelta(days=2):%-d/%-m/%Y}")
    page.get_by_label("Source record, entry 2", exact=True).fill("Health visitor notes")
    page.get_by_role("button", name="Save entries").click()
    expect(page).to_have_url(summary)
    expect(page.locator("main")).to_contain_text("2 chronology entries added to your summary")
    # A CSV file: a row in error stops the whole file; the corrected file is previewed, then added.
    page.get_by_role("link", name="Import chronology entries from a CSV file").click()
    check_a11y(page)
    template = page.request.get(
        page.get_by_role("link", name="Download the template CSV file").get_attribute("href") or ""
    )
    assert template.ok and template.text().lstrip("\ufeff").startswith("Date,Time,What happened,Source record")
    wrong = f"31/02/{day.year},,School nurse visit,Nurse log,"
    page.get_by_label("Upload a CSV file").set_input_files(_csv(wrong))
    page.get_by_role("button", name="Upload and check the entries").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Row 2: Date must be a real date")
    expect(page.get_by_role("button", name=re.compile("^Add"))).to_have_count(0)
    check_a11y(page)
    page.get_by_role("link", name="Upload another file").first.click()
    again = f"{day:%d/%m/%Y},10:15,Seen in the emergency department with a bruise,ED record,"
    page.get_by_label("Upload a CSV file").set_input_files(
        _csv(again, f"{day + timedelta(days=5):%Y-%m-%d},,School nurse visit,Nurse log,Weight checked")
    )
    page.get_by_role("button", name="Upload and check the entries").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the entries from export.csv")
    expect(page.locator("main")).to_contain_text("Already on your summary")
    check_a11y(page)
    page.get_by_role("button", name="Add 1 entry to your summary").click()
    expect(page).to_have_url(summary)
    expect(page.locator("main")).to_contain_text("1 chronology entry added from export.csv")
    table = page.locator("main table")
    expect(table).to_contain_text("School nurse visit")
    expect(table).to_contain_text("Follow-up call")


def test_without_javascript_the_one_page_and_the_table_of_rows_work(
    browser: Browser, service: Service, check_a11y: Callable[[Page], None]
) -> None:
    context = browser.new_context(base_url=service.base_url, java_script_enabled=False, locale="en-GB")
    try:
        page = context.new_page()
        sign_in_to(service, page, "lead.school")
        summary = _open_request(page)
        page.get_by_role("link", name="Immediate actions already taken", exact=True).click()
        page.get_by_label("Immediate actions your agency has already taken").fill("Attendance policy reviewed.")
        page.get_by_role("button", name="Save and go back to your summary").click()
        expect(page).to_have_url(summary)
        expect(page.get_by_role("listitem").filter(has_text="Immediate actions already taken")).to_contain_text(
            "Completed"
        )
        page.get_by_role("link", name="Add chronology entries").click()
        page.get_by_label("What happened, entry 1", exact=True).fill("Typed before asking for more rows")
        page.get_by_role("button", name="Add more rows").click()
        expect(page.get_by_label("What happened, entry 1", exact=True)).to_have_value(
            "Typed before asking for more rows"
        )
        expect(page.get_by_label("What happened, entry 10", exact=True)).to_have_value("")
        expect(page.locator(".govuk-error-summary")).to_have_count(0)
        check_a11y(page)
        page.get_by_label("Date, entry 1", exact=True).fill(f"{date.today() - timedelta(days=3):%d/%m/%Y}")
        page.get_by_label("Source record, entry 1", exact=True).fill("Register")
        page.get_by_role("button", name="Save entries").click()
        expect(page).to_have_url(summary)
        expect(page.locator("main table")).to_contain_text("Typed before asking for more rows")
    finally:
        context.close()
