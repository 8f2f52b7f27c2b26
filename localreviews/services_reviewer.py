"""Appointing the review's reviewer (one or two), and what the appointment gives them: the reviewer
role in the partnership and a grant for this case alone (cases.CaseAccess, reason "commissioned
reviewer"), so their access is this case's local review and nothing else (localreviews/policies.py).

A reviewer whose address has an account is given the role (if they lack it) and the grant at once.
Anyone else is invited; when they accept, `reviewer_take_invitation` (a receiver of accounts'
`invitation_accepted`, registered by the stage) links their account and grants the case.
The first appointment takes the review's `appoint_reviewer` step, in the same transaction.

Sharing the rapid review with the local review is recorded on the rapid review
(`shared_with_local_review_at`), where its own checker reads it (rapidreviews/policies.py): the
rapid review does not import the local review, which reads it."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import account_with_email, normalised_email, roles_of
from accounts.services import (
    InvitationAlreadyOpen,
    InvitationError,
    MembershipError,
    invitation_create,
    membership_grant,
)
from audit.models import Verb
from audit.services import audit_record
from cases.models import CaseAccess
from cases.workflow_engine import ConcurrentChange, TransitionError, take
from localreviews.models import Employment, LocalReview, LocalReviewStatus, Reviewer
from localreviews.services import LocalReviewError
from localreviews.workflow import LOCAL_REVIEW_WORKFLOW
from notifications.emails import Email, email_render
from rapidreviews.models import RapidReview

MAX_REVIEWERS = 2


@dataclass(frozen=True)
class Appointment:
    name: str
    email: str
    employment: Employment
    organisation: str
    agreement_starts: dt.date
    agreement_ends: dt.date
    independent_declared: bool
    independence_statement: str
    conflicts: str
    appointed_on: dt.date


def appointment_errors(review: LocalReview, a: Appointment) -> dict[str, str]:
    """What is wrong with an appointment, by field ("" for the whole form); {} when nothing."""
    errors: dict[str, str] = {}
    if a.agreement_ends <= a.agreement_starts:
        errors["agreement_ends"] = "The end of the agreement must be after its start"
    if a.employment == Employment.INDEPENDENT and not a.independent_declared:
        errors["independent_declared"] = "Confirm the reviewer has declared they are independent of the agencies"
    if a.appointed_on < review.decided_on:
        errors["appointed_on"] = (
            f"The date of the appointment must be on or after the partners' decision ({review.decided_on:%-d %B %Y})"
        )
    reviewers = list(review.reviewers.all())
    if any(r.email == normalised_email(a.email) for r in reviewers):
        errors["email"] = "This reviewer has already been appointed to the review"
    elif len(reviewers) >= MAX_REVIEWERS:
        errors[""] = "A review has at most two reviewers: two have been appointed already"
    return errors


def reviewer_appoint(*, review: LocalReview, actor: User, appointment: Appointment, expected_version: int) -> Reviewer:
    """Records the appointment and gives the reviewer this case, or invites them; the first takes the
    review's step. All or nothing. Raises LocalReviewError with words for the page."""
    if errors := appointment_errors(review, appointment):
        raise LocalReviewError(next(iter(errors.values())))
    case = review.case
    try:
        with transaction.atomic():
            reviewer = Reviewer.objects.create(
                review=review,
                name=appointment.name.strip(),
                email=normalised_email(appointment.email),
                employment=appointment.employment,
                organisation=appointment.organisation.strip(),
                agreement_starts=appointment.agreement_starts,
                agreement_ends=appointment.agreement_ends,
                independent_declared=appointment.independent_declared,
                independence_statement=appointment.independence_statement.strip(),
                conflicts=appointment.conflicts.strip(),
                appointed_on=appointment.appointed_on,
                appointed_by=actor,
            )
            audit_record(
                actor=actor,
                verb=Verb.CREATE,
                target=reviewer,
                case=case,
                details={
                    "summary": f"Appointed {reviewer.name} ({reviewer.organisation}) as reviewer for the local review",
                    "employment": reviewer.employment,
                    "email": reviewer.email,
                },
            )
            account = account_with_email(reviewer.email)
            if account is not None:
                _give_case(reviewer, account, actor=actor, grant_role=True)
            else:
                _invite(reviewer, actor)
            if review.status == LocalReviewStatus.COMMISSIONED:
                take(
                    LOCAL_REVIEW_WORKFLOW,
                    review,
                    "appoint_reviewer",
                    actor=actor,
                    expected_version=expected_version,
                    note=f"{reviewer.name}, {reviewer.organisation}",
                )
    except IntegrityError:
        raise LocalReviewError("This reviewer has already been appointed to the review") from None
    except ConcurrentChange:
        raise LocalReviewError(
            "Someone else changed the local review while you were working on it. Check it and try again."
        ) from None
    except TransitionError as error:
        raise LocalReviewError(str(error)) from None
    except (InvitationError, MembershipError, PermissionDenied) as error:
        raise LocalReviewError(str(error)) from None
    return reviewer


def _give_case(reviewer: Reviewer, user: User, *, actor: User, grant_role: bool) -> None:
    """The reviewer's account: linked, given the reviewer role if they lack it, and this case."""
    case = reviewer.review.case
    if grant_role and Role.REVIEWER not in roles_of(user, case.partnership_id):
        membership_grant(actor=actor, user=user, partnership=case.partnership, role=Role.REVIEWER, agency=None)
    Reviewer.objects.filter(pk=reviewer.pk).update(user=user)
    reviewer.user = user
    access, created = CaseAccess.objects.get_or_create(
        case=case, user=user, reason=CaseAccess.Reason.COMMISSIONED_REVIEWER, defaults={"granted_by": actor}
    )
    if created:
        audit_record(
            actor=actor,
            verb=Verb.CREATE,
            target=access,
            case=case,
            details={"summary": f"{reviewer.name} may read this case's local review as its reviewer"},
        )


def _invite(reviewer: Reviewer, actor: User) -> None:
    case = reviewer.review.case
    first, _, last = reviewer.name.partition(" ")
    # The invitation email is the reviewer's first word of the review: who appointed them, for which
    # case (by reference and pseudonym), and that their access is this review only.
    subject, reason = email_render(
        Email.LOCAL_REVIEWER_INVITATION, {"case": case, "actor": actor, "review": reviewer.review}
    )
    try:
        invitation, _token = invitation_create(
            invited_by=actor,
            partnership=case.partnership,
            email=reviewer.email,
            first_name=first,
            last_name=last,
            role=Role.REVIEWER,
            agency=None,
            reason=reason,
            then="The review is then on your home page. You can read this case's local review only.",
            subject=subject,
        )
    except InvitationAlreadyOpen as already:
        invitation = already.invitation  # invited to another review already: one account, both reviews
    Reviewer.objects.filter(pk=reviewer.pk).update(invitation=invitation)
    reviewer.invitation = invitation


def reviewer_take_invitation(*, invitation: Any, user: User, **_: Any) -> None:
    """Receiver of accounts' `invitation_accepted`: each reviewer invited with this invitation (its
    address) is linked to the new account and given their case. In the accepting transaction."""
    if normalised_email(user.email) != normalised_email(invitation.email):
        return
    for reviewer in Reviewer.objects.filter(invitation=invitation, user__isnull=True).select_related(
        "review__case__partnership", "appointed_by"
    ):
        _give_case(reviewer, user, actor=user, grant_role=False)
        audit_record(
            actor=user,
            verb=Verb.UPDATE,
            target=reviewer,
            case=reviewer.review.case,
            details={"summary": f"{reviewer.name} accepted the invitation to review the case"},
        )


def rapid_review_share(*, review: LocalReview, actor: User) -> RapidReview:
    """The coordinator shares the rapid review's submitted and accepted summaries and its merged
    chronology with the local review's reviewer. Once, recorded with who and when."""
    with transaction.atomic():
        rapid_review = RapidReview.objects.select_for_update().filter(case=review.case).first()
        if rapid_review is None:
            raise LocalReviewError("This case has no rapid review to share")
        if rapid_review.shared_with_local_review_at is not None:
            raise LocalReviewError("The rapid review has already been shared with the reviewer")
        rapid_review.shared_with_local_review_at = timezone.now()
        rapid_review.shared_with_local_review_by = actor
        rapid_review.save(update_fields=["shared_with_local_review_at", "shared_with_local_review_by"])
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=rapid_review,
            case=review.case,
            details={
                "summary": "Shared the rapid review's summaries and merged chronology with the local review's reviewer"
            },
        )
    return rapid_review
