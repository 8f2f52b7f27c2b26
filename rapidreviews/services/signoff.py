from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from audit.models import Verb
from audit.services import audit_record
from cases.models import CaseState
from cases.policies import case_roles
from rapidreviews.integrations import ClockRule, MessageKind, notify_people, step_met_quietly
from rapidreviews.models import RapidReview, SignOff, SignOffDecision
from rapidreviews.services.meeting_state import meeting_wait
from rapidreviews.services.review import link
from rapidreviews.services.signoff_state import DELEGATE_ROLES, SignOffState, sign_off_state


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
    waits = meeting_wait(review, "Sign-off")
    if waits:
        raise SignOffError(waits)
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
            sign_off_settle(review=review, actor=actor, state=state)
        elif state.approved_by_all and decision == SignOffDecision.APPROVED:
            _comments_awaited(review=review, actor=actor, state=state)
        if decision != SignOffDecision.APPROVED or state.complete:
            coordinator = review.started_by
            who = f"{actor.display_name} ({Role(role).label})"
            if state.complete and decision == SignOffDecision.APPROVED:
                subject = f"All three partners have signed off the rapid review of {review.case.reference}"
                said = f"{who} approved the rapid review, the last of the three partners to do so."
            elif state.complete:
                subject = f"Sign-off of the rapid review of {review.case.reference} is complete"
                said = f"{who} commented, and sign-off is now complete:"
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


def _comments_awaited(*, review: RapidReview, actor: Any, state: SignOffState) -> None:
    """The three partners have approved and the partnership wants the scrutineer's and chair's
    comments: the coordinator hears that sign-off waits for them, and they hear until when."""
    if state.window_ends is None:
        return
    case = review.case
    until = f"{timezone.localtime(state.window_ends):%A %-d %B at %H:%M}"
    waiting = " and ".join(str(Role(r).label).lower() for r in state.awaiting_comments)
    key = f"rr-comment-window-{review.pk}-{review.decided_at:%Y%m%d%H%M%S%f}"
    notify_people(
        recipients=[review.started_by],
        subject=f"All three partners have approved the rapid review of {case.reference}: waiting for comments",
        body=f"Sign-off stays open for the comments of the {waiting} until they have commented or until {until}, "
        "whichever comes first.\n\n"
        f"Open the sign-off: {link('rapidreviews:sign_off', case.reference)}\n",
        case=case,
        actor=actor,
        kind=MessageKind.DECISION,
        dedupe_key=key,
    )
    notify_people(
        recipients=commenters_awaited(review, state),
        subject=f"Your comments on the rapid review of {case.reference} are wanted by {until}",
        body=f"The three safeguarding partners have approved the rapid review of {case.reference} ({case.title}). "
        f"Sign-off stays open for your comments until {until}.\n\n"
        f"Comment: {link('rapidreviews:sign_off', case.reference)}\n",
        case=case,
        actor=actor,
        kind=MessageKind.DECISION,
        dedupe_key=key,
    )


def commenters_awaited(review: RapidReview, state: SignOffState) -> list[Any]:
    """The people holding the scrutineer's or chair's role in the partnership whose comment is awaited."""
    from accounts.models import User

    return list(
        User.objects.filter(
            memberships__partnership_id=review.case.partnership_id,
            memberships__role__in=state.awaiting_comments,
            memberships__active=True,
        ).distinct()
    )


def sign_off_settle(*, review: RapidReview, actor: Any, state: SignOffState | None = None) -> bool:
    """Once sign-off is complete (the approvals in, and the comments or their time), the timetable's
    sign-off step is met. Safe to repeat; True when sign-off is complete."""
    state = state or sign_off_state(review)
    if not state.complete or review.case.state != CaseState.RAPID_REVIEW:
        return False
    step_met_quietly(case=review.case, rule=ClockRule.RR_SIGN_OFF, actor=actor)
    return True


def sign_offs_settle() -> int:
    """The scheduler's tick: sign-off windows for comments that have ended complete their sign-off
    (the step met, the coordinator told). Returns how many completed now."""
    done = 0
    reviews = RapidReview.objects.filter(
        case__state=CaseState.RAPID_REVIEW,
        decided_at__isnull=False,
        case__partnership__clock_settings__signoff_wait_for_comments=True,
    ).exclude(decision="")
    for review in reviews.select_related("case", "started_by"):
        state = sign_off_state(review)
        if not state.complete or state.window_ends is None or state.now < state.window_ends:
            continue  # not complete, or completed by the comments themselves (told then)
        key = f"rr-signed-off-{review.pk}-{review.decided_at:%Y%m%d%H%M%S%f}"
        with transaction.atomic():
            sign_off_settle(review=review, actor=None, state=state)
            recorded = notify_people(
                recipients=[review.started_by],
                subject=f"Sign-off of the rapid review of {review.case.reference} is complete",
                body="All three partners approved the rapid review and the time for the scrutineer's and the "
                f"chair's comments has passed.\n\nOpen the sign-off: {link('rapidreviews:sign_off', review.case.reference)}\n",
                case=review.case,
                actor=None,
                kind=MessageKind.DECISION,
                dedupe_key=key,
            )
        done += 1 if recorded else 0
    return done
