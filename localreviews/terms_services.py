"""Drafting, agreeing and approving a local review's terms of reference, and the partnership's list
of methodologies they choose from. Every change goes through the terms' own table
(localreviews/terms_workflow.py): the version check, the history row and the audit event."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import DELEGATE_ROLES, Role
from audit.models import Verb
from audit.services import audit_record
from cases.workflow_engine import ConcurrentChange, TransitionError, take
from localreviews.models import LocalReview
from localreviews.policies import LocalReviewChecker
from localreviews.terms_models import (
    STANDARD_METHODOLOGIES,
    Methodology,
    ParallelProcess,
    TermsApproval,
    TermsDecision,
    TermsOfReference,
    TermsStatus,
)
from localreviews.terms_state import approval_state
from localreviews.terms_workflow import TERMS_WORKFLOW
from partnerships.models import Agency, Partnership


class TermsError(Exception):
    """What stops the step, in words for the page."""


@dataclass(frozen=True)
class Parallel:
    kind: str
    status: str
    next_date: dt.date | None = None
    expected_end: dt.date | None = None
    notes: str = ""


@dataclass(frozen=True)
class TermsContent:
    period_start: dt.date | None
    period_end: dt.date | None
    agency_ids: Sequence[int]
    lines: Sequence[str]
    methodology_id: int | None
    methodology_notes: str
    family_engagement: str
    timetable: str
    governance: str
    parallel: Sequence[Parallel] = ()


# Which step a change takes, by where the terms stand (the step's guard says which kind of review
# may take it: an approved LCSPR's terms go for approval again, an alternative's back to draft).
CHANGE_STEPS = {
    TermsStatus.DRAFT: ("terms_save",),
    TermsStatus.AWAITING_APPROVAL: ("terms_revise",),
    TermsStatus.APPROVED: ("terms_reopen", "terms_reopen_draft"),
}


def methodologies_for(partnership: Partnership) -> list[Methodology]:
    """The partnership's list, the standard one on first use."""
    found = list(Methodology.objects.filter(partnership=partnership))
    if found:
        return found
    Methodology.objects.bulk_create(
        [Methodology(partnership=partnership, name=name) for name in STANDARD_METHODOLOGIES], ignore_conflicts=True
    )
    return list(Methodology.objects.filter(partnership=partnership))


def methodology_add(*, partnership: Partnership, actor: User, name: str) -> Methodology:
    name = " ".join(name.split())
    if not name:
        raise TermsError("Enter the name of the methodology")
    methodologies_for(partnership)
    existing = Methodology.objects.filter(partnership=partnership, name__iexact=name).first()
    if existing is not None and existing.active:
        raise TermsError(f"{existing.name} is already on the list")
    with transaction.atomic():
        if existing is not None:
            existing.active = True
            existing.save(update_fields=["active"])
            methodology = existing
        else:
            methodology = Methodology.objects.create(partnership=partnership, name=name)
        audit_record(
            actor=actor,
            verb=Verb.CREATE if existing is None else Verb.UPDATE,
            target=methodology,
            partnership_id=partnership.pk,
            details={"summary": f"Review methodology offered: {methodology.name}"},
        )
    return methodology


def methodology_retire(*, methodology: Methodology, actor: User) -> None:
    """No longer offered; terms that chose it keep it."""
    with transaction.atomic():
        Methodology.objects.filter(pk=methodology.pk).update(active=False)
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=methodology,
            partnership_id=methodology.partnership_id,
            details={"summary": f"Review methodology retired: {methodology.name}"},
        )


def terms_of(review: LocalReview) -> TermsOfReference | None:
    try:
        return review.terms  # type: ignore[no-any-return]
    except TermsOfReference.DoesNotExist:
        return None


def _check(review: LocalReview, content: TermsContent) -> None:
    if content.period_start and content.period_end and content.period_end < content.period_start:
        raise TermsError("The end of the review period must be on or after its start")
    if content.period_start and content.period_start > timezone.localdate():
        raise TermsError("The start of the review period must be today or in the past")
    partnership_id = review.case.partnership_id
    if Agency.objects.filter(pk__in=content.agency_ids).exclude(partnership_id=partnership_id).exists():
        raise TermsError("Select agencies of this partnership")
    if (
        content.methodology_id is not None
        and not Methodology.objects.filter(pk=content.methodology_id, partnership_id=partnership_id).exists()
    ):
        raise TermsError("Select a methodology from the partnership's list")


def _write_items(terms: TermsOfReference, content: TermsContent) -> None:
    terms.agencies.set(content.agency_ids)
    terms.parallel_processes.all().delete()
    ParallelProcess.objects.bulk_create(
        [
            ParallelProcess(
                terms=terms,
                position=i,
                kind=p.kind,
                status=p.status,
                next_date=p.next_date,
                expected_end=p.expected_end,
                notes=p.notes,
            )
            for i, p in enumerate(content.parallel, start=1)
        ]
    )


def terms_save(*, review: LocalReview, actor: User, content: TermsContent, expected_version: int) -> TermsOfReference:
    """Saves the terms as the drafter wrote them: the first save makes them (expected version 0).
    A change once they await approval or are approved starts approval again."""
    checker = LocalReviewChecker(actor, review.case)
    if not (checker.may_run or checker.is_reviewer):
        raise TermsError("Only the coordinator or the reviewer drafts the terms of reference")
    _check(review, content)
    fields = {
        "period_start": content.period_start,
        "period_end": content.period_end,
        "methodology_id": content.methodology_id,
        "methodology_notes": content.methodology_notes.strip(),
        "family_engagement": content.family_engagement.strip(),
        "timetable": content.timetable.strip(),
        "governance": content.governance.strip(),
        "lines": [text.strip() for text in content.lines if text.strip()],
    }
    terms = terms_of(review)
    try:
        with transaction.atomic():
            if terms is None:
                if expected_version != 0:
                    raise ConcurrentChange(TERMS_WORKFLOW.clash)
                terms = TermsOfReference.objects.create(review=review, updated_by=actor, **fields)
                audit_record(
                    actor=actor,
                    verb=Verb.CREATE,
                    target=terms,
                    case=review.case,
                    details={"summary": "Local review: terms of reference drafted"},
                )
            else:
                step = next(
                    name
                    for name in CHANGE_STEPS[TermsStatus(terms.status)]
                    if TERMS_WORKFLOW.blocked(TERMS_WORKFLOW.step(name), terms) is None
                )
                take(
                    TERMS_WORKFLOW,
                    terms,
                    step,
                    actor=actor,
                    expected_version=expected_version,
                    context={"content": fields},
                )
            _write_items(terms, content)
    except IntegrityError:
        raise TermsError(TERMS_WORKFLOW.clash) from None
    except TransitionError as error:
        raise TermsError(str(error)) from None
    return terms


def terms_step(*, terms: TermsOfReference, actor: User, step: str, expected_version: int) -> TermsOfReference:
    """The drafter sends the terms to the partners, or the coordinator agrees them."""
    if step not in ("terms_send", "terms_agree"):
        raise TermsError("There is no such step")
    try:
        return take(TERMS_WORKFLOW, terms, step, actor=actor, expected_version=expected_version)
    except TransitionError as error:
        raise TermsError(str(error)) from None


def approval_role(actor: User, terms: TermsOfReference) -> Role | None:
    """The partner this person approves for, if any."""
    roles = LocalReviewChecker(actor, terms.review.case).roles
    return next((r for r in DELEGATE_ROLES if r in roles), None)


def terms_approval_record(
    *, terms: TermsOfReference, actor: User, decision: TermsDecision, comments: str = ""
) -> TermsApproval:
    """A partner delegate approves the terms or asks for changes (with what should change). The
    third approval approves the terms; asking for changes sends them back to the drafters."""
    role = approval_role(actor, terms)
    if role is None:
        raise TermsError("Only the safeguarding partners' delegates approve the terms of reference")
    if decision == TermsDecision.CHANGES and not comments.strip():
        raise TermsError("Enter the changes you are asking for")
    with transaction.atomic():
        current = TermsOfReference.objects.select_for_update().select_related("review__case").get(pk=terms.pk)
        if current.status != TermsStatus.AWAITING_APPROVAL:
            raise TermsError("The terms of reference are not awaiting approval")
        latest = approval_state(current).latest.get(role)
        if decision == TermsDecision.APPROVED and latest is not None and latest.decision == TermsDecision.APPROVED:
            raise TermsError(f"You approved these terms on {timezone.localtime(latest.at):%-d %B %Y}")
        approval = TermsApproval.objects.create(
            terms=current,
            approval_round=current.approval_round,
            role=role,
            decision=decision,
            comments=comments.strip(),
            actor=actor,
        )
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=current,
            case=current.review.case,
            details={
                "summary": f"Terms of reference: {Role(role).label}, {approval.get_decision_display().lower()}",
                "round": current.approval_round,
            },
        )
        try:
            if decision == TermsDecision.CHANGES:
                take(
                    TERMS_WORKFLOW,
                    current,
                    "terms_changes_asked",
                    actor=actor,
                    expected_version=current.version,
                    note=comments.strip(),
                )
            elif approval_state(current).approved_by_all:
                take(TERMS_WORKFLOW, current, "terms_approved", actor=actor, expected_version=current.version)
        except TransitionError as error:
            raise TermsError(str(error)) from None
    for attribute in ("status", "version", "approved_at"):
        setattr(terms, attribute, getattr(current, attribute))
    return approval
