"""Recording the Serious Incident Notification (and Secretary of State / Ofsted notifications).

Only an LA notifier may. The first notification moves the case to 'notified' and marks the SIN
clock met (or late, with the reason). The step says whether a rapid review is required and when the
notification was sent; the rapid review's stage starts its own clocks from that (an effect of the
step), so this service knows nothing of them.
More than 4 children means more notifications: each later one is added with a version check.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.models import Verb
from audit.services import audit_record
from cases.models import Case, CaseState
from cases.workflow import ConcurrentChange, case_transition
from clocks.models import ClockRule
from clocks.services import clock_meet
from referrals.models import (
    OtherPartnershipTold,
    Referral,
    ReferralChild,
    SeriousIncidentNotification,
    TriageDecisionKind,
    YesNoUnknown,
)


class SinError(ValueError):
    """A notification that cannot be recorded; the message is for the person."""


@dataclass
class SinAnswers:
    submitted_at: datetime
    panel_reference: str
    submitted_by: str
    children: list[ReferralChild]
    late_reason: str = ""
    other_partnerships: list[tuple[str, date]] = field(default_factory=list)


def needs_sos_ofsted(referral: Referral, children: list[ReferralChild]) -> bool:
    """Deaths of looked-after children, and of care leavers up to and including 24 (domain §1.4)."""
    if not referral.is_death:
        return False
    for child in children:
        age = child.age_on(referral.incident_date)
        if child.looked_after == YesNoUnknown.YES:
            return True
        if child.care_leaver == YesNoUnknown.YES and age is not None and age <= 24:
            return True
    return False


def needs_rapid_review(case: Case, referral: Referral, children: list[ReferralChild]) -> bool:
    """Every case notified to the Panel about a child under 18 needs a rapid review (domain brief §2.1):
    the partners' notifying against one of their answers on the criteria is recorded only with their
    reasons (referrals.incident_criteria), and it brings the review the Panel expects. A notification to the
    Secretary of State and Ofsted alone (a looked-after child's or care leaver's death) does not."""
    triage = getattr(case, "triage", None)
    if triage is None or triage.decision != TriageDecisionKind.NOTIFY:
        return False
    return any((age := c.age_on(referral.incident_date)) is None or age < 18 for c in children)


def uncovered_children(case: Case) -> list[ReferralChild]:
    referral = case.referral
    covered = set(SeriousIncidentNotification.objects.filter(case=case).values_list("children", flat=True))
    return [c for c in referral.children_list() if c.pk not in covered]


def sin_record(*, case: Case, actor: User, expected_version: int, answers: SinAnswers) -> SeriousIncidentNotification:
    referral: Referral = case.referral
    if not answers.children:
        raise SinError("Select the children this notification covers")
    if len(answers.children) > SeriousIncidentNotification.MAX_CHILDREN:
        raise SinError("A notification can cover up to 4 children: record another for the others")
    if answers.submitted_at > timezone.now():
        raise SinError("Date and time submitted must be in the past")
    first = case.state == CaseState.TO_NOTIFY
    rapid_review_required = needs_rapid_review(case, referral, answers.children)
    with transaction.atomic():
        if first:
            case_transition(
                case=case,
                name="record_notification",
                actor=actor,
                expected_version=expected_version,
                details={"panel_reference": answers.panel_reference},
                context={
                    "rapid_review_required": rapid_review_required,
                    "notified_on": timezone.localtime(answers.submitted_at).date(),
                    "la_aware_on": referral.la_aware_on,
                },
            )
            clock_meet(
                case=case,
                rule=ClockRule.SIN,
                on=timezone.localtime(answers.submitted_at).date(),
                actor=actor,
                late_reason=answers.late_reason,
            )
        else:
            updated = Case.objects.filter(pk=case.pk, version=expected_version).update(
                version=expected_version + 1, updated_at=timezone.now()
            )
            if updated != 1:
                raise ConcurrentChange(
                    "Someone else changed this case while you were working on it. Check it and try again."
                )
            case.version = expected_version + 1
        triage = case.triage
        notification = SeriousIncidentNotification.objects.create(
            case=case,
            to_panel=triage.decision == TriageDecisionKind.NOTIFY,
            to_sos_ofsted=needs_sos_ofsted(referral, answers.children),
            submitted_at=answers.submitted_at,
            panel_reference=answers.panel_reference,
            submitted_by=answers.submitted_by,
            late_reason=answers.late_reason,
            rapid_review_required=rapid_review_required,
            recorded_by=actor,
        )
        notification.children.set(answers.children)
        for name, told_on in answers.other_partnerships:
            OtherPartnershipTold.objects.create(case=case, name=name, told_on=told_on, recorded_by=actor)
        audit_record(
            actor=actor,
            verb=Verb.CREATE,
            target=notification,
            case=case,
            details={
                "summary": f"Recorded the notification: {notification.kind_label} ({answers.panel_reference})",
                "children": len(answers.children),
                "other_partnerships": [name for name, _ in answers.other_partnerships],
            },
        )
    return notification
