from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import Verb
from audit.services import audit_record
from cases.models import Case, CaseState
from cases.workflow import case_transition
from rapidreviews.integrations import Email, MessageKind, email_render, messages_send_to, review_clocks_start
from rapidreviews.models import RapidReview, RapidReviewDecision, Regulation11Criterion, Theme


class ReviewConflict(Exception):
    """Someone else saved the review first; the caller shows their changes and keeps the typed text."""


class ReviewWaits(Exception):
    """The decision waits for the meeting to be held; the message says why and until when."""


def link(name: str, *args: Any) -> str:
    return settings.SERVICE_URL.rstrip("/") + reverse(name, args=args)


def rapid_review_start(*, case: Case, actor: User) -> RapidReview:
    """NOTIFIED -> RAPID_REVIEW, and the review record with its clocks. A case already moved on by
    the case page's generic step only needs its record."""
    with transaction.atomic():
        if case.state != CaseState.RAPID_REVIEW or RapidReview.objects.filter(case=case).exists():
            case_transition(case=case, name="start_rapid_review", actor=actor, expected_version=case.version)
        review = RapidReview.objects.create(case=case, started_by=actor)
        audit_record(
            actor=actor, verb=Verb.CREATE, target=review, case=case, details={"summary": "Rapid review started"}
        )
        review_clocks_start(case=case, actor=actor)
    return review


def rapid_review_update(*, review: RapidReview, actor: User, expected_version: int, fields: dict[str, Any]) -> None:
    """Saves meeting record fields; refuses if someone else saved since the form was opened."""
    allowed = {
        "incident_summary",
        "family_context",
        "family_informed",
        "facts_agreed",
        "learning",
        "decision",
        "alternative_review_type",
        "decision_rationale",
        "themes",
    }
    changes = {k: v for k, v in fields.items() if k in allowed}
    if "decision" in changes:
        changes["decided_at"] = timezone.now() if changes["decision"] else None
    if "themes" in changes:
        changes["themes"] = [t for t in changes["themes"] if t in Theme.values]
    if changes.get("decision") and changes["decision"] not in RapidReviewDecision.values:
        raise ValueError("Unknown decision")
    if changes.get("decision"):
        from rapidreviews.services.meeting_state import meeting_wait

        waits = meeting_wait(review, "The decision")
        if waits:
            raise ReviewWaits(waits)
    with transaction.atomic():
        updated = RapidReview.objects.filter(pk=review.pk, version=expected_version).update(
            **changes, version=expected_version + 1, updated_at=timezone.now()
        )
        if updated != 1:
            raise ReviewConflict("Someone else saved this page while you were working on it.")
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=review,
            case=review.case,
            details={"summary": "Rapid review record changed", "fields": sorted(changes)},
        )
        if changes.get("decision") and changes["decision"] != review.decision:
            _ask_the_partners(review=review, actor=actor, again=bool(review.decision) or review.sign_offs.exists())
    review.refresh_from_db()


def _ask_the_partners(*, review: RapidReview, actor: User, again: bool) -> None:
    """A decision made (or changed) is the partners' to sign off: each delegate is told."""
    from accounts.models import Membership
    from accounts.roles import DELEGATE_ROLES

    case = review.case
    delegates = [
        m.user
        for m in Membership.objects.active()
        .filter(partnership_id=case.partnership_id, role__in=list(DELEGATE_ROLES))
        .select_related("user")
    ]
    subject, body = email_render(
        Email.SIGN_OFF_REQUESTED, {"case": case, "again": again, "url": link("rapidreviews:sign_off", case.reference)}
    )
    messages_send_to(
        recipients=delegates,
        subject=subject,
        body=body,
        case=case,
        actor=actor,
        kind=MessageKind.REQUEST,
    )


class CriteriaConflict(Exception):
    """Criteria saved elsewhere since the page was opened: nothing was saved."""

    def __init__(self, clashes: list[Regulation11Criterion]) -> None:
        super().__init__("Criteria changed elsewhere")
        self.clashes = clashes


def criteria_record(
    *,
    review: RapidReview,
    actor: User,
    answers: dict[str, tuple[str, str]],
    versions: dict[str, int] | None = None,
) -> None:
    """answers: criterion -> (answer, notes). `versions`: criterion -> the version the page showed
    (0 for one not yet answered). A criterion saved elsewhere since then, whose answer or notes this
    save would change, is a clash: nothing is saved and `CriteriaConflict` names them."""
    with transaction.atomic():
        current = {n.criterion: n for n in Regulation11Criterion.objects.select_for_update().filter(review=review)}
        if versions is not None:
            clashes = [
                note
                for criterion, (answer, notes) in answers.items()
                if (note := current.get(criterion)) is not None
                and note.version != versions.get(criterion, 0)
                and (note.answer, note.notes) != (answer, notes)
            ]
            if clashes:
                raise CriteriaConflict(clashes)
        for criterion, (answer, notes) in answers.items():
            note = current.get(criterion)
            if note is None:
                Regulation11Criterion.objects.create(review=review, criterion=criterion, answer=answer, notes=notes)
            elif (note.answer, note.notes) != (answer, notes):
                Regulation11Criterion.objects.filter(pk=note.pk).update(
                    answer=answer, notes=notes, version=note.version + 1
                )
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=review,
            case=review.case,
            details={"summary": "Regulation 11 criteria considered", "criteria": sorted(answers)},
        )
