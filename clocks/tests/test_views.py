"""Clock actions on the case page and the two calendars, through GOV.UK forms."""

from datetime import date

import time_machine
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from audit.models import AuditEvent, Verb
from clocks.models import BankHoliday, Clock, ClockRule, ClockStatus, ClosureDay
from clocks.services import clock_pause, clock_start
from conftest import SignIn, World

from .conftest import make_case

TODAY = date(2026, 1, 14)


def _url(clock: Clock, action: str) -> str:
    return reverse("clocks:change", args=[clock.case.reference, clock.pk, action])


def test_the_case_page_lists_clocks_with_tags_and_actions_for_the_coordinator(world: World, signed_in: SignIn) -> None:
    case = make_case(world, "NSCP-2026-080")
    clock = clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=None)
    with time_machine.travel(TODAY, tick=False):
        coordinator_page = signed_in(world.people["coordinator"]).get(reverse("cases:deadlines", args=[case.reference]))
    html = coordinator_page.content.decode()
    assert 'id="deadlines"' in html
    assert "Serious Incident Notification" in html
    assert "govuk-tag--red" in html
    assert _url(clock, "complete") in html
    assert "Mark late" in html


def test_people_who_cannot_manage_clocks_see_them_without_actions(world: World, signed_in: SignIn) -> None:
    case = make_case(world, "NSCP-2026-081")
    clock = clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=None)
    client = signed_in(world.people["chair"])
    html = client.get(reverse("cases:deadlines", args=[case.reference])).content.decode()
    assert "Serious Incident Notification" in html
    assert _url(clock, "extend") not in html
    assert client.get(_url(clock, "extend")).status_code == 403
    assert signed_in(world.people["south_coordinator"]).get(_url(clock, "extend")).status_code == 404


def test_extending_asks_for_a_later_date_a_reason_and_who_agreed(world: World, signed_in: SignIn) -> None:
    case = make_case(world, "NSCP-2026-082")
    clock = clock_start(case=case, rule=ClockRule.RAPID_REVIEW, start_date=date(2026, 1, 5), actor=None)
    client = signed_in(world.people["coordinator"])
    response = client.post(
        _url(clock, "extend"),
        {
            "new_due_0": "31",
            "new_due_1": "2",
            "new_due_2": "2026",
            "reason": "Police asked us to wait",
            "agreed_by": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter who agreed the extension" in html
    assert "Police asked us to wait" in html  # typed text is kept
    assert "Error:" in html
    response = client.post(
        _url(clock, "extend"),
        {"new_due_0": "30", "new_due_1": "2", "new_due_2": "2026", "reason": "x", "agreed_by": "y"},
    )
    assert "must be a real date" in response.content.decode()
    response = client.post(
        _url(clock, "extend"),
        {
            "new_due_0": "27",
            "new_due_1": "2",
            "new_due_2": "2026",
            "reason": "Police asked us to wait",
            "agreed_by": "Panel secretariat",
            "version": str(clock.version),
        },
    )
    assert response.status_code == 302
    clock.refresh_from_db()
    assert clock.status == ClockStatus.EXTENDED
    assert clock.extended_to == date(2026, 2, 27)
    assert clock.agreed_by == "Panel secretariat"


def test_a_stale_form_is_refused_rather_than_overwriting(world: World, signed_in: SignIn) -> None:
    case = make_case(world, "NSCP-2026-083")
    clock = clock_start(case=case, rule=ClockRule.RAPID_REVIEW, start_date=date(2026, 1, 5), actor=None)
    response = signed_in(world.people["coordinator"]).post(
        _url(clock, "cancel"), {"reason": "No longer needed", "version": str(clock.version + 5)}
    )
    assert "Someone else changed this deadline" in response.content.decode()
    assert Clock.objects.get(pk=clock.pk).status == ClockStatus.OPEN


def test_marking_late_needs_a_reason(world: World, signed_in: SignIn) -> None:
    case = make_case(world, "NSCP-2026-084")
    clock = clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=None)
    client = signed_in(world.people["coordinator"])
    with time_machine.travel(TODAY, tick=False):
        data = {"on_0": "13", "on_1": "1", "on_2": "2026", "late_reason": ""}
        assert "Enter why it was late" in client.post(_url(clock, "complete"), data).content.decode()
        data["late_reason"] = "Awaiting the police summary"
        assert client.post(_url(clock, "complete"), data).status_code == 302
    clock.refresh_from_db()
    assert clock.status == ClockStatus.LATE
    assert clock.reason == "Awaiting the police summary"


def test_pause_and_restart_from_the_case_page(world: World, signed_in: SignIn) -> None:
    case = make_case(world, "NSCP-2026-085")
    clock = clock_start(case=case, rule=ClockRule.RAPID_REVIEW, start_date=date(2026, 1, 5), actor=None)
    client = signed_in(world.people["coordinator"])
    assert "Enter why the deadline is paused" in client.post(_url(clock, "pause"), {}).content.decode()
    client.post(_url(clock, "pause"), {"on_0": "9", "on_1": "1", "on_2": "2026", "reason": "Criminal trial"})
    clock.refresh_from_db()
    assert clock.status == ClockStatus.PAUSED
    response = client.post(_url(clock, "resume"), {"on_0": "8", "on_1": "1", "on_2": "2026"})
    assert "must be on or after 9 January 2026" in response.content.decode()
    client.post(_url(clock, "resume"), {"on_0": "16", "on_1": "1", "on_2": "2026"})
    clock.refresh_from_db()
    assert clock.status == ClockStatus.OPEN
    assert clock.due_date == date(2026, 2, 2)


def test_an_unknown_action_is_not_found(world: World, signed_in: SignIn) -> None:
    case = make_case(world, "NSCP-2026-086")
    clock = clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=None)
    clock_pause(clock=clock, on=date(2026, 1, 6), reason="x", actor=None)
    client = signed_in(world.people["coordinator"])
    assert client.get(_url(clock, "explode")).status_code == 404


def test_the_service_administrator_adds_a_bank_holiday_and_open_clocks_move(world: World, signed_in: SignIn) -> None:
    case = make_case(world, "NSCP-2026-087")
    clock = clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 6, 1), actor=None)
    service_admin = world.people["admin"]
    service_admin.is_staff = True  # the service-wide role (this person also runs Northshire)
    service_admin.save()
    client = signed_in(service_admin)
    assert client.get(reverse("clocks:bank_holidays")).status_code == 200
    assert signed_in(world.people["coordinator"]).get(reverse("clocks:bank_holidays")).status_code == 403
    client = signed_in(service_admin)
    response = client.post(reverse("clocks:bank_holidays"), {"day_0": "3", "day_1": "6", "day_2": "2026", "name": ""})
    assert "Enter the name of the bank holiday" in response.content.decode()
    response = client.post(
        reverse("clocks:bank_holidays"), {"day_0": "3", "day_1": "6", "day_2": "2026", "name": "Invented celebration"}
    )
    assert response.status_code == 302
    clock.refresh_from_db()
    assert clock.due_date == date(2026, 6, 9)
    response = client.post(
        reverse("clocks:bank_holidays"), {"day_0": "3", "day_1": "6", "day_2": "2026", "name": "Again"}
    )
    assert "already a bank holiday" in response.content.decode()
    holiday = BankHoliday.objects.get(date=date(2026, 6, 3))
    assert holiday.source == BankHoliday.Source.ADDED
    assert client.post(reverse("clocks:bank_holiday_remove", args=[holiday.pk])).status_code == 302
    clock.refresh_from_db()
    assert clock.due_date == date(2026, 6, 8)
    assert AuditEvent.objects.filter(verb=Verb.CALENDAR_CHANGE).count() == 2


def test_closure_days_warn_but_never_move_a_deadline(world: World, signed_in: SignIn) -> None:
    case = make_case(world, "NSCP-2026-088")
    clock = clock_start(case=case, rule=ClockRule.SIN, start_date=date(2026, 1, 5), actor=None)
    client = signed_in(world.people["coordinator"])
    response = client.post(
        reverse("clocks:closure_days"), {"day_0": "9", "day_1": "1", "day_2": "2026", "name": "Office move"}
    )
    assert response.status_code == 302
    assert ClosureDay.objects.filter(partnership=world.north, date=date(2026, 1, 9)).exists()
    clock.refresh_from_db()
    assert clock.due_date == date(2026, 1, 12)
    with time_machine.travel(date(2026, 1, 7), tick=False):
        html = client.get(reverse("cases:deadlines", args=[case.reference])).content.decode()
    assert "1 closure day before this deadline" in html
    assert signed_in(world.people["chair"]).get(reverse("clocks:closure_days")).status_code == 403
    closure = ClosureDay.objects.get()
    assert (
        signed_in(world.people["south_coordinator"])
        .post(reverse("clocks:closure_day_remove", args=[closure.pk]))
        .status_code
        == 404
    )
    assert (
        signed_in(world.people["coordinator"]).post(reverse("clocks:closure_day_remove", args=[closure.pk])).status_code
        == 302
    )
    assert not ClosureDay.objects.exists()


def test_the_case_page_lists_the_messages_sent_to_coordinators_only(
    world: World, signed_in: SignIn, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    from notifications.services import message_send

    case = world.cases["north"]
    with django_capture_on_commit_callbacks(execute=True):
        message_send(recipients=[world.people["practitioner"]], subject="We have your referral", body="b", case=case)
    url = reverse("cases:messages", args=[case.reference])
    coordinator_page = signed_in(world.people["coordinator"]).get(url).content.decode()
    assert 'id="messages"' in coordinator_page
    assert "We have your referral</td>" in coordinator_page
    chair = signed_in(world.people["chair"])
    assert chair.get(url).status_code == 403
    assert url not in chair.get(reverse("cases:detail", args=[case.reference])).content.decode()


def test_a_coordinator_changes_the_timetable_and_open_step_deadlines_follow(world: World, signed_in: SignIn) -> None:
    from clocks.models import ClockSettings, RapidReviewStart
    from rapidreviews.clock_rules import rapid_review_clocks_start

    case = make_case(world, "NSCP-2026-089")
    rapid_review_clocks_start(case=case, sin_submitted_on=date(2026, 1, 5), la_aware_on=None, actor=None)
    client = signed_in(world.people["coordinator"])
    page = client.get(reverse("clocks:settings")).content.decode()
    assert 'value="2, 0"' in page
    data = {
        "rapid_review_start": RapidReviewStart.LA_AWARE,
        "rapid_review_days": "15",
        "rr_requests_out_day": "2",
        "rr_returns_day": "10",
        "rr_meeting_day": "12",
        "rr_sign_off_day": "13",
        "rr_submission_day": "15",
        "panel_reply_days": "10",
        "reminder_offsets": "3, 0",
        "escalate_overdue": "on",
    }
    bad = client.post(reverse("clocks:settings"), {**data, "rr_returns_day": "14", "reminder_offsets": "soon"})
    html = bad.content.decode()
    assert "Each step of the timetable must be on or after the step before it" in html
    assert "Enter whole numbers from 0 to 20" in html
    assert client.post(reverse("clocks:settings"), data).status_code == 302
    saved = ClockSettings.objects.get(partnership=world.north)
    assert saved.reminder_offsets == [3, 0]
    assert saved.rapid_review_start == RapidReviewStart.LA_AWARE
    returns = Clock.objects.get(case=case, rule=ClockRule.RR_RETURNS)
    assert returns.due_date == date(2026, 1, 19)
    assert AuditEvent.objects.filter(verb=Verb.RECOMPUTE, target_id=str(returns.pk)).exists()
    assert signed_in(world.people["chair"]).get(reverse("clocks:settings")).status_code == 403


def test_an_administrator_finds_the_calendar_from_the_home_page(world: World, signed_in: SignIn) -> None:
    html = signed_in(world.people["admin"]).get("/").content.decode()
    assert reverse("clocks:closure_days") in html
    assert "What's due" not in html
