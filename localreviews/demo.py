"""The local review's demo: a case whose rapid review decided on an LCSPR, which the Panel agreed
with, and whose local review the coordinator has opened (commissioned, the reviewer to appoint)."""

from typing import Any

from django.utils import timezone

from cases.models import Case
from localreviews.models import DecidedWhen, ReviewKind
from localreviews.services import local_review_open
from rapidreviews.demo import demo_review_at
from rapidreviews.models import PanelResponseKind
from rapidreviews.services.submission import panel_response_record


def seed(world: Any) -> None:
    coordinator = world.users["coordinator"]
    review = demo_review_at(world, 62, "Child AG", 15, 7)
    if review is None:
        return
    panel_response_record(
        review=review,
        actor=coordinator,
        received_on=timezone.localdate(),
        kind=PanelResponseKind.AGREES,
        said="The Panel agrees that a local child safeguarding practice review should be held.",
        reopen=[],
    )
    case = Case.objects.get(pk=review.case_id)
    local_review_open(
        case=case,
        actor=coordinator,
        kind=ReviewKind.LCSPR,
        alternative_type="",
        decided_on=timezone.localdate(review.decided_at) if review.decided_at else timezone.localdate(),
        decided_when=DecidedWhen.RAPID_REVIEW,
        rationale=review.decision_rationale,
        expected_version=case.version,
    )
