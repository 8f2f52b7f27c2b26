"""'What's due': grouped, labelled, visible only through the one door, in a fixed number of queries."""

from datetime import date, timedelta

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case, CaseState
from clocks.models import Clock, ClockRule, ClockStatus
from clocks.services import clock_start
from conftest import SignIn, World
from partnerships.models import Partnership

from .conftest import make_case

TODAY = date(2026, 1, 14)  # a Wednesday


def _bulk(world: World, n: int, partnership: Partnership | None = None) -> None:
    partnership = partnership or world.north
    prefix = partnership.short_name
    cases = Case.objects.bulk_create(
        [
            Case(reference=f"{prefix}-B-{i:05d}", partnership=partnership, title=f"Child {i}", state=CaseState.NOTIFIED)
            for i in range(n)
        ]
    )
    Clock.objects.bulk_create(
        [
            Clock(
                case=c,
                rule=ClockRule.SIN,
                start_date=TODAY - timedelta(days=i % 20),
                due_date=TODAY + timedelta(days=(i % 20) - 7),
                owner=world.people["notifier"] if i % 3 == 0 else None,
            )
            for i, c in enumerate(cases)
        ]
    )


def test_the_coordinator_sees_deadlines_grouped_with_working_day_labels(world: World, signed_in: SignIn) -> None:
    coordinator = world.people["coordinator"]
    case = make_case(world, "NSCP-2026-070")
    clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=coordinator)  # due 12 Jan
    clock_start(case=case, rule=ClockRule.RAPID_REVIEW, start_date=date(2026, 1, 2), actor=coordinator)  # 23 Jan
    other = make_case(world, "NSCP-2026-071")
    clock_start(case=other, rule=ClockRule.SIN, start_date=date(2026, 1, 7), actor=coordinator)  # due 14 Jan
    clock_start(case=other, rule=ClockRule.LCSPR, start_date=date(2026, 1, 7), actor=coordinator)
    clock_start(case=other, rule=ClockRule.RR_REQUESTS_OUT, start_date=date(2026, 1, 14), actor=coordinator)
    with time_machine.travel(TODAY, tick=False):
        home = signed_in(coordinator).get("/").content.decode()
        page = signed_in(coordinator).get(reverse("clocks:due")).content.decode()
    assert "What's due" in home
    assert "Overdue (1)" in home
    assert "Due today (1)" in home
    assert "Due in the next 7 days (1)" in home
    assert "Working day 7 of 5, 2 working days over" in home
    assert "Working day 5 of 5" in home
    assert "Working day 0 of 2" in home
    assert "Friday 16 January" in home
    assert "Working day 8 of 15" in page
    assert "Friday 23 January" in page
    assert "govuk-tag--red" in home
    assert "5 deadlines" in page
    assert "Day 7 of 181" in page


def test_the_due_page_filters_by_group_and_rule(world: World, signed_in: SignIn) -> None:
    coordinator = world.people["coordinator"]
    case = make_case(world, "NSCP-2026-072")
    clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=coordinator)
    clock_start(case=case, rule=ClockRule.RAPID_REVIEW, start_date=date(2026, 1, 2), actor=coordinator)
    client = signed_in(coordinator)
    with time_machine.travel(TODAY, tick=False):
        overdue = client.get(reverse("clocks:due"), {"group": "overdue"}).content.decode()
        rr = client.get(reverse("clocks:due"), {"rule": "rapid_review"}).content.decode()
        bad = client.get(reverse("clocks:due"), {"group": "nonsense", "page": "x"})
    assert "1 deadline<" in overdue and "Serious Incident Notification" in overdue
    assert "1 deadline<" in rr and "Rapid review" in rr
    assert bad.status_code == 200


def test_people_see_only_deadlines_of_cases_they_can_see(world: World, signed_in: SignIn) -> None:
    south_case = make_case(world, "SSCP-2026-070", partnership=world.south)
    clock_start(case=south_case, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=None)
    north_case = make_case(world, "NSCP-2026-073")
    clock_start(case=north_case, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=None)
    with time_machine.travel(TODAY, tick=False):
        north = signed_in(world.people["coordinator"]).get(reverse("clocks:due")).content.decode()
        school = signed_in(world.people["lead_school"]).get(reverse("clocks:due")).content.decode()
    assert "NSCP-2026-073" in north and "SSCP-2026-070" not in north
    assert "There are no open deadlines" in school


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx, time_machine.travel(TODAY, tick=False):
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_dashboard_uses_the_same_number_of_queries_at_10_and_1000_cases(world: World, signed_in: SignIn) -> None:
    client = signed_in(world.people["coordinator"])
    _bulk(world, 10)
    client.get("/")  # warm the session and caches
    small_home, small_due = _queries(client, "/"), _queries(client, reverse("clocks:due"))
    Clock.objects.all().delete()
    Case.objects.filter(reference__startswith="NSCP-B-").delete()
    _bulk(world, 1000)
    large_home, large_due = _queries(client, "/"), _queries(client, reverse("clocks:due"))
    assert large_home == small_home
    assert large_due == small_due
    assert 0 < small_home < 40
    assert 0 < small_due < 40


def test_a_paused_clock_is_not_overdue(world: World) -> None:
    from clocks.selectors import due_counts
    from clocks.services import clock_pause

    case = make_case(world, "NSCP-2026-074")
    clock = clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=None)
    clock_pause(clock=clock, on=date(2026, 1, 6), reason="Hold", actor=None)
    counts = due_counts(world.people["coordinator"], today=TODAY)
    assert counts["overdue"] == 0
    assert counts["later"] == 1
    assert Clock.objects.get(pk=clock.pk).status == ClockStatus.PAUSED


def test_an_agency_lead_sees_the_deadlines_their_agency_owns_not_every_step(world: World, signed_in: SignIn) -> None:
    case = make_case(world, "NSCP-2026-074")
    case.involved_agencies.add(world.agencies["school"])
    clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=None)
    clock_start(
        case=case,
        rule=ClockRule.RAPID_REVIEW,
        start_date=date(2026, 1, 5),
        actor=None,
        owner_agency=world.agencies["school"],
    )
    with time_machine.travel(TODAY, tick=False):
        school = signed_in(world.people["lead_school"])
        home = school.get("/").content.decode()
        all_of_them = school.get(reverse("clocks:due")).content.decode()
        own = school.get(reverse("clocks:due") + "?mine=on").content.decode()
        coordinator = signed_in(world.people["coordinator"]).get("/").content.decode()
    assert (
        "Deadlines you or your agency are responsible for: 0 overdue, 0 due today, 0 due in the next 7 days, 1 due later"
        in home
    )
    assert "See all 1 open deadline<" in home and 'href="/clocks/?mine=on"' in home
    assert all_of_them.count("NSCP-2026-074</a>") == 2, "the full list is still there for the cases they see"
    assert own.count("NSCP-2026-074</a>") == 1, "the rapid review (their agency's), not the notification"
    assert "Deadlines across your partnership" in coordinator
