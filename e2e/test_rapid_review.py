"""The 15-working-day rapid review in Chromium, with axe on every page.

The service runs in its own process, so time-machine cannot move its clock: instead the case's
Serious Incident Notification is recorded 14 working days in the past (through `manage.py shell`)
and the journey then runs the whole rapid review: three agencies asked, their summaries written,
one sent back and fixed, the meeting, the decision, the three partners' sign-off, the document,
the submission (on day 14 of 15) and the Panel's response. On the way it checks that an agency
lead never sees another agency's draft (404) and that the papers wait for the coordinator.
"""

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import Service

REFERENCE = f"NSCP-{date.today().year}-0069"
AGENCIES = {
    "lead.health": "Northshire Hospitals NHS Trust",
    "lead.police": "Northshire Police",
    "lead.school": "Hollowbrook Primary School",
}
SETUP = """
from datetime import datetime, time
from django.utils import timezone
from accounts.models import User
from cases.models import Case, CaseState, StateChange
from clocks.calendar import holiday_dates
from core.workdays import subtract_working_days
from partnerships.models import Agency, Partnership
p = Partnership.objects.get(short_name="NSCP")
hospital = Agency.objects.get(partnership=p, name="Northshire Hospitals NHS Trust")
if not Case.objects.filter(reference="{ref}").exists():
    case = Case.objects.create(reference="{ref}", partnership=p, title="Child E", state=CaseState.NOTIFIED,
        referred_by=User.objects.get(username__startswith="practitioner@"), referring_agency=hospital)
    case.involved_agencies.add(hospital)
    change = StateChange.objects.create(case=case, transition="record_notification", from_state="to_notify",
        to_state="notified", actor=User.objects.get(username__startswith="notifier@"))
    day = subtract_working_days(timezone.localdate(), 14, holiday_dates())
    StateChange.objects.filter(pk=change.pk).update(at=timezone.make_aware(datetime.combine(day, time(11))))
"""


@pytest.fixture
def as_person(
    browser: Browser, base_url: str, sign_in: Callable[..., dict[str, Any]]
) -> Iterator[Callable[[str], Page]]:
    """as_person("coordinator") -> a page signed in as that persona, in its own browser context."""
    contexts: dict[str, Page] = {}

    def _page(key: str) -> Page:
        if key not in contexts:
            ctx = browser.new_context(base_url=base_url, locale="en-GB", timezone_id="Europe/London")
            ctx.set_default_timeout(20_000)
            page = ctx.new_page()
            sign_in(page, key)
            contexts[key] = page
        return contexts[key]

    yield _page
    for page in contexts.values():
        page.context.close()


def fill_date(page: Page, name: str, when: date) -> None:
    page.locator(f"[name='{name}_0']").fill(str(when.day))
    page.locator(f"[name='{name}_1']").fill(str(when.month))
    page.locator(f"[name='{name}_2']").fill(str(when.year))


def save(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def write_return(page: Page, a11y: Callable[[Page], None], agency: str, first: bool) -> None:
    """From the agency's task list: every section, two chronology entries, then submit."""
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Individual Agency Summary: {agency}")
    if first:
        a11y(page)
    sections = [
        ("Period of involvement and summary", {"involvement_summary": f"{agency} saw the family 6 times."}),
        ("Key practice episodes", {"practice_went_well": "Quick referral.", "practice_could_differ": "Follow up DNA."}),
        ("The child's lived experience and voice", {"lived_experience": "Quiet and watchful."}),
        ("Race, culture, disability and other inequalities", {"inequalities": "No interpreter was offered."}),
        ("Immediate actions already taken", {"immediate_actions": "Staff briefing given."}),
        ("Learning identified", {"learning": "Professional curiosity about bruising."}),
        ("Parallel processes", {"parallel_processes": "Police investigation."}),
    ]
    for index, (title, answers) in enumerate(sections):
        page.get_by_role("link", name=title, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        if index == 0:
            fill_date(page, "period_start", date.today() - timedelta(days=365))
            fill_date(page, "period_end", date.today())
        for name, value in answers.items():
            page.locator(f"[name='{name}']").fill(value)
        if first and index in (0, 1):
            a11y(page)
        save(page, "Save and return to the summary")
    for offset, text in (
        (120, "Seen in the emergency department with a bruise to the cheek"),
        (10, f"{agency} contact"),
    ):
        page.get_by_role("link", name="Add a chronology entry").click()
        fill_date(page, "date", date.today() - timedelta(days=offset))
        page.locator("[name='time']").fill("09:30")
        page.locator("[name='what_happened']").fill(text)
        page.locator("[name='source']").fill("Case record")
        if first and offset == 120:
            a11y(page)
        save(page, "Save entry")
    a11y(page) if first else None
    page.get_by_role("link", name="Check and submit your return").click()
    a11y(page) if first else None
    save(page, "Submit the return")
    expect(page.locator("main")).to_contain_text("Submitted")


def test_the_fifteen_working_days_from_requests_to_the_panels_response(
    service: Service, as_person: Callable[[str], Page], check_a11y: Callable[[Page], None], shot: Any
) -> None:
    service.manage("shell", "-c", SETUP.replace("{ref}", REFERENCE))
    base = f"/rapid-reviews/{REFERENCE}"

    # Day 0-1: the coordinator starts the review and asks three agencies.
    coordinator = as_person("coordinator")
    coordinator.goto(f"/cases/{REFERENCE}/")
    check_a11y(coordinator)
    coordinator.get_by_role("link", name="Rapid review workspace").click()
    check_a11y(coordinator)
    save(coordinator, "Start the rapid review")
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Rapid review")
    expect(coordinator.locator("main")).to_contain_text(re.compile(r"Returns due: working day 8, \w+day \d+ \w+"))
    check_a11y(coordinator)
    shot(coordinator, "rr-workspace-start")
    coordinator.get_by_role("link", name="Agencies involved and information requests").click()
    check_a11y(coordinator)
    for key, agency in AGENCIES.items():
        coordinator.get_by_role("link", name="Ask an agency").click()
        if key == "lead.health":
            save(coordinator, "Send the request")
            expect(coordinator.locator(".govuk-error-summary")).to_contain_text("Select the agency")
            check_a11y(coordinator)
        coordinator.locator("[name='agency']").select_option(label=agency)
        email = service.user(key)["username"]
        value = coordinator.locator("[name='lead'] option", has_text=f"({email})").get_attribute("value")
        coordinator.locator("[name='lead']").select_option(value)
        coordinator.locator("[name='message']").fill("Please cover the last 12 months.")
        save(coordinator, "Send the request")
        expect(coordinator.locator("main")).to_contain_text(f"Information request sent to {agency}")
    hrefs = {
        agency: coordinator.get_by_role("link", name=agency, exact=True).get_attribute("href")
        for agency in AGENCIES.values()
    }
    assert any(REFERENCE in m and "Information request" in m for m in service.mail())

    # Days 2-8: each lead writes their agency's summary. While the hospital's is a draft, no other
    # agency sees it.
    health = as_person("lead.health")
    expect(health.locator("main")).to_contain_text("Information requests for your agency")
    check_a11y(health)
    health.get_by_role("link", name=f"{REFERENCE}: {AGENCIES['lead.health']}").click()
    health.get_by_role("link", name="Learning identified", exact=True).click()
    health.locator("[name='learning']").fill("A draft the school must never see")
    save(health, "Save and return to the summary")
    school = as_person("lead.school")
    response = school.goto(hrefs[AGENCIES["lead.health"]])
    assert response is not None and response.status == 404
    check_a11y(school)
    expect(school.locator("main")).not_to_contain_text("A draft the school must never see")
    write_return(health, check_a11y, AGENCIES["lead.health"], first=True)
    for key in ("lead.police", "lead.school"):
        page = as_person(key)
        page.goto(hrefs[AGENCIES[key]])
        write_return(page, lambda p: None, AGENCIES[key], first=False)

    # The coordinator accepts two and sends the school's back; the school fixes it.
    for agency in AGENCIES.values():
        coordinator.goto(hrefs[agency])
        coordinator.get_by_role("link", name="Accept or return this summary").click()
        if agency == AGENCIES["lead.school"]:
            check_a11y(coordinator)
            coordinator.get_by_label("Return it to the agency with comments").check()
            coordinator.locator("[name='comments']").fill("Please add the dates of the attendance letters.")
        else:
            coordinator.get_by_label("Accept it").check()
        save(coordinator, "Continue")
    school.goto(hrefs[AGENCIES["lead.school"]])
    expect(school.locator("main")).to_contain_text("Please add the dates of the attendance letters.")
    check_a11y(school)
    school.get_by_role("link", name="Period of involvement and summary", exact=True).click()
    school.locator("[name='involvement_summary']").fill("Letters sent in March and May.")
    save(school, "Save and return to the summary")
    school.get_by_role("link", name="Check and submit your return").click()
    save(school, "Submit the return")
    coordinator.goto(hrefs[AGENCIES["lead.school"]])
    coordinator.get_by_role("link", name="Accept or return this summary").click()
    coordinator.get_by_label("Accept it").check()
    save(coordinator, "Continue")

    # Days 9-12: the merged chronology, the meeting and its papers.
    coordinator.goto(f"{base}/chronology/")
    expect(coordinator.locator("main")).to_contain_text("Possible duplicate")
    check_a11y(coordinator)
    csv = coordinator.request.get(f"{base}/chronology/download.csv")
    assert csv.ok and "bruise to the cheek" in csv.text()
    coordinator.goto(f"{base}/meeting/")
    check_a11y(coordinator)
    fill_date(coordinator, "date", date.today())
    coordinator.locator("[name='start_time']").fill("10:00")
    coordinator.locator("[name='place']").fill("Committee Room 2")
    for key in ("delegate.la", "delegate.icb", "delegate.police", "scrutineer", "lead.police"):
        coordinator.get_by_label(member_label(service.user(key))).first.check()
    save(coordinator, "Schedule and send invitations")
    expect(coordinator.locator("main")).to_contain_text("Meeting scheduled")
    check_a11y(coordinator)
    raw = "".join(path.read_text() for path in (service.var_dir / "mail").iterdir())
    assert 'filename="invite.ics"' in raw and "text/calendar" in raw
    police = as_person("lead.police")
    police.goto(f"{base}/meeting/papers.pdf")
    expect(police.get_by_role("heading", level=1)).to_have_text("The meeting papers are not ready yet")
    check_a11y(police)
    coordinator.goto(f"{base}/requests/")
    save(coordinator, "Share submitted returns with the meeting's members")
    papers = police.request.get(f"{base}/meeting/papers.pdf")
    assert papers.ok and papers.body()[:5] == b"%PDF-"
    police.goto(hrefs[AGENCIES["lead.health"]])  # shared now, and submitted: readable, not editable
    expect(police.locator("main")).to_contain_text("Professional curiosity about bruising.")
    check_a11y(police)

    coordinator.goto(f"{base}/meeting/record/")
    check_a11y(coordinator)
    for name, value in {
        "incident_summary": "Admitted with a head injury; a brother, 7, is with his grandmother.",
        "family_context": "Mother, partner and two children; Polish heritage.",
        "facts_agreed": "The bruise seen 120 days before was not explored.",
        "learning": "Bruising in non-mobile babies always needs a referral.",
        "family_informed": "Mother told by the social worker.",
    }.items():
        coordinator.locator(f"[name='{name}']").fill(value)
    save(coordinator, "Save")
    coordinator.goto(f"{base}/actions/new/")
    check_a11y(coordinator)
    coordinator.locator("[name='description']").fill("Check the safety of the brother")
    coordinator.locator("[name='owner']").fill("Children's services")
    fill_date(coordinator, "due", date.today() + timedelta(days=2))
    save(coordinator, "Save action")
    check_a11y(coordinator)
    coordinator.goto(f"{base}/meeting/criteria/")
    check_a11y(coordinator)
    for c in "abcd":
        coordinator.locator(f"[name='answer_{c}'][value='{'not_met' if c == 'd' else 'met'}']").check()
    save(coordinator, "Save")
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Decision and rationale")
    check_a11y(coordinator)
    coordinator.locator("[name='decision'][value='lcspr']").check()
    coordinator.locator("[name='decision_rationale']").fill("Criteria (a) to (c) are met.")
    coordinator.locator("[name='themes'][value='nai_infant']").check()
    save(coordinator, "Save")

    # Days 13-14: the three partners sign off; the scrutineer comments.
    for key in ("delegate.la", "delegate.icb", "delegate.police"):
        delegate = as_person(key)
        expect(delegate.locator("main")).to_contain_text("Rapid reviews awaiting your sign-off")
        delegate.get_by_role("link", name=f"Sign off {REFERENCE}: Child E", exact=True).click()
        check_a11y(delegate)
        delegate.get_by_label("Yes, I approve it").check()
        save(delegate, "Submit")
        expect(delegate.locator("main")).to_contain_text("Recorded: approved")
        check_a11y(delegate)
    scrutineer = as_person("scrutineer")
    scrutineer.goto(f"{base}/sign-off/")
    scrutineer.locator("[name='comments']").fill("Proportionate and well evidenced.")
    save(scrutineer, "Submit")
    check_a11y(scrutineer)

    # The document, then the submission on day 14 of 15, then the Panel agrees.
    coordinator.goto(f"{base}/document/")
    check_a11y(coordinator)
    save(coordinator, "Generate a Word version (DOCX)")
    expect(coordinator.locator("main")).to_contain_text("version 1")
    check_a11y(coordinator)
    save(coordinator, "Generate an accessible PDF")  # queued: the worker writes it
    expect(coordinator.locator("main")).to_contain_text("The PDF is being generated")
    for _ in range(180):  # the worker renders the PDF in seconds; allow for a loaded CI machine
        if "Rapid review document (PDF), version 1" in coordinator.locator("main").inner_text():
            break
        coordinator.wait_for_timeout(1000)
        coordinator.goto(f"{base}/document/")
    expect(coordinator.locator("main")).to_contain_text("Rapid review document (PDF), version 1")
    pdf_href = coordinator.get_by_role("link", name="Rapid review document (PDF), version 1").get_attribute("href")
    pdf = coordinator.request.get(pdf_href or "")
    assert pdf.ok and pdf.body()[:5] == b"%PDF-"
    coordinator.goto(f"{base}/submission/")
    check_a11y(coordinator)
    save(coordinator, "Record the submission")
    expect(coordinator.locator("main")).to_contain_text("Submission recorded")
    assert any("Outcome of the rapid review" in m for m in service.mail())
    coordinator.goto(f"{base}/panel-response/")
    check_a11y(coordinator)
    fill_date(coordinator, "received_on", date.today())
    coordinator.get_by_label("Agrees with the decision").check()
    coordinator.locator("[name='summary']").fill("The Panel agrees an LCSPR is right.")
    save(coordinator, "Record the response")
    expect(coordinator.locator("main")).to_contain_text("The Panel's response is recorded")
    check_a11y(coordinator)
    shot(coordinator, "rr-workspace-end")
    coordinator.goto(f"{base}/panel-response/")
    expect(coordinator.locator("main")).to_contain_text("Agrees with the decision")
    check_a11y(coordinator)


def member_label(persona: dict[str, Any]) -> re.Pattern[str]:
    """A member checkbox's label: 'Name, role (agency)'."""
    pattern = re.escape(persona["role_label"])
    if persona.get("agency"):
        pattern += r" \(" + re.escape(persona["agency"]) + r"\)"
    return re.compile(pattern + "$")
