"""The 15-working-day rapid review in Chromium, day by day on the service's own clock, axe on every page.

Time really moves: the journey starts its own instance of the service (its own database, port,
web and worker; see `e2e/service.py`) whose processes run under time-machine (`e2e/timewarp.py`),
with the clock at Monday 1 February 2027, 09:00 London time, before the database is migrated and
seeded. The case's Serious Incident Notification is recorded then (day 0, no back-dating), and
`service.travel_to(...)` moves the web, the worker and each management command forward between the
steps, to dates counted with `core.workdays` on the England and Wales bank holidays (none in the
four weeks from the start):

- day 1: the coordinator starts the review and asks three agencies (due dates on the workspace and
  in the request emails are the computed ones);
- days 2-7: the hospital's draft stays hidden from the school (404), then the hospital (day 3), the
  police (day 5) and the school (day 7) write and submit; on day 6 the reminder job (`manage.py
  tick`, on the travelled clock) reminds the coordinator that the summaries are due in 2 working days
  and chases the school's lead, whose return is still outstanding (with a link to it), not the
  hospital's or the police's; ticking again sends nothing more;
- day 8: two returns accepted, the school's sent back, fixed and accepted;
- days 9-11: the merged chronology; on day 9 the meeting is set for day 10, its papers waiting for
  the coordinator to share the summaries, and the decision, sign-off and the document waiting for the
  meeting (each page says so, with its date); on day 10, after an idle sign-out, the coordinator
  records that it was held that day (its deadline met then) and writes the record; the decision on
  day 11;
- day 13: the three partners sign off and the scrutineer comments;
- day 14: DOCX (every field of the meeting record in it, the letter saying the meeting was held on
  day 10) and PDF (rendered by the worker), the submission, and the rapid review clock met on time;
  day 19: the Panel's response.
Sessions idle out after 30 minutes of service time: each persona signs in again after a jump
(TOTP on the service's clock), landing on the sign-in page, never an error. Steps: rapid_review_steps.
"""

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from core.workdays import is_working_day
from e2e.conftest import require_chromium
from e2e.rapid_review_steps import (
    AGENCIES,
    BANK_HOLIDAYS,
    MEMBERS,
    RECORD,
    REFERENCE,
    SETUP,
    SHARED_EVENT,
    START,
    at,
    calendars,
    check_docx_has_the_meeting_record,
    day,
    due_text,
    emails_to,
    fill_date,
    meeting_waits,
    member_label,
    record_meeting_held,
    save,
    write_summary,
)
from e2e.service import Service, sign_in_to, start_service


@pytest.fixture(scope="module")
def rr_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """An instance of the service of its own, its clock at START (travelling the shared one would
    break the other journeys' sign-ins and demo deadlines)."""
    require_chromium()
    with start_service(tmp_path_factory.mktemp("rr-service-var"), start_at=START) as started:
        yield started


@pytest.fixture
def as_person(browser: Browser, rr_service: Service) -> Iterator[Callable[[str], Page]]:
    """as_person("coordinator") -> a page signed in as that persona, in its own browser context.
    After the clock has moved, the persona's session has idled out: the page goes to the sign-in
    page (asserted: not an error) and signs in again, with a code on the service's clock."""
    pages: dict[str, tuple[Page, int]] = {}

    def _page(key: str) -> Page:
        if key not in pages:
            ctx = browser.new_context(base_url=rr_service.base_url, locale="en-GB", timezone_id="Europe/London")
            ctx.set_default_timeout(20_000)
            page = ctx.new_page()
            sign_in_to(rr_service, page, key)
            pages[key] = (page, rr_service.travels)
        page, signed_in_at = pages[key]
        if signed_in_at != rr_service.travels:
            response = page.goto("/")
            assert response is not None and response.ok, f"{key} after the clock moved: {page.url}"
            if "/sign-in/" in page.url:
                expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
                sign_in_to(rr_service, page, key)
            pages[key] = (page, rr_service.travels)
        return page

    yield _page
    for page, _ in pages.values():
        page.context.close()


def test_the_fifteen_working_days_from_requests_to_the_panels_response(
    rr_service: Service, as_person: Callable[[str], Page], check_a11y: Callable[[Page], None], shot: Any
) -> None:
    service = rr_service
    assert all(is_working_day(day(n), BANK_HOLIDAYS) for n in range(1, 20))
    service.manage("shell", "-c", SETUP.replace("{ref}", REFERENCE))  # day 0: the SIN, recorded now
    base = f"/rapid-reviews/{REFERENCE}"
    workspace = f"{base}/"

    # Day 1: the coordinator starts the review and asks three agencies.
    service.travel_to(at(1))
    coordinator = as_person("coordinator")
    coordinator.goto(f"/cases/{REFERENCE}/")
    check_a11y(coordinator)
    coordinator.get_by_role("link", name="Rapid review workspace").click()
    check_a11y(coordinator)
    save(coordinator, "Start the rapid review")
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Rapid review")
    main = coordinator.locator("main")
    expect(main).to_contain_text("Today is working day 1.")
    expect(main).to_contain_text(f"Rapid review due: working day 15, {due_text(day(15))}")
    expect(main).to_contain_text(f"Requests due: working day 2, {due_text(day(2))}")
    expect(main).to_contain_text(f"Returns due: working day 8, {due_text(day(8))}")
    check_a11y(coordinator)
    shot(coordinator, "rr-workspace-start")
    coordinator.get_by_role("link", name="Agencies involved and information requests").click()
    check_a11y(coordinator)
    # The three agencies asked at once; the hospital, named in the referral, comes ticked.
    coordinator.get_by_role("link", name="Ask agencies").click()
    expect(coordinator.get_by_label(AGENCIES["lead.health"], exact=True)).to_be_checked()
    coordinator.get_by_label(AGENCIES["lead.health"], exact=True).uncheck()
    save(coordinator, "Send the requests")
    expect(coordinator.locator(".govuk-error-summary")).to_contain_text("Select the agencies to ask")
    check_a11y(coordinator)
    for key, agency in AGENCIES.items():
        coordinator.get_by_label(agency, exact=True).check()
        email = service.user(key)["username"]
        lead = coordinator.get_by_label(f"Safeguarding lead of {agency}")
        lead.select_option(lead.locator("option", has_text=f"({email})").get_attribute("value"))
    coordinator.locator("[name='message']").fill("Please cover the last 12 months.")
    check_a11y(coordinator)
    save(coordinator, "Send the requests")
    expect(coordinator.locator("main")).to_contain_text("Information requests sent to")
    expect(coordinator.locator("main table")).to_contain_text(f"{day(1).day} {day(1):%B %Y}")  # sent today
    hrefs = {
        agency: coordinator.get_by_role("link", name=agency, exact=True).get_attribute("href") or ""
        for agency in AGENCIES.values()
    }
    requests = [m for m in service.mail() if f"Information request for the rapid review of {REFERENCE}" in m]
    assert len(requests) == 3 and all(f"Summary due: working day 8, {due_text(day(8))}" in m for m in requests)
    coordinator.goto(workspace)
    expect(coordinator.locator("main")).to_contain_text(f"{due_text(day(2))} (met on {day(1).day} {day(1):%B})")

    # Day 2: the hospital starts its summary. While it is a draft, no other agency sees it.
    service.travel_to(at(2, 10))
    health = as_person("lead.health")
    expect(health.locator("main")).to_contain_text("Information requests for your agency")
    expect(health.locator("main")).to_contain_text(f"Summary due: working day 8, {due_text(day(8))}")
    expect(health.locator("main")).not_to_contain_text("What's due")  # the case's timetable is not theirs
    check_a11y(health)
    health.get_by_role("link", name=f"Summary for {REFERENCE}: Child E").click()
    health.get_by_role("link", name="Learning identified", exact=True).click()
    health.locator("[name='learning']").fill("A draft the school must never see")
    # The text is saved on the server as it is typed; the page's own Save then builds on that save.
    expect(health.locator("#learning [data-autosave-status]")).to_have_text("Draft saved")
    save(health, "Save and go back to your summary")
    expect(health.get_by_role("heading", level=1)).to_have_text(f"Individual Agency Summary: {AGENCIES['lead.health']}")
    school = as_person("lead.school")
    response = school.goto(hrefs[AGENCIES["lead.health"]])
    assert response is not None and response.status == 404
    check_a11y(school)
    expect(school.locator("main")).not_to_contain_text("A draft the school must never see")

    # Day 3 the hospital submits, day 5 the police.
    service.travel_to(at(3, 11))
    health = as_person("lead.health")
    health.goto(hrefs[AGENCIES["lead.health"]])
    write_summary(
        health, check_a11y, AGENCIES["lead.health"], first=True, today=service.today(), shared_event=SHARED_EVENT
    )
    service.travel_to(at(5, 14))
    police = as_person("lead.police")
    police.goto(hrefs[AGENCIES["lead.police"]])
    write_summary(
        police, lambda p: None, AGENCIES["lead.police"], first=False, today=service.today(), shared_event=SHARED_EVENT
    )

    # Day 6: the reminder job, on the service's clock: the summaries are due in 2 working days. The
    # coordinators are reminded (the step has no owner) and the school's lead, whose return is not
    # in, is chased with a link to it; the hospital and the police, whose returns are in, are not.
    service.travel_to(at(6, 8))
    before = len(service.mail())
    assert "reminder message" in service.manage("tick")
    sent = service.mail()[before:]
    due = f"Due: {due_text(day(8))} {day(8).year}"
    reminded = emails_to(sent, service.user("coordinator"), f"Due in 2 working days: Agency summaries for {REFERENCE}")
    assert len(reminded) == 1 and due in reminded[0], sent
    school_summary = f"the Individual Agency Summary from {AGENCIES['lead.school']}"
    chased = emails_to(sent, service.user("lead.school"), f"Due in 2 working days: {school_summary} for {REFERENCE}")
    assert len(chased) == 1 and due in chased[0], sent
    assert f"Open it: {service.base_url}{hrefs[AGENCIES['lead.school']]}" in chased[0]
    for key in ("lead.health", "lead.police"):
        assert not [m for m in emails_to(sent, service.user(key), "Due") if REFERENCE in m.splitlines()[1]]
    assert service.manage("tick") == "" and len(service.mail()) == before + len(sent)  # sent once only
    coordinator = as_person("coordinator")
    coordinator.goto(f"{base}/requests/")
    school_row = coordinator.locator("tr", has_text=AGENCIES["lead.school"])
    expect(school_row).to_contain_text("Not started")
    expect(coordinator.locator("tr", has_text=AGENCIES["lead.police"])).to_contain_text("Submitted")

    # Day 7: the school submits, the last summary in: the summaries step is met before its day 8.
    service.travel_to(at(7))
    school = as_person("lead.school")
    school.goto(hrefs[AGENCIES["lead.school"]])
    write_summary(
        school, lambda p: None, AGENCIES["lead.school"], first=False, today=service.today(), shared_event=SHARED_EVENT
    )
    coordinator = as_person("coordinator")
    coordinator.goto(workspace)
    expect(coordinator.locator("main")).to_contain_text("Today is working day 7.")
    expect(coordinator.locator("main")).to_contain_text(
        f"Returns due: working day 8, {due_text(day(8))} (met on {day(7).day} {day(7):%B})"
    )

    # Day 8: the coordinator accepts two and sends the school's back; the school fixes it.
    service.travel_to(at(8))
    coordinator = as_person("coordinator")
    for agency in AGENCIES.values():
        coordinator.goto(hrefs[agency])
        coordinator.get_by_role("link", name="Accept or send back this summary").click()
        if agency == AGENCIES["lead.school"]:
            check_a11y(coordinator)
            coordinator.get_by_label("Send it back to the agency with comments").check()
            coordinator.locator("[name='comments']").fill("Please add the dates of the attendance letters.")
        else:
            coordinator.get_by_label("Accept it").check()
        save(coordinator, "Continue")
    school = as_person("lead.school")
    school.goto(hrefs[AGENCIES["lead.school"]])
    expect(school.locator("main")).to_contain_text("Please add the dates of the attendance letters.")
    check_a11y(school)
    school.get_by_role("link", name="Period of involvement and summary", exact=True).click()
    school.locator("[name='involvement_summary']").fill("Letters sent in March and May.")
    save(school, "Save and go back to your summary")
    school.get_by_role("link", name="Check and submit your summary").click()
    save(school, "Submit your summary")
    coordinator.goto(hrefs[AGENCIES["lead.school"]])
    coordinator.get_by_role("link", name="Accept or send back this summary").click()
    coordinator.get_by_label("Accept it").check()
    save(coordinator, "Continue")

    # Day 9: the merged chronology.
    service.travel_to(at(9))
    coordinator = as_person("coordinator")
    coordinator.goto(f"{base}/chronology/")
    expect(coordinator.locator("main")).to_contain_text("Possible duplicate")
    check_a11y(coordinator)
    csv = coordinator.request.get(f"{base}/chronology/download.csv")
    assert csv.ok and "bruise to the cheek" in csv.text()

    # Still day 9: the meeting is set for tomorrow (day 10); its papers wait until the coordinator
    # shares the summaries. Until it has been held, the decision, sign-off and the document wait for it.
    coordinator.goto(f"{base}/meeting/")
    check_a11y(coordinator)
    fill_date(coordinator, "date", day(10))
    coordinator.locator("[name='start_time']").fill("13:00")
    coordinator.locator("[name='place']").fill("Committee Room 2")
    for key in MEMBERS:
        coordinator.get_by_label(member_label(service.user(key))).first.check()
    save(coordinator, "Schedule and send invitations")
    expect(coordinator.locator("main")).to_contain_text("Meeting scheduled")
    check_a11y(coordinator)
    raw = "".join(path.read_text() for path in (service.var_dir / "mail").iterdir())
    assert 'filename="invite.ics"' in raw and "text/calendar" in raw
    assert any(f"DTSTART:{day(10):%Y%m%d}T130000Z" in ics for ics in calendars(service))  # 13:00 GMT that day
    police = as_person("lead.police")
    police.goto(f"{base}/meeting/papers.pdf")
    expect(police.get_by_role("heading", level=1)).to_have_text("The meeting papers are not ready yet")
    check_a11y(police)
    coordinator.goto(f"{base}/requests/")
    coordinator.get_by_role("link", name="Share the submitted summaries with the meeting's members").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Share the submitted summaries?")
    check_a11y(coordinator)
    save(coordinator, "Share the summaries")
    expect(coordinator.locator("main")).to_contain_text("Each member of the meeting has been sent a link to the papers")
    assert emails_to(service.mail(), service.user("lead.police"), "Papers for the rapid review meeting"), "members told"
    papers = police.request.get(f"{base}/meeting/papers.pdf")
    assert papers.ok and papers.body()[:5] == b"%PDF-"
    police.goto(hrefs[AGENCIES["lead.health"]])  # shared now, and submitted: readable, not editable
    expect(police.locator("main")).to_contain_text("Professional curiosity about bruising.")
    check_a11y(police)
    meeting_waits(service, coordinator, as_person("delegate.la"), base, check_a11y)

    # Day 10, the morning of the meeting: its day has come, but it is not held until it is recorded.
    service.travel_to(at(10, 11))
    coordinator = as_person("coordinator")
    coordinator.goto(f"{base}/meeting/")
    expect(coordinator.locator("main")).to_contain_text("is recorded as held: record that it was held")
    # That afternoon, after the meeting: the coordinator's session idled out (3.5 hours) and the
    # service says so on the sign-in page; then the coordinator records that the meeting was held.
    service.travel_to(at(10, 14, 30))
    coordinator.goto(f"{base}/meeting/")
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(coordinator.locator("main")).to_contain_text("You were signed out because you did nothing for 30 minutes")
    check_a11y(coordinator)
    coordinator = as_person("coordinator")
    record_meeting_held(coordinator, base, day(10), check_a11y)
    coordinator.goto(f"{base}/meeting/record/")
    check_a11y(coordinator)
    for name, value in RECORD.items():
        coordinator.locator(f"[name='{name}']").fill(value)
    save(coordinator, "Save")
    coordinator.goto(f"{base}/actions/new/")
    check_a11y(coordinator)
    coordinator.locator("[name='description']").fill("Check the safety of the brother")
    coordinator.locator("[name='owner']").fill("Children's services")
    fill_date(coordinator, "due", service.today() + timedelta(days=2))
    save(coordinator, "Save action")
    check_a11y(coordinator)

    # Day 11: the criteria and the decision.
    service.travel_to(at(11))
    coordinator = as_person("coordinator")
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

    # Day 13: the three partners sign off; the scrutineer comments.
    service.travel_to(at(13))
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

    # Day 14: the document, then the submission, one working day inside the 15.
    service.travel_to(at(14))
    coordinator = as_person("coordinator")
    coordinator.goto(f"{base}/document/")
    check_a11y(coordinator)
    save(coordinator, "Generate a Word version (DOCX)")
    expect(coordinator.locator("main")).to_contain_text("version 1")
    check_a11y(coordinator)
    docx_href = coordinator.get_by_role("link", name="Rapid review document (DOCX), version 1").get_attribute("href")
    docx = coordinator.request.get(docx_href or "")
    assert docx.ok
    check_docx_has_the_meeting_record(docx.body(), service, meeting_day=day(10), decided_on=day(11))
    save(coordinator, "Generate an accessible PDF")  # queued: the worker writes it, the page asks after it
    expect(coordinator.locator("main")).to_contain_text(re.compile(r"The PDF is (being generated|ready)"))
    check_a11y(coordinator)
    # The page's script asks every 3 s and gives the new version's link in a live region (or the page
    # already had it, when the worker was quicker); allow for a loaded CI machine.
    download = coordinator.get_by_role("link", name="Download Rapid review document (PDF), version 1")
    expect(download).to_be_visible(timeout=180_000)
    pdf_href = download.get_attribute("href")
    pdf = coordinator.request.get(pdf_href or "")
    assert pdf.ok and pdf.body()[:5] == b"%PDF-"
    coordinator.goto(f"{base}/submission/")
    check_a11y(coordinator)
    save(coordinator, "Record the submission")
    expect(coordinator.locator("main")).to_contain_text("Submission recorded")
    assert any(f"Outcome of the rapid review of {REFERENCE}" in m for m in service.mail())
    coordinator.goto(workspace)
    met = f"(met on {day(14).day} {day(14):%B})"
    expect(coordinator.locator("main")).not_to_contain_text("Today is working day")  # sent: no longer counting
    expect(coordinator.locator("main")).to_contain_text(f"Rapid review due: working day 15, {due_text(day(15))} {met}")
    shot(coordinator, "rr-workspace-submitted")
    coordinator.goto(f"/cases/{REFERENCE}/deadlines/")
    row = coordinator.locator(
        "#deadlines + .app-table-wrap table tr", has=coordinator.locator("th", has_text=re.compile(r"^Rapid review$"))
    )
    expect(row).to_contain_text("Met")
    expect(row).not_to_contain_text("Met late")
    expect(row).to_contain_text(f"Done {day(14).day} {day(14):%B %Y}")

    # Five working days later (day 19) the Panel's response arrives.
    service.travel_to(at(19, 10))
    coordinator = as_person("coordinator")
    coordinator.goto(f"{base}/panel-response/")
    check_a11y(coordinator)
    fill_date(coordinator, "received_on", service.today())
    coordinator.get_by_label("Agrees with the decision").check()
    coordinator.get_by_label("No national review").check()
    coordinator.locator("[name='summary']").fill("The Panel agrees an LCSPR is right.")
    save(coordinator, "Record the response")
    expect(coordinator.locator("main")).to_contain_text("The Panel's response is recorded")
    check_a11y(coordinator)
    shot(coordinator, "rr-workspace-end")
    coordinator.goto(f"{base}/panel-response/")
    expect(coordinator.locator("main")).to_contain_text("Agrees with the decision")
    expect(coordinator.locator("main")).to_contain_text(f"{day(19).day} {day(19):%B %Y}")
    check_a11y(coordinator)
