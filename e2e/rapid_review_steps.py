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
    """The return's "Key practice episodes" section, from the task list: two episodes, the first
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


def write_return(
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
