from typing import Any

from django.db import transaction

from accounts.roles import Role
from audit.models import Verb
from audit.services import audit_record
from cases.models import CaseState
from cases.policies import case_roles
from rapidreviews.integrations import ClockRule, MessageKind, notify_people, step_met_quietly
from rapidreviews.models import RapidReview, SignOff, SignOffDecision
from rapidreviews.services.review import link
from rapidreviews.services.signoff_state import DELEGATE_ROLES, sign_off_state


class SignOffError(Exception):
    pass


def sign_off_roles(user: Any, review: RapidReview) -> list[Role]:
    """The roles in which this person takes part in sign-off: partner delegate(s), or scrutineer/chair."""
    roles = case_roles(user, review.case)
    return [r for r in (*DELEGATE_ROLES, Role.SCRUTINEER, Role.CHAIR) if r in roles]


def sign_off_record(
    *, review: RapidReview, actor: Any, role: Role, decision: SignOffDecision, comments: str = ""
) -> SignOff:
    """A delegate approves or asks for changes; the scrutineer or chair comments. Who and when is kept."""
    if review.case.state != CaseState.RAPID_REVIEW:
        raise SignOffError("Sign-off is only possible while the rapid review is under way")
    if not review.decision:
        raise SignOffError("The decision has not been recorded yet")
    if role not in sign_off_roles(actor, review):
        raise SignOffError("You cannot sign off in that role")
    if role in DELEGATE_ROLES and decision == SignOffDecision.COMMENT:
        raise SignOffError("Select whether you approve the rapid review")
    if role not in DELEGATE_ROLES and decision != SignOffDecision.COMMENT:
        raise SignOffError("The independent scrutineer and the chair comment; they do not sign off")
    if decision != SignOffDecision.APPROVED and not comments.strip():
        raise SignOffError("Enter your comments")
    if decision == SignOffDecision.APPROVED:
        latest = sign_off_state(review).latest.get(role)
        if latest is not None and latest.decision == SignOffDecision.APPROVED:
            raise SignOffError(f"You approved this rapid review on {latest.at:%-d %B %Y}: there is nothing more to do")
    with transaction.atomic():
        step = SignOff.objects.create(review=review, actor=actor, role=role, decision=decision, comments=comments)
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=review,
            case=review.case,
            details={"summary": f"Sign-off: {Role(role).label}, {step.get_decision_display().lower()}"},
        )
        state = sign_off_state(review)
        if state.complete:
            step_met_quietly(case=review.case, rule=ClockRule.RR_SIGN_OFF, actor=actor)
        if decision != SignOffDecision.APPROVED or state.complete:
            coordinator = review.started_by
            who = f"{actor.display_name} ({Role(role).label})"
            if state.complete:
                subject = f"All three partners have signed off the rapid review of {review.case.reference}"
                said = f"{who} approved the rapid review, the last of the three partners to do so."
            elif decision == SignOffDecision.CHANGES:
                subject = f"{Role(role).label} asked for changes to the rapid review of {review.case.reference}"
                said = f"{who} asked for these changes before they approve:"
            else:
                subject = f"{Role(role).label} commented on the rapid review of {review.case.reference}"
                said = f"{who} commented:"
            notify_people(
                recipients=[coordinator],
                subject=subject,
                body=f"{said}\n\n"
                + (comments + "\n\n" if comments else "")
                + f"Open the sign-off: {link('rapidreviews:sign_off', review.case.reference)}\n",
                case=review.case,
                actor=actor,
                kind=MessageKind.DECISION,
            )
    return step
