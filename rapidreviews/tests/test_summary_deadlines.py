"""An agency's deadline for its summary as its lead and the coordinator see it: due, overdue, sent
back, chased, and the steps the last summary meets."""

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from cases.models import CaseState
from clocks.models import ClockRule
from conftest import SignIn, World
from rapidreviews.models import RapidReview
from rapidreviews.services.summaries import (
    agency_summary_check,
    agency_summary_submit,
)
from rapidreviews.tests.helpers import complete, summary_of

pytestmark = pytest.mark.django_db


def test_a_lead_sees_their_request_and_its_deadline_not_the_cases_timetable(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    from clocks.models import Clock

    assert Clock.objects.filter(case=asked.case).count() > 1, "the case has its whole timetable running"
    body = signed_in(world.people["lead_school"]).get("/").content.decode()
    assert "Information requests for your agency" in body
    assert f"Summary for {asked.case.reference}: {asked.case.title}" in body, "the case and child, not their own agency"
    assert "Summary due: working day 8," in body, "their own deadline"
    assert "What&#x27;s due" not in body and "What's due" not in body, "not the steps the business unit acts on"
    coordinator = signed_in(world.people["coordinator"]).get("/").content.decode()
    assert "What&#x27;s due" in coordinator or "What's due" in coordinator


def test_a_summary_sent_back_after_the_returns_clock_is_met_shows_its_deadline_not_met(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    from clocks.models import Clock, ClockRule, ClockStatus

    coordinator, lead = world.people["coordinator"], world.people["lead_school"]
    for agency in ("hospital", "school"):
        r = summary_of(asked, world.agencies[agency])
        complete(r, world.people[f"lead_{agency}"])
        agency_summary_submit(agency_summary=r, actor=world.people[f"lead_{agency}"], expected_version=r.version)
    clock = Clock.objects.get(case=asked.case, rule=ClockRule.RR_RETURNS)
    assert clock.status in (ClockStatus.MET, ClockStatus.LATE), "the last summary in meets the case's clock"
    school = summary_of(asked, world.agencies["school"])
    agency_summary_check(agency_summary=school, actor=coordinator, accept=False, comments="Add the March visits.")
    client = signed_in(lead)
    page = client.get(f"/rapid-reviews/{asked.case.reference}/returns/{world.agencies['school'].pk}/").content.decode()
    today = timezone.localdate()
    assert f"Sent back on {today:%-d %B}: send it again as soon as you can" in page
    assert "met on" not in page and "Overdue" not in page
    assert "govuk-tag--orange" in page, "sent back for changes is an orange tag, not grey"


def test_a_summary_not_in_by_its_day_is_flagged_overdue_for_its_lead(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    import time_machine

    from rapidreviews.integrations import step_due

    due = step_due(asked.case, ClockRule.RR_RETURNS)
    with time_machine.travel(timezone.make_aware(datetime.combine(due + timedelta(days=7), time(10, 0)))):
        body = signed_in(world.people["lead_school"]).get("/").content.decode()
    assert ">Overdue<" in body and "govuk-tag--red" in body
    from clocks.selectors import due_date_text

    assert f"Summary was due: working day 8, {due_date_text(due, due + timedelta(days=7))}" in body
    assert "working days ago" in body


def test_the_returns_step_is_met_when_the_last_agency_submits(world: World, asked: RapidReview) -> None:
    from clocks.models import Clock, ClockRule, ClockStatus

    summaries_clock = Clock.objects.filter(case=asked.case, rule=ClockRule.RR_RETURNS)
    assert summaries_clock.get().status == ClockStatus.OPEN
    for agency, lead in (("hospital", "lead_hospital"), ("school", "lead_school")):
        agency_summary = summary_of(asked, world.agencies[agency])
        complete(agency_summary, world.people[lead])
        agency_summary_submit(
            agency_summary=agency_summary, actor=world.people[lead], expected_version=agency_summary.version
        )
        if agency == "hospital":
            assert summaries_clock.get().status == ClockStatus.OPEN, "one summary is still to come"
    assert summaries_clock.get().status in (ClockStatus.MET, ClockStatus.LATE)


def test_the_reminders_chase_the_leads_whose_returns_are_not_in(
    world: World, asked: RapidReview, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from clocks.calendar import holiday_dates
    from clocks.models import Clock, ClockRule
    from clocks.reminders import reminders_send
    from core.workdays import subtract_working_days
    from notifications.models import Message

    hospital = summary_of(asked, world.agencies["hospital"])
    complete(hospital, world.people["lead_hospital"])
    agency_summary_submit(
        agency_summary=hospital, actor=world.people["lead_hospital"], expected_version=hospital.version
    )
    due = Clock.objects.get(case=asked.case, rule=ClockRule.RR_RETURNS).due_date
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=subtract_working_days(due, 2, holiday_dates()))
        reminders_send(today=subtract_working_days(due, 2, holiday_dates()))  # a second tick sends nothing more
    chased = Message.objects.filter(subject__contains="Individual Agency Summary from")
    assert [(m.to_email, m.subject) for m in chased] == [
        (
            world.people["lead_school"].email,
            f"Due in 2 working days: the Individual Agency Summary from {world.agencies['school']} "
            f"for {asked.case.reference}",
        )
    ]
    assert f"/rapid-reviews/{asked.case.reference}/returns/{world.agencies['school'].pk}/" in chased[0].body


def test_a_leads_home_puts_a_summary_sent_back_first_and_one_awaiting_review_last(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    from cases.models import Case
    from rapidreviews.services.requests import information_request_send
    from rapidreviews.services.review import rapid_review_start

    coordinator, lead = world.people["coordinator"], world.people["lead_school"]
    later = Case.objects.create(
        reference="NSCP-2026-777",
        partnership=asked.case.partnership,
        title="Child Q",
        state=CaseState.NOTIFIED,
        referring_agency=world.agencies["hospital"],
    )
    second = rapid_review_start(case=later, actor=coordinator)
    information_request_send(review=second, actor=coordinator, agency=world.agencies["school"], lead=lead)
    sent_back = summary_of(second, world.agencies["school"])
    complete(sent_back, lead)
    agency_summary_submit(agency_summary=sent_back, actor=lead, expected_version=sent_back.version)
    body = signed_in(lead).get("/").content.decode()
    assert body.index("Child Q") > body.index(asked.case.title), "a summary awaiting review goes last"
    agency_summary_check(
        agency_summary=summary_of(second, world.agencies["school"]), actor=coordinator, accept=False, comments="More."
    )
    body = signed_in(lead).get("/").content.decode()
    assert body.index("Child Q") < body.index(asked.case.title), "a summary sent back comes first"


def test_the_sent_back_email_says_who_sent_it_back_and_what_to_do(world: World, asked: RapidReview) -> None:
    from notifications.models import Message

    school = summary_of(asked, world.agencies["school"])
    complete(school, world.people["lead_school"])
    agency_summary_submit(agency_summary=school, actor=world.people["lead_school"], expected_version=school.version)
    agency_summary_check(
        agency_summary=school, actor=world.people["coordinator"], accept=False, comments="Add the March visits."
    )
    message = Message.objects.get(subject__contains="sent back for changes")
    assert message.body.startswith(f"{world.people['coordinator'].display_name}, the review coordinator, has sent")
    assert "The coordinator's comments:\nAdd the March visits." in message.body


def test_an_agency_asked_after_the_others_has_as_long_as_they_had(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    """Not overdue the moment it is asked: its deadline is the time the others were given, from its own request."""
    import time_machine

    from clocks.calendar import holiday_dates
    from core.workdays import add_working_days, working_days_between
    from rapidreviews.integrations import step_due, summary_deadline
    from rapidreviews.services.requests import information_request_send

    holidays = holiday_dates()
    summaries_due = step_due(asked.case, ClockRule.RR_RETURNS)
    allowed = working_days_between(step_due(asked.case, ClockRule.RR_REQUESTS_OUT), summaries_due, holidays)
    later = add_working_days(summaries_due, 3, holidays)
    with time_machine.travel(timezone.make_aware(datetime.combine(later, time(10, 0)))):
        information_request_send(
            review=asked,
            actor=world.people["coordinator"],
            agency=world.agencies["police"],
            lead=world.people["lead_police"],
        )
        police = summary_of(asked, world.agencies["police"])
        deadline = summary_deadline(asked.case, police)
    assert deadline["tag"] == ""
    assert deadline["text"].startswith("Summary due: working day")
    own_due = add_working_days(later, allowed, holidays)
    assert f"{own_due.day} {own_due:%B}" in deadline["text"]


def test_a_summary_due_on_a_friday_read_on_the_saturday_is_overdue_without_zero_days(
    world: World, asked: RapidReview, monkeypatch: Any
) -> None:
    import time_machine

    from rapidreviews.integrations import summary_deadline

    friday = timezone.localdate() + timedelta(days=(4 - timezone.localdate().weekday()) % 7 + 7)
    monkeypatch.setattr("rapidreviews.integrations.step_due", lambda case, rule: friday)
    saturday = datetime.combine(friday + timedelta(days=1), time(10, 0))
    with time_machine.travel(timezone.make_aware(saturday)):
        deadline = summary_deadline(asked.case, summary_of(asked, world.agencies["school"]))
    assert deadline["tag"] == "Overdue"
    assert deadline["text"].endswith(
        f"Friday {friday.day} {friday:%B}" + ("" if friday.year == saturday.year else f" {friday.year}")
    )
