"""Steps and readers of the rapid review browser journey (`e2e/test_rapid_review.py`)."""

import email
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import holidays
from playwright.sync_api import Page, expect

from core.workdays import add_working_days
from e2e.service import LONDON, Service

# The journey's calendar: the clock starts at START; working days count the bank holidays.
START = datetime(2027, 2, 1, 9, 0, tzinfo=LONDON)  # a Monday; day 0, the SIN is recorded
BANK_HOLIDAYS = frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[START.year], language="en_GB"))
assert not any(START.date() + timedelta(days=n) in BANK_HOLIDAYS for n in range(29)), "choose another start"
REFERENCE = f"NSCP-{START.year}-0069"
SHARED_EVENT = START.date() - timedelta(days=120)  # in every agency's records: a possible duplicate


def day(n: int) -> date:
    """Working day n of the rapid review (day 0 is the day the SIN was recorded)."""
    return add_working_days(START.date(), n, BANK_HOLIDAYS)


def at(n: int, hour: int = 9, minute: int = 30) -> datetime:
    return datetime.combine(day(n), time(hour, minute), tzinfo=LONDON)


# The three agencies asked, by their lead's demo persona.
AGENCIES = {
    "lead.health": "Northshire Hospitals NHS Trust",
    "lead.police": "Northshire Police",
    "lead.school": "Hollowbrook Primary School",
}

# Day 0: the notified case, created through `manage.py shell` on the service's (moved) clock.
SETUP = """
from accounts.models import User
from cases.models import Case, CaseState, StateChange
from partnerships.models import Agency, Partnership
p = Partnership.objects.get(short_name="NSCP")
hospital = Agency.objects.get(partnership=p, name="Northshire Hospitals NHS Trust")
case = Case.objects.create(reference="{ref}", partnership=p, title="Child E", state=CaseState.NOTIFIED,
    referred_by=User.objects.get(username__startswith="practitioner@"), referring_agency=hospital)
case.involved_agencies.add(hospital)
StateChange.objects.create(case=case, transition="record_notification", from_state="to_notify",
    to_state="notified", actor=User.objects.get(username__startswith="notifier@"))
"""


def due_text(when: date) -> str:
    """As the service writes a due date this year: 'Thursday 11 February'."""
    return f"{when:%A} {when.day} {when:%B}"


def fill_date(page: Page, name: str, when: date) -> None:
    page.locator(f"[name='{name}_0']").fill(str(when.day))
    page.locator(f"[name='{name}_1']").fill(str(when.month))
    page.locator(f"[name='{name}_2']").fill(str(when.year))


def save(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def fill_key_practice_episodes(page: Page, a11y: Callable[[Page], None], first: bool, when: date) -> None:
    """The summary's "Key practice episodes" section, from the task list: two episodes, the first
    dated; on the first return, the empty list, the error for an empty episode and the list, checked."""
    page.get_by_role("link", name="Key practice episodes", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Key practice episodes")
    expect(page.locator("main")).to_contain_text("No key practice episodes yet")
    a11y(page) if first else None
    page.get_by_role("link", name="Add a key practice episode").click()
    if first:
        save(page, "Save episode")  # nothing typed: a clear error, on an accessible page
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the episode")
        a11y(page)
    page.locator("[name='title']").fill("Emergency department visit")
    fill_date(page, "date", when)
    page.locator("[name='went_well']").fill("Quick referral.")
    page.locator("[name='could_differ']").fill("The explanation for the bruise was not explored.")
    save(page, "Save and add another")
    page.locator("[name='title']").fill("Missed appointment")
    page.locator("[name='could_differ']").fill("Follow up DNA.")
    save(page, "Save episode")
    expect(page.locator(".govuk-summary-card__title")).to_have_text(
        ["1. Emergency department visit", "2. Missed appointment"]
    )
    a11y(page) if first else None
    page.get_by_role("link", name="Continue to your summary").click()


def write_summary(
    page: Page, a11y: Callable[[Page], None], agency: str, first: bool, today: date, shared_event: date
) -> None:
    """From the agency's task list: every section (the five short ones on one page), two chronology
    entries as rows of the table (one of them the event on `shared_event` that every agency
    records), then submit."""
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Individual Agency Summary: {agency}")
    if first:
        a11y(page)
    page.get_by_role("link", name="Period of involvement and summary", exact=True).click()
    fill_date(page, "period_start", today - timedelta(days=365))
    fill_date(page, "period_end", today)
    page.locator("[name='involvement_summary']").fill(f"{agency} saw the family 6 times.")
    a11y(page) if first else None
    save(page, "Save and go back to your summary")
    fill_key_practice_episodes(page, a11y, first, shared_event)
    # The five short sections, on one page with one Save.
    page.get_by_role("link", name="The child's lived experience and voice", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The child, your agency's actions and learning")
    for name, value in {
        "lived_experience": "Quiet and watchful.",
        "inequalities": "No interpreter was offered.",
        "immediate_actions": "Staff briefing given.",
        "learning": "Professional curiosity about bruising.",
        "parallel_processes": "Police investigation.",
    }.items():
        page.locator(f"[name='{name}']").fill(value)
    a11y(page) if first else None
    save(page, "Save and go back to your summary")
    # Two rows of the chronology table: the same event in every agency's records (the merged
    # chronology flags it), then their own contact.
    page.get_by_role("link", name="Add chronology entries").click()
    for row, (when, text) in enumerate(
        (
            (shared_event, "Seen in the emergency department with a bruise to the cheek"),
            (today - timedelta(days=10), f"{agency} contact"),
        ),
        start=1,
    ):
        page.locator(f"[name='row-{row}-date']").fill(f"{when:%d/%m/%Y}")
        page.locator(f"[name='row-{row}-time']").fill("09:30")
        page.locator(f"[name='row-{row}-what_happened']").fill(text)
        page.locator(f"[name='row-{row}-source']").fill("Case record")
    a11y(page) if first else None
    save(page, "Save entries")
    a11y(page) if first else None
    page.get_by_role("link", name="Check and submit your summary").click()
    a11y(page) if first else None
    save(page, "Submit your summary")
    expect(page.locator("main")).to_contain_text("Submitted")


def emails_to(messages: list[str], persona: dict[str, Any], subject_start: str) -> list[str]:
    """Those of `messages` (as `Service.mail()` gives them) to the persona whose subject starts so."""
    head = (f"To: {persona['username']}", f"Subject: {subject_start}")
    return [m for m in messages if m.splitlines()[0] == head[0] and m.splitlines()[1].startswith(head[1])]


def calendars(service: Service) -> list[str]:
    """The text of every calendar (ICS) attached to the emails written so far."""
    found = []
    for path in (service.var_dir / "mail").iterdir():
        for raw in path.read_text().split("-" * 79):
            for part in email.message_from_string(raw.strip("\n")).walk():
                if part.get_content_type() == "text/calendar":
                    payload = part.get_payload(decode=True)
                    found.append(payload.decode() if isinstance(payload, bytes) else "")
    return found


def member_label(persona: dict[str, Any]) -> re.Pattern[str]:
    """A member checkbox's label: 'Name, role (agency)'."""
    pattern = re.escape(persona["role_label"])
    if persona.get("agency"):
        pattern += r" \(" + re.escape(persona["agency"]) + r"\)"
    return re.compile(pattern + "$")


# The meeting's members, and what the coordinator writes in the record of the meeting.
MEMBERS = ("delegate.la", "delegate.icb", "delegate.police", "scrutineer", "lead.police")
RECORD = {
    "incident_summary": "Admitted with a head injury; a brother, 7, is with his grandmother.",
    "family_context": "Mother, partner and two children; Polish heritage.",
    "facts_agreed": "The bruise seen 120 days before was not explored.",
    "learning": "Bruising in non-mobile babies always needs a referral.",
    "family_informed": "Mother told by the social worker.",
}


def long_date(when: date) -> str:
    """As the service writes a date in full: 'Monday 15 February 2027'."""
    return f"{when:%A} {when.day} {when:%B %Y}"


def meeting_waits(service: Service, coordinator: Page, partner: Page, base: str, a11y: Callable[[Page], None]) -> None:
    """Before the meeting: the decision, sign-off and the document each say they wait for it, and when."""
    meeting = long_date(day(10))
    coordinator.goto(f"{base}/meeting/decision/")
    expect(coordinator.locator("main")).to_contain_text(f"The decision waits for the rapid review meeting on {meeting}")
    expect(coordinator.locator("[name='decision_rationale']")).to_have_count(0)
    a11y(coordinator)
    coordinator.goto(f"{base}/")
    expect(coordinator.locator("main")).to_contain_text(f"Planned for {day(10).day} {day(10):%B}")
    coordinator.goto(f"{base}/document/")
    expect(coordinator.locator("main")).to_contain_text(
        f"The rapid review document waits for the rapid review meeting on {meeting}"
    )
    expect(coordinator.get_by_role("button", name="Generate a Word version (DOCX)")).to_have_count(0)
    a11y(coordinator)
    partner.goto(f"{base}/sign-off/")
    expect(partner.locator("main")).to_contain_text(f"Sign-off waits for the rapid review meeting on {meeting}")
    a11y(partner)


def record_meeting_held(page: Page, base: str, held: date, a11y: Callable[[Page], None]) -> None:
    """From the meeting page: the held day offered (the planned one), recorded; its deadline met that day."""
    page.goto(f"{base}/meeting/")
    page.get_by_role("link", name="Record that it was held").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record that the meeting was held")
    expect(page.locator("[name='held_on_0']")).to_have_value(str(held.day))
    a11y(page)
    save(page, "Record that it was held")
    expect(page.locator("main")).to_contain_text(f"Recorded: the meeting was held on {held.day} {held:%B %Y}")
    expect(page.locator("main")).to_contain_text(f"Held on {long_date(held)}")
    a11y(page)
    page.goto(f"/cases/{REFERENCE}/deadlines/")
    row = page.locator(
        "#deadlines + .app-table-wrap table tr", has=page.locator("th", has_text=re.compile(r"^Rapid review meeting"))
    )
    expect(row).to_contain_text(f"Done {held.day} {held:%B %Y}")


def check_docx_has_the_meeting_record(data: bytes, service: Service, *, meeting_day: date, decided_on: date) -> None:
    """Every field of the meeting and its record, and the decision, in the Word document; the
    covering letter says the meeting was held, never that it is planned."""
    import io

    from docx import Document as Docx

    document = Docx(io.BytesIO(data))
    rows = {row.cells[0].text: row.cells[-1].text for table in document.tables for row in table.rows}
    text = "\n".join([p.text for p in document.paragraphs] + [f"{k}\n{v}" for k, v in rows.items()])
    for name, value in RECORD.items():
        assert value in text, f"{name} is not in the document"
    assert rows["Date of rapid review meeting"] == f"{meeting_day.day} {meeting_day:%B %Y}"
    assert rows["Time and length of the meeting"] == "13:00, for 120 minutes"
    assert rows["Where the meeting was held"] == "Committee Room 2"
    for key in MEMBERS:
        assert service.user(key)["role_label"] in rows["Members of the meeting"], f"{key} is not among the members"
    assert f"The rapid review meeting was held on {meeting_day.day} {meeting_day:%B %Y}." in text
    assert "planned" not in text
    assert "Decision: Local child safeguarding practice review (LCSPR)" in text
    assert "Criteria (a) to (c) are met." in text and "Non-accidental injury or physical abuse in infants" in text
    assert f"Date of the decision: {decided_on.day} {decided_on:%B %Y}" in text
