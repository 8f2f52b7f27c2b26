"""The local review's steps from the final report to the publication decision, on its own table
(localreviews/workflow.py takes them in).

An LCSPR's final report is put forward by the coordinator and approved by the three safeguarding
partners (any one may ask for changes; a new version put forward starts approval again); an
alternative review's is agreed by the coordinator (`plan.Requirement.REPORT_BY_PARTNERS`). Once
approved, the coordinator records sending it (or the improvements-only information) to the Panel and
the Secretary of State, which an LCSPR requires before any publication decision
(`Requirement.SENT_AHEAD`), then the decision: publish, publish only the improvements, or delay.
"""

from collections.abc import Mapping
from typing import Any

from accounts.models import User
from accounts.roles import PARTNER_DELEGATES
from cases.workflow_engine import Step
from localreviews.models import LocalReview, LocalReviewStatus
from localreviews.plan import Requirement, requires
from localreviews.policies import LocalReviewChecker

S = LocalReviewStatus
AFTER_APPROVAL = frozenset({S.REPORT_APPROVED, S.SENT_AHEAD, S.PUBLICATION_PLANNED, S.IMPROVEMENTS_ONLY})
DECIDED = frozenset({S.PUBLICATION_PLANNED, S.IMPROVEMENTS_ONLY, S.PUBLICATION_DELAYED})


def while_writing() -> frozenset[str]:
    """Where a final report may be put forward from: any status once the reviewer is appointed and
    before the report has gone ahead of publication (the statuses other parts of the review add
    while it is written count too)."""
    return frozenset(S) - {S.COMMISSIONED, S.SENT_AHEAD} - DECIDED


def _coordinates(actor: User, review: LocalReview) -> bool:
    return LocalReviewChecker(actor, review.case).may_run


def _partner(actor: User, review: LocalReview) -> bool:
    return bool(LocalReviewChecker(actor, review.case).roles & PARTNER_DELEGATES)


def _by_partners(review: LocalReview) -> str | None:
    if requires(review.kind, Requirement.REPORT_BY_PARTNERS):
        return None
    return "The coordinator agrees the final report of this review: it does not go to the partners"


def _by_coordinator(review: LocalReview) -> str | None:
    if requires(review.kind, Requirement.REPORT_BY_PARTNERS):
        return "The three safeguarding partners approve the final report of this review"
    return None


def _not_all_approved(review: LocalReview) -> str | None:
    from localreviews.signoff_state import sign_off_state

    if sign_off_state(review).approved_by_all:
        return None
    return "The three safeguarding partners have not all approved the final report"


def _not_sent_ahead(review: LocalReview) -> str | None:
    """An LCSPR's report (or its improvements) goes to the Panel and the Secretary of State first."""
    if not requires(review.kind, Requirement.SENT_AHEAD) or review.sent_ahead.exists():
        return None
    return "Record sending the final report to the Panel and the Secretary of State first"


def _full_report_not_sent(review: LocalReview) -> str | None:
    """Publishing the report needs the report itself sent ahead, not only the improvements."""
    from localreviews.signoff_models import SentWhat

    latest = review.sent_ahead.order_by("-created_at", "-id").first()
    if latest is None or latest.what == SentWhat.REPORT:
        return None
    return (
        "Only the information about improvements was sent to the Panel and the Secretary of State: "
        "send them the final report before deciding to publish it"
    )


def _signed_off(review: LocalReview, actor: User, context: Mapping[str, Any]) -> dict[str, Any]:
    from django.utils import timezone

    from localreviews.signoff_models import FinalReport

    final = context.get("final")
    if final is not None:
        FinalReport.objects.filter(pk=final.pk).update(approved_at=timezone.now())
    return {}


def steps() -> tuple[Step[LocalReview], ...]:
    writing = while_writing()
    return (
        Step(
            "report_put_forward",
            "Put the final report forward for the partners' approval",
            writing | {S.REPORT_APPROVED},
            S.REPORT_AWAITING_APPROVAL,
            may=_coordinates,
            guards=(_by_partners,),
            refused="The final report cannot be put forward: the review is {state}",
        ),
        Step(
            "report_agree",
            "Agree the final report",
            writing | {S.REPORT_APPROVED},
            S.REPORT_APPROVED,
            may=_coordinates,
            guards=(_by_coordinator,),
            writes=_signed_off,
            refused="The final report cannot be agreed: the review is {state}",
        ),
        Step(
            "report_changes_asked",
            "Ask for changes to the final report",
            frozenset({S.REPORT_AWAITING_APPROVAL}),
            S.REPORT_CHANGES_ASKED,
            may=_partner,
            refused="The final report is not awaiting approval: the review is {state}",
        ),
        Step(
            "report_approved",
            "Approve the final report",
            frozenset({S.REPORT_AWAITING_APPROVAL}),
            S.REPORT_APPROVED,
            may=_partner,
            guards=(_not_all_approved,),
            writes=_signed_off,
            refused="The final report is not awaiting approval: the review is {state}",
        ),
        Step(
            "report_sent_ahead",
            "Record sending the final report to the Panel and the Secretary of State",
            AFTER_APPROVAL | {S.PUBLICATION_DELAYED},
            S.SENT_AHEAD,
            may=_coordinates,
            refused="The final report has not been approved: the review is {state}",
        ),
        Step(
            "publication_publish",
            "Record the decision to publish the report",
            AFTER_APPROVAL | DECIDED,
            S.PUBLICATION_PLANNED,
            may=_coordinates,
            guards=(_not_sent_ahead, _full_report_not_sent),
            refused="The final report has not been approved: the review is {state}",
        ),
        Step(
            "publication_improvements",
            "Record the decision to publish only the information about improvements",
            AFTER_APPROVAL | DECIDED,
            S.IMPROVEMENTS_ONLY,
            may=_coordinates,
            guards=(_not_sent_ahead,),
            refused="The final report has not been approved: the review is {state}",
        ),
        Step(
            "publication_delay",
            "Record the decision to delay publication",
            AFTER_APPROVAL | DECIDED,
            S.PUBLICATION_DELAYED,
            may=_coordinates,
            refused="The final report has not been approved: the review is {state}",
        ),
    )
