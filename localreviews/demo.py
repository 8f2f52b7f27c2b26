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
    local_review = local_review_open(
        case=case,
        actor=coordinator,
        kind=ReviewKind.LCSPR,
        alternative_type="",
        decided_on=timezone.localdate(review.decided_at) if review.decided_at else timezone.localdate(),
        decided_when=DecidedWhen.RAPID_REVIEW,
        rationale=review.decision_rationale,
        expected_version=case.version,
    )
    _terms_drafted(world, local_review)


def _terms_drafted(world: Any, local_review: Any) -> None:
    """The coordinator's first draft of the terms of reference, not yet sent to the partners."""
    from localreviews.terms_services import Parallel, TermsContent, methodologies_for, terms_save
    from partnerships.models import Agency

    case = local_review.case
    agencies = list(Agency.objects.filter(partnership_id=case.partnership_id, active=True).order_by("name")[:3])
    silp = methodologies_for(case.partnership)[0]
    today = timezone.localdate()
    terms_save(
        review=local_review,
        actor=world.users["coordinator"],
        content=TermsContent(
            period_start=today.replace(year=today.year - 1, day=1),
            period_end=local_review.decided_on,
            agency_ids=[a.pk for a in agencies],
            lines=[
                "How did agencies share what they knew of the risks at home?",
                "How was the child's own experience heard and recorded?",
            ],
            methodology_id=silp.pk,
            methodology_notes="",
            family_engagement="The lead reviewer offers to meet the child's mother and grandmother.",
            timetable="",
            governance="The Case Review Group oversees the review and reports to the partners monthly.",
            parallel=[Parallel("criminal_investigation", "under_way", None, None, "Police enquiries continue.")],
        ),
        expected_version=0,
    )
