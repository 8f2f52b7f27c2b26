"""The safeguarding partners' decision: notify the Panel, or not (with the rationale)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse

from accounts.models import Membership, User
from accounts.roles import Role
from audit.models import Verb
from audit.services import audit_record
from cases.models import Case
from cases.workflow import case_transition
from clocks.models import ACTIVE_STATUSES, Clock, ClockRule
from clocks.services import clock_cancel
from notifications.emails import Email, email_render
from notifications.models import MessageKind
from notifications.services import message_send
from referrals.models import TriageDecision, TriageDecisionKind


@dataclass(frozen=True)
class TriageAnswers:
    meeting_date: date
    attendee_la: str
    attendee_icb: str
    attendee_police: str
    abuse_or_neglect: str
    death_or_serious_harm: str
    decision: str
    rationale: str
    local_learning_review: bool


def triage_record(*, case: Case, actor: User, expected_version: int, answers: TriageAnswers) -> TriageDecision:
    """Records the meeting and the decision and moves the case on, in one transaction; the
    referrer and their agency's safeguarding lead are told once it commits."""
    name = "decide_not_notify" if answers.decision == TriageDecisionKind.NOT_NOTIFY else "decide_notify"
    label = TriageDecisionKind(answers.decision).label
    with transaction.atomic():
        case_transition(
            case=case,
            name=name,
            actor=actor,
            expected_version=expected_version,
            note=answers.rationale,
            details={"decision": answers.decision},
        )
        triage = TriageDecision.objects.create(
            case=case,
            meeting_date=answers.meeting_date,
            attendee_la=answers.attendee_la,
            attendee_icb=answers.attendee_icb,
            attendee_police=answers.attendee_police,
            abuse_or_neglect=answers.abuse_or_neglect,
            death_or_serious_harm=answers.death_or_serious_harm,
            decision=answers.decision,
            rationale=answers.rationale,
            local_learning_review=answers.local_learning_review and answers.decision == TriageDecisionKind.NOT_NOTIFY,
            decided_by=actor,
        )
        audit_record(
            actor=actor,
            verb=Verb.CREATE,
            target=triage,
            case=case,
            details={
                "summary": f"Triage decision: {label}",
                "meeting_date": answers.meeting_date.isoformat(),
                "local_learning_review": triage.local_learning_review,
            },
        )
        if answers.decision == TriageDecisionKind.NOT_NOTIFY:
            _stop_sin_clock(case, actor)
        _tell_referrer(case, triage, actor)
    return triage


def _stop_sin_clock(case: Case, actor: User) -> None:
    """Nothing goes to the Panel, so its 5-working-day clock stops (it would otherwise go overdue)."""
    clock = Clock.objects.filter(case=case, rule=ClockRule.SIN, status__in=ACTIVE_STATUSES).first()
    if clock is not None:
        clock_cancel(clock=clock, reason="The safeguarding partners decided not to notify the Panel", actor=actor)


def _tell_referrer(case: Case, triage: TriageDecision, actor: User) -> None:
    recipients: list[Any] = []
    if case.referred_by is not None:
        recipients.append(case.referred_by)
    if case.referring_agency_id:
        leads = Membership.objects.active().filter(
            partnership_id=case.partnership_id, agency_id=case.referring_agency_id, role=Role.AGENCY_LEAD
        )
        recipients += [m.user for m in leads.select_related("user")]
    if not recipients:
        return
    subject, body = email_render(
        Email.REFERRAL_DECISION,
        {
            "case": case,
            "decision": TriageDecisionKind(triage.decision),
            "TriageDecisionKind": TriageDecisionKind,
            "local_learning_review": triage.local_learning_review,
            "url": reverse("cases:detail", args=[case.reference]),
        },
    )
    message_send(
        recipients=recipients,
        subject=subject,
        body=body,
        case=case,
        actor=actor,
        kind=MessageKind.DECISION,
        dedupe_key=f"triage-outcome-{case.pk}",
    )
