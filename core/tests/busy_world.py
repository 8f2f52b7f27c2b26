"""More of everything in the test world: cases in their rapid review with returns, clocks, messages
and decisions, for the pages that must not grow with the data (`core/tests/test_page_costs.py`)."""

from datetime import date
from typing import Any

from django.utils import timezone

from cases.models import Case
from notifications.services import message_send
from rapidreviews.models import RapidReview
from rapidreviews.services.requests import information_request_send
from rapidreviews.services.review import rapid_review_start, rapid_review_update
from rapidreviews.services.submission import submission_record
from rapidreviews.tests.helpers import NOT_ALL_IN, complete, hold_meeting, summary_of
from referrals.services.sin import SinAnswers, sin_record
from referrals.services.triage import TriageAnswers, triage_record
from referrals.tests.helpers import make_case

LEADS = (("hospital", "lead_hospital"), ("school", "lead_school"), ("police", "lead_police"))


def reviewed_case(world: Any, n: int) -> RapidReview:
    """A notified case in its rapid review: its agencies asked, the hospital's summary sent, and
    (every other case) the decision recorded, waiting for the partners' sign-off."""
    coordinator = world.people["coordinator"]
    today = timezone.localdate()
    case = make_case(world, incident=today, aware=today, dob=date(2019, 4, 2), first_name=f"Wren{n}")
    triage_record(
        case=case,
        actor=coordinator,
        expected_version=case.version,
        answers=TriageAnswers(today, "A", "B", "C", "yes", "yes", "notify", "", False),
    )
    case.refresh_from_db()
    sin_record(
        case=case,
        actor=world.people["notifier"],
        expected_version=case.version,
        answers=SinAnswers(
            submitted_at=timezone.now(),
            panel_reference=f"SIN-{n}",
            submitted_by="N",
            children=case.referral.children_list(),
        ),
    )
    case.refresh_from_db()
    review = rapid_review_start(case=case, actor=coordinator)
    for agency, lead in LEADS:
        information_request_send(
            review=review, actor=coordinator, agency=world.agencies[agency], lead=world.people[lead]
        )
    complete(summary_of(review, world.agencies["hospital"]), world.people["lead_hospital"])
    if n % 2:
        hold_meeting(world, review)
        review.refresh_from_db()
        rapid_review_update(
            review=review, actor=coordinator, expected_version=review.version, fields={"decision": "no_lcspr"}
        )
    for key in ("coordinator", "delegate_la", "lead_school", "practitioner", "scrutineer"):
        message_send(
            recipients=[world.people[key]], subject=f"About case {n}", body="Due soon", case=case, actor=coordinator
        )
    review.refresh_from_db()
    return review


def add_cases(world: Any, count: int) -> list[Case]:
    return [reviewed_case(world, n).case for n in range(count)]


__all__ = ["NOT_ALL_IN", "add_cases", "reviewed_case", "submission_record"]
