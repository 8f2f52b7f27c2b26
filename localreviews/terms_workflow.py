"""The terms of reference's own transition table, on the workflow engine (cases/workflow_engine.py).

Draft -> awaiting approval -> approved for an LCSPR, whose terms the three safeguarding partners
approve; draft -> approved for an alternative review, whose terms the coordinator agrees. The
guards read the plan (`requires(kind, Requirement.TERMS_BY_PARTNERS)`), never the kind itself.
Every change of the terms is a step too, so it carries the version check, a history row and an
audit event; a change once the terms are awaiting approval or approved starts approval again.
"""

from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from accounts.models import User
from accounts.roles import PARTNER_DELEGATES
from cases.workflow_engine import Step, Workflow
from localreviews.plan import Requirement, requires
from localreviews.policies import LocalReviewChecker
from localreviews.tables import history_row, status_words, step_details
from localreviews.terms_models import TermsOfReference, TermsStatus
from localreviews.terms_state import approval_state, missing_parts

DRAFT, AWAITING, APPROVED = TermsStatus.DRAFT, TermsStatus.AWAITING_APPROVAL, TermsStatus.APPROVED


def _drafts(actor: User, terms: TermsOfReference) -> bool:
    checker = LocalReviewChecker(actor, terms.review.case)
    return checker.may_run or checker.is_reviewer


def _coordinates(actor: User, terms: TermsOfReference) -> bool:
    return LocalReviewChecker(actor, terms.review.case).may_run


def _partner(actor: User, terms: TermsOfReference) -> bool:
    return bool(LocalReviewChecker(actor, terms.review.case).roles & PARTNER_DELEGATES)


def _by_partners(terms: TermsOfReference) -> str | None:
    if requires(terms.review.kind, Requirement.TERMS_BY_PARTNERS):
        return None
    return "The coordinator agrees the terms of reference of this review: they do not go to the partners"


def _by_coordinator(terms: TermsOfReference) -> str | None:
    if requires(terms.review.kind, Requirement.TERMS_BY_PARTNERS):
        return "The three safeguarding partners approve the terms of reference of this review"
    return None


def _incomplete(terms: TermsOfReference) -> str | None:
    missing = missing_parts(terms)
    if missing:
        return "The terms of reference need " + ", ".join(missing) + " first"
    return None


def _not_all_approved(terms: TermsOfReference) -> str | None:
    if approval_state(terms).approved_by_all:
        return None
    return "The three safeguarding partners have not all approved the terms of reference"


def _content(terms: TermsOfReference, actor: User, context: Mapping[str, Any]) -> dict[str, Any]:
    return {**context.get("content", {}), "updated_by": actor, "updated_at": timezone.now()}


def _content_new_round(terms: TermsOfReference, actor: User, context: Mapping[str, Any]) -> dict[str, Any]:
    return {**_content(terms, actor, context), "approval_round": terms.approval_round + 1, "approved_at": None}


def _new_round(terms: TermsOfReference, actor: User, context: Mapping[str, Any]) -> dict[str, Any]:
    return {"approval_round": terms.approval_round + 1, "approved_at": None}


def _approved_now(terms: TermsOfReference, actor: User, context: Mapping[str, Any]) -> dict[str, Any]:
    return {"approved_at": timezone.now()}


STEPS: Mapping[str, Step[TermsOfReference]] = {
    s.name: s
    for s in (
        Step("terms_save", "Save the draft terms of reference", frozenset({DRAFT}), DRAFT, _drafts, writes=_content),
        Step(
            "terms_revise",
            "Change the terms of reference while they await approval",
            frozenset({AWAITING}),
            AWAITING,
            _drafts,
            writes=_content_new_round,
        ),
        Step(
            "terms_reopen",
            "Change the approved terms of reference, which go for approval again",
            frozenset({APPROVED}),
            AWAITING,
            _drafts,
            guards=(_by_partners,),
            writes=_content_new_round,
        ),
        Step(
            "terms_reopen_draft",
            "Change the agreed terms of reference, which the coordinator agrees again",
            frozenset({APPROVED}),
            DRAFT,
            _drafts,
            guards=(_by_coordinator,),
            writes=_content_new_round,
        ),
        Step(
            "terms_send",
            "Send the terms of reference to the partners for approval",
            frozenset({DRAFT}),
            AWAITING,
            _drafts,
            guards=(_by_partners, _incomplete),
            writes=_new_round,
            refused="The terms of reference are not a draft: they are {state}",
        ),
        Step(
            "terms_agree",
            "Agree the terms of reference",
            frozenset({DRAFT}),
            APPROVED,
            _coordinates,
            guards=(_by_coordinator, _incomplete),
            writes=_approved_now,
            refused="The terms of reference are not a draft: they are {state}",
        ),
        Step(
            "terms_changes_asked",
            "Ask for changes to the terms of reference",
            frozenset({AWAITING}),
            DRAFT,
            _partner,
            refused="The terms of reference are not awaiting approval: they are {state}",
        ),
        Step(
            "terms_approved",
            "Approve the terms of reference",
            frozenset({AWAITING}),
            APPROVED,
            _partner,
            guards=(_not_all_approved,),
            writes=_approved_now,
            refused="The terms of reference are not awaiting approval: they are {state}",
        ),
    )
}


TERMS_WORKFLOW: Workflow[TermsOfReference] = Workflow(
    model=TermsOfReference,
    steps=lambda: STEPS,
    history=history_row,
    describe=lambda terms, step, from_status, note: step_details(step, from_status, note, round=terms.approval_round),
    case_of=lambda terms: terms.review.case,
    state_field="status",
    state_label=status_words(TermsStatus),
    clash="Someone else changed the terms of reference while you were working on them. Check them and try again.",
)
