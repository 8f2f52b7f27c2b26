"""The deadline tables on a phone: each scrolls sideways in its own labelled, focusable region
instead of widening the page, and the notes under a status or a deadline ("Done …", "Reason: …",
"Owner: …") are lines of their own, not run together ("Done 1 December 2026Reason: …")."""

import re
from datetime import date

import time_machine
from django.urls import reverse

from clocks.models import ClockRule, ClosureDay
from clocks.services import clock_meet, clock_start
from conftest import SignIn, World, found

from .conftest import make_case

REGION = re.compile(
    r'<div class="app-table-wrap" role="region" aria-label="([^"]+)" tabindex="0"><table class="govuk-table">'
)


def deadlines_section(html: str) -> str:
    start = html.index('id="deadlines"')
    return html[start : html.index("</table></div>", start)]


def test_the_case_pages_deadlines_scroll_in_their_own_region_and_each_note_is_a_line_of_its_own(
    world: World, signed_in: SignIn
) -> None:
    case = make_case(world, "NSCP-2026-090")
    clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=None)
    clock_meet(case=case, rule=ClockRule.SIN, on=date(2026, 1, 13), actor=None, late_reason="Awaiting the police")
    clock_start(case=case, rule=ClockRule.RAPID_REVIEW, start_date=date(2026, 1, 13), actor=None)
    with time_machine.travel(date(2026, 1, 14), tick=False):
        html = (
            signed_in(world.people["coordinator"])
            .get(reverse("cases:deadlines", args=[case.reference]))
            .content.decode()
        )
    section = deadlines_section(html)
    assert found(REGION, section) == "Deadlines, scrolls sideways on a narrow screen"
    assert "Done 13 January 2026</span>" in section and "Reason: Awaiting the police</span>" in section
    notes = re.findall(r'<span class="(govuk-hint[^"]*)">', section)
    assert len(notes) >= 3  # done, reason, progress
    assert all("govuk-!-display-block" in classes for classes in notes), notes


def test_the_home_page_and_the_due_list_put_each_deadline_table_in_a_region(world: World, signed_in: SignIn) -> None:
    case = make_case(world, "NSCP-2026-091")
    clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=None)  # overdue on the 14th
    client = signed_in(world.people["coordinator"])
    with time_machine.travel(date(2026, 1, 14), tick=False):
        home = client.get("/").content.decode()
        due = client.get(reverse("clocks:due")).content.decode()
    assert REGION.search(home) and home.count('<div class="app-table-wrap"') == home.count("</table></div>")
    assert found(REGION, due) == "Deadlines, scrolls sideways on a narrow screen"
    assert f'{case.reference}</a><span class="govuk-hint govuk-!-display-block' in due


def test_the_calendars_tables_scroll_in_their_own_regions(world: World, signed_in: SignIn) -> None:
    ClosureDay.objects.create(partnership=world.north, date=date(2026, 12, 29), name="Office move")
    service_admin = world.people["admin"]
    service_admin.is_staff = True  # the calendar is the service administrator's (accounts.roles)
    service_admin.save()
    with time_machine.travel(date(2026, 1, 14), tick=False):
        holidays = signed_in(service_admin).get(reverse("clocks:bank_holidays")).content.decode()
        closures = signed_in(world.people["coordinator"]).get(reverse("clocks:closure_days")).content.decode()
    assert found(REGION, holidays) == "Bank holidays, scrolls sideways on a narrow screen"
    assert found(REGION, closures) == "Closure days, scrolls sideways on a narrow screen"
    assert "Office move" in closures
    for html in (holidays, closures):
        assert html.count("<table") == html.count("</table></div>")
