"""The demo rapid reviews: one at each point of the 15 working days, each with the referral, the
partners' decision and the SIN behind it, dated to tell one story."""

from collections.abc import Iterator
from typing import Any

import pytest

from cases.models import Case, CaseState
from clocks.models import Clock, ClockRule, ClockStatus
from conftest import kept_for_the_module
from partnerships.demo import seed_people
from rapidreviews import demo
from rapidreviews.integrations import clock_start_date
from rapidreviews.models import PanelResponse, RapidReview
from rapidreviews.rendering.document import document_context
from referrals.models import SeriousIncidentNotification

pytestmark = pytest.mark.django_db


def seed() -> Any:
    world = seed_people()
    demo.seed(world)
    return world


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """The people and the demo rapid reviews, seeded once for this module (conftest.kept_for_the_module);
    each test still starts from them as seeded (`django_db` above)."""
    yield from kept_for_the_module(django_db_blocker, seed)


def test_the_demo_has_a_case_at_each_stage_and_panel_responses(seeded: Any) -> None:
    states = set(Case.objects.filter(reference__regex=r"-00[56]\d$").values_list("state", flat=True))
    assert {CaseState.NOTIFIED, CaseState.RAPID_REVIEW, CaseState.RAPID_REVIEW_SUBMITTED} <= states
    assert PanelResponse.objects.count() == 3


def test_each_demo_case_has_its_referral_decision_and_sin_in_order(seeded: Any) -> None:
    cases = list(Case.objects.filter(reference__regex=r"-00[56]\d$"))
    assert len(cases) == 12
    for case in cases:
        referral, triage = case.referral, case.triage
        notification = SeriousIncidentNotification.objects.get(case=case)
        sin = Clock.objects.get(case=case, rule=ClockRule.SIN)
        notified_on = notification.submitted_at.date()
        assert referral.incident_date and referral.la_aware_on and triage.meeting_date, case.reference
        assert referral.incident_date < referral.la_aware_on <= triage.meeting_date <= notified_on
        assert sin.start_date == referral.la_aware_on and sin.status == ClockStatus.MET and sin.met_on == notified_on
        assert list(notification.children.all()) == referral.children_list()
        if RapidReview.objects.filter(case=case).exists():
            assert clock_start_date(case) == notified_on, "the rapid review counts from the SIN"
            context = document_context(case.rapid_review)
            assert context["sin_reference"] == notification.panel_reference
            assert context["child_age"] == "15 months", "seen at 6 and 9 months in the records"


def test_the_demo_story_has_its_steps_done_on_their_days_not_all_late_today(seeded: Any) -> None:
    """Seeding runs every step at one moment; the story's steps are dated to their own days."""
    from django.utils import timezone

    demo_cases = Case.objects.filter(reference__regex=r"-00[56]\d$")
    late = Clock.objects.filter(case__in=demo_cases, reason="Recorded late in the service")
    assert not late.exists(), [f"{c.case.reference} {c.rule}" for c in late]
    for review in RapidReview.objects.filter(case__in=demo_cases).prefetch_related("requests"):
        requests = Clock.objects.get(case=review.case, rule=ClockRule.RR_REQUESTS_OUT)
        sent = {timezone.localdate(r.sent_at) for r in review.requests.all()}
        assert sent == {requests.met_on}, review.case.reference


def test_each_demo_meeting_that_led_to_a_decision_was_held_on_a_day_gone_by_and_its_deadline_met_then(
    seeded: Any,
) -> None:
    from django.utils import timezone

    from rapidreviews.models import Meeting
    from rapidreviews.services.meeting_state import meeting_wait

    decided = list(Meeting.objects.exclude(review__decision="").select_related("review__case"))
    assert decided, "the demo has decided reviews"
    for meeting in decided:
        assert meeting.held_on is not None and meeting.held_on <= timezone.localdate(), meeting.review.case
        assert meeting_wait(meeting.review, "The decision") is None
        clock = Clock.objects.filter(case=meeting.review.case, rule=ClockRule.RR_MEETING).order_by("-id").first()
        assert clock is not None and clock.met_on == meeting.held_on, meeting.review.case
        assert document_context(meeting.review)["meeting_sentence"].startswith("The rapid review meeting was held on")
    planned = Meeting.objects.filter(review__decision="", held_on__isnull=True)
    assert all(m.date >= timezone.localdate() for m in planned), "a demo meeting not held is still to come"
