from typing import Any

from django.db import transaction

from accounts.models import User
from accounts.roles import DELEGATE_ROLES, Role
from audit.models import Verb
from audit.services import audit_record
from cases.models import CaseState
from rapidreviews.integrations import ClockRule, Email, MessageKind, email_render, messages_send_to, step_met_quietly
from rapidreviews.models import RapidReview, SignOff, SignOffDecision
from rapidreviews.policies import ReviewChecker
from rapidreviews.services.meeting_state import meeting_wait
from rapidreviews.services.review import link
from rapidreviews.services.signoff_state import SignOffState, sign_off_state


class SignOffError(Exception):
    pass


def sign_off_roles(user: User, review: RapidReview) -> list[Role]:
    """The roles in which this person takes part in sign-off (the review's door answers)."""
    return ReviewChecker(user, review.case).sign_off_roles


def sign_off_record(
    *, review: RapidReview, actor: User, role: Role, decision: SignOffDecision, comments: str = ""
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
            if state.complete and decision == SignOffDecision.APPROVED:
                email = Email.SIGN_OFF_COMPLETE
            elif state.complete:
                email = Email.SIGN_OFF_COMPLETE_ON_COMMENT
            elif decision == SignOffDecision.CHANGES:
                email = Email.SIGN_OFF_CHANGES_ASKED
            else:
                email = Email.SIGN_OFF_COMMENTED
            subject, body = email_render(
                email,
                {
                    "case": review.case,
                    "actor": actor,
                    "role": Role(role),
                    "comments": comments,
                    "url": link("rapidreviews:sign_off", review.case.reference),
                },
            )
            messages_send_to(
                recipients=[coordinator],
                subject=subject,
                body=body,
                case=review.case,
                actor=actor,
                kind=MessageKind.DECISION,
            )
    return step


def _comments_awaited(*, review: RapidReview, actor: User, state: SignOffState) -> None:
    """The three partners have approved and the partnership wants the scrutineer's and chair's
    comments: the coordinator hears that sign-off waits for them, and they hear until when."""
    if state.window_ends is None:
        return
    case = review.case
    key = f"rr-comment-window-{review.pk}-{review.decided_at:%Y%m%d%H%M%S%f}"
    facts = {
        "case": case,
        "awaiting": [Role(r) for r in state.awaiting_comments],
        "until": state.window_ends,
        "url": link("rapidreviews:sign_off", case.reference),
    }
    for email, recipients in (
        (Email.SIGN_OFF_COMMENTS_AWAITED, [review.started_by]),
        (Email.SIGN_OFF_COMMENTS_WANTED, commenters_awaited(review, state)),
    ):
        subject, body = email_render(email, facts)
        messages_send_to(
            recipients=recipients,
            subject=subject,
            body=body,
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


def sign_off_settle(*, review: RapidReview, actor: User | None, state: SignOffState | None = None) -> bool:
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
            subject, body = email_render(
                Email.SIGN_OFF_COMPLETE_AFTER_COMMENT_WINDOW,
                {"case": review.case, "url": link("rapidreviews:sign_off", review.case.reference)},
            )
            recorded = messages_send_to(
                recipients=[review.started_by],
                subject=subject,
                body=body,
                case=review.case,
                actor=None,
                kind=MessageKind.DECISION,
                dedupe_key=key,
            )
        done += 1 if recorded else 0
    return done
