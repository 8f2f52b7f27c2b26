"""The local review's rows of the URL-access table (core/tests/url_access.py finds them through
the stage). The walk's case is the Northshire case; `_local_review` takes it through a rapid review
sent to the Panel into a commissioned LCSPR, so each page is reached past its own door."""

from datetime import date
from typing import Any

from django.utils import timezone

from accounts.roles import LOCAL_REVIEW_READERS
from cases.models import Case
from cases.policies import CaseAction
from core.tests.url_access import PERSONA_ROLES, Outcome, Rule, case_action
from localreviews.models import DecidedWhen, LocalReview, ReviewKind
from rapidreviews.models import RapidReview, RapidReviewDecision


def readers(persona: str | None) -> Outcome:
    """Those who read the review; the referrer may not read the case record (403); an agency's
    lead who sees the case is not told of a review they have no part in (404)."""
    outcome = case_action(CaseAction.VIEW_RECORD)(persona)
    if outcome is not Outcome.PAGE or persona is None:
        return outcome
    return Outcome.PAGE if PERSONA_ROLES[persona] in LOCAL_REVIEW_READERS else Outcome.NOT_FOUND


def _local_review(ctx: Any) -> dict[str, Any]:
    case: Case = ctx.case
    if not LocalReview.objects.filter(case=case).exists():
        coordinator = ctx.world.people["coordinator"]
        RapidReview.objects.get_or_create(
            case=case,
            defaults={
                "started_by": coordinator,
                "decision": RapidReviewDecision.LCSPR,
                "decided_at": timezone.now(),
                "submitted_at": timezone.now(),
            },
        )
        Case.objects.filter(pk=case.pk).update(state="local_review")
        LocalReview.objects.create(
            case=case,
            kind=ReviewKind.LCSPR,
            decided_on=date(2026, 3, 2),
            decided_when=DecidedWhen.RAPID_REVIEW,
            rationale="Criteria (a) and (c) met.",
            opened_by=coordinator,
        )
    return {}


RULES = {
    "localreviews:review": Rule(readers, kwargs=_local_review),
    "localreviews:open": Rule(case_action(CaseAction.RUN_LOCAL_REVIEW)),
}
