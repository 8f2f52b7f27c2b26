"""The demo's national review: the case whose rapid review the Panel said it would take into its
national review is linked to a thematic review of non-accidental injury in infants, with the scope
agreed with the Panel and the partnership's first contribution."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cases.models import Case
from nationalreviews.models import ContributionKind, NationalReviewKind
from nationalreviews.services import contribution_add, national_review_scope_save, national_review_start


def seed(world: Any) -> None:
    case = (
        Case.objects.filter(partnership=world.partnership, rapid_review__national_review=True)
        .order_by("reference")
        .first()
    )
    if case is None:
        return
    coordinator = world.users["coordinator"]
    today = timezone.localdate()
    review = national_review_start(
        case=case,
        actor=coordinator,
        title="Non-accidental injury in infants",
        kind=NationalReviewKind.THEMATIC,
        panel_reference="CSPRP-NR-0420",
    )
    national_review_scope_save(
        review=review,
        case=case,
        actor=coordinator,
        values={
            "title": review.title,
            "panel_reference": review.panel_reference,
            "scope": "Serious injuries to children under one by male carers notified in the last 12 months: "
            "how agencies saw and engaged fathers and other men in the household.",
            "methodology": "Case file analysis of the notified cases, practitioner focus groups in each "
            "partnership and conversations with family members who agree to take part.",
            "scope_agreed_on": today,
            "report_expected_on": today + timedelta(days=180),
        },
        expected_version=review.version,
    )
    contribution_add(
        review=review,
        case=case,
        actor=coordinator,
        on=today,
        kind=ContributionKind.SENT,
        what="The rapid review, the merged chronology and the agencies' summaries, as sent to the Panel.",
        by_whom="The review coordinator, for the partnership",
    )
