from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine
from django.utils import timezone

from cases.models import Case, CaseState
from conftest import World
from rapidreviews.models import RapidReview, RapidReviewDecision


@pytest.fixture
def sent(world: World) -> Case:
    """The Northshire case with its rapid review sent to the Panel, having decided on an LCSPR on
    2 March 2026 (begun 16 February)."""
    case = world.cases["north"]
    Case.objects.filter(pk=case.pk).update(state=CaseState.RAPID_REVIEW_SUBMITTED)
    review = RapidReview.objects.create(
        case=case,
        started_by=world.people["coordinator"],
        decision=RapidReviewDecision.LCSPR,
        decision_rationale="Criteria (a) and (c) are met: learning about the hospital's discharge planning.",
    )
    at = timezone.make_aware(datetime(2026, 3, 2, 14, 0))
    RapidReview.objects.filter(pk=review.pk).update(
        started_at=timezone.make_aware(datetime(2026, 2, 16, 9, 0)), decided_at=at, submitted_at=at
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def today() -> Iterator[None]:
    """Friday 20 March 2026, mid-morning."""
    with time_machine.travel("2026-03-20 10:00 +00:00", tick=False):
        yield
