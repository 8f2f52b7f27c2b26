import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from audit.models import Verb
from audit.services import audit_record
from cases.models import CaseState
from cases.workflow import case_transition
from rapidreviews.integrations import (
    ClockError,
    ClockRule,
    MessageKind,
    notify_people,
    panel_reply_clock_start,
    step_met,
    step_met_quietly,
)
from rapidreviews.models import (
    AgencyReturn,
    Decision,
    PanelResponse,
    PanelResponseKind,
    RapidReview,
    ReturnEvent,
    ReturnStatus,
)
from rapidreviews.outcome import outcome_message
from rapidreviews.selectors import review_on_page
from rapidreviews.services.returns import leads_of
from rapidreviews.services.review import link
from rapidreviews.services.signoff_state import sign_off_state

REOPENABLE = {
    "returns": "Agency returns",
    "meeting": "Meeting record",
    "decision": "Decision",
    "sign_off": "Sign-off",
}


class SubmissionError(Exception):
    pass


def outcome_recipients(review: RapidReview) -> list[User]:
    """Every contributing agency's safeguarding leads, and the referrer: those who still hold a role
    in the partnership (someone who has left hears nothing more of its cases)."""
    agencies = review.requests.values("agency_id")
    partnership = review.case.partnership_id
    leads = User.objects.filter(
        memberships__agency_id__in=agencies,
        memberships__role=Role.AGENCY_LEAD,
        memberships__active=True,
        memberships__partnership_id=partnership,
    ).distinct()
    people = {u.pk: u for u in leads}
    for request in review.requests.select_related("lead"):
        if request.lead:
            people[request.lead.pk] = request.lead
    if review.case.referred_by:
        people[review.case.referred_by.pk] = review.case.referred_by
    still_here = set(
        User.objects.filter(memberships__partnership_id=partnership, memberships__active=True).values_list(
            "pk", flat=True
        )
    )
    return [person for pk, person in people.items() if pk in still_here]


def submission_guard(case: Any) -> str | None:
    """Why the rapid review cannot go to the Panel yet (None when it can): the case page offers the
    step only then."""
    review = review_on_page(case)
    if review is None or not review.decision:
        return "Record the decision before you send the rapid review"
    if not sign_off_state(review).complete:
        return "All three safeguarding partners must approve the rapid review before you send it"
    return None


def submission_record(*, review: RapidReview, actor: Any, late_reason: str = "") -> None:
    """Records the rapid review sent to the Panel: clocks met (or late, with the reason), the case
    moved on, and every contributing agency and the referrer told the outcome."""
    case = review.case
    if not review.decision:
        raise SubmissionError("Record the decision before you send the rapid review")
    if not sign_off_state(review).complete:
        raise SubmissionError("All three safeguarding partners must approve the rapid review before you send it")
    first_time = review.submitted_at is None and not review.panel_responses.exists()
    with transaction.atomic():
        if first_time:
            try:
                step_met(case=case, rule=ClockRule.RAPID_REVIEW, actor=actor, late_reason=late_reason)
            except ClockError as error:
                raise SubmissionError(str(error)) from None
            step_met_quietly(case=case, rule=ClockRule.RR_SUBMISSION, actor=actor)
            # Once the review has gone to the Panel, no earlier step of the local timetable is
            # still to do: close any left running so they are not chased as overdue.
            for rule in (ClockRule.RR_REQUESTS_OUT, ClockRule.RR_RETURNS, ClockRule.RR_MEETING, ClockRule.RR_SIGN_OFF):
                step_met_quietly(case=case, rule=rule, actor=actor)
        name = "criteria_not_met" if review.decision == Decision.CRITERIA_NOT_MET else "submit_rapid_review"
        case_transition(case=case, name=name, actor=actor, expected_version=case.version)
        RapidReview.objects.filter(pk=review.pk).update(
            submitted_at=timezone.now(), submitted_by=actor, late_reason=late_reason or review.late_reason
        )
        review.refresh_from_db()
        audit_record(
            actor=actor,
            verb=Verb.TRANSITION,
            target=review,
            case=case,
            details={
                "summary": f"Rapid review sent to the Panel: {review.get_decision_display()}",
                "late_reason": late_reason,
            },
        )
        if case.state == CaseState.RAPID_REVIEW_SUBMITTED:
            panel_reply_clock_start(case=case, actor=actor)
        people = outcome_recipients(review)
        referrer = review.case.referred_by
        for audience, recipients in (
            ("lead", [p for p in people if referrer is None or p.pk != referrer.pk]),
            ("referrer", [p for p in people if referrer is not None and p.pk == referrer.pk]),
        ):
            notify_people(
                recipients=recipients,
                subject=f"Outcome of the rapid review of {case.reference}",
                body=outcome_message(review, referrer=audience == "referrer")
                + f"\n\nThe case: {link('cases:detail', case.reference)}\n",
                case=case,
                actor=actor,
                kind=MessageKind.DECISION,
                dedupe_key=f"rr-outcome-{review.pk}-{review.submitted_at:%Y%m%d%H%M%S}",
            )


def panel_response_record(
    *, review: RapidReview, actor: Any, received_on: dt.date, kind: PanelResponseKind, summary: str, reopen: list[str]
) -> PanelResponse:
    """What the Panel said. A challenge or a request for more reopens the review and the tasks it concerns."""
    case = review.case
    if case.state != CaseState.RAPID_REVIEW_SUBMITTED:
        raise SubmissionError("The Panel's response can be recorded once the rapid review has been sent")
    reopens = kind in (PanelResponseKind.CHALLENGES, PanelResponseKind.MORE_INFORMATION)
    reopen = [t for t in reopen if t in REOPENABLE] if reopens else []
    if reopens and not reopen:
        raise SubmissionError("Select the parts of the rapid review the Panel's response concerns")
    if review.submitted_at and received_on < timezone.localdate(review.submitted_at):
        raise SubmissionError("The Panel cannot have responded before the rapid review was sent")
    with transaction.atomic():
        response = PanelResponse.objects.create(
            review=review, received_on=received_on, kind=kind, summary=summary, reopened_tasks=reopen, recorded_by=actor
        )
        step_met_quietly(case=case, rule=ClockRule.PANEL_REPLY, actor=actor)
        audit_record(
            actor=actor,
            verb=Verb.CREATE,
            target=response,
            case=case,
            details={"summary": f"The Panel's response: {PanelResponseKind(kind).label.lower()}", "reopened": reopen},
        )
        if kind == PanelResponseKind.NATIONAL_REVIEW:
            RapidReview.objects.filter(pk=review.pk).update(national_review=True)
        if reopens:
            case_transition(
                case=case,
                name="reopen_rapid_review",
                actor=actor,
                expected_version=case.version,
                note=f"The Panel {PanelResponseKind(kind).label.lower()}",
            )
            _reopen(review=review, actor=actor, tasks=reopen, summary=summary, kind=PanelResponseKind(kind))
        review.refresh_from_db()
    return response


def _reopen(*, review: RapidReview, actor: Any, tasks: list[str], summary: str, kind: PanelResponseKind) -> None:
    changes: dict[str, Any] = {"submitted_at": None}
    if "decision" in tasks:
        changes["decision"] = ""
    if "decision" in tasks or "sign_off" in tasks:
        changes["decided_at"] = timezone.now()  # earlier approvals no longer count
    RapidReview.objects.filter(pk=review.pk).update(**changes)
    if "returns" in tasks:
        comment = f"The Panel {kind.label.lower()}: {summary}"
        for agency_return in AgencyReturn.objects.filter(request__review=review, status=ReturnStatus.ACCEPTED):
            AgencyReturn.objects.filter(pk=agency_return.pk).update(
                status=ReturnStatus.RETURNED, coordinator_comments=comment, version=agency_return.version + 1
            )
            ReturnEvent.objects.create(
                agency_return=agency_return, kind=ReturnEvent.Kind.RETURNED, actor=actor, comments=comment
            )
            notify_people(
                recipients=leads_of(agency_return.request),
                subject=f"The Panel's reply on the rapid review of {review.case.reference}: your summary is reopened",
                body=f"{comment}\n\nOpen your summary: {link('rapidreviews:return', review.case.reference, agency_return.request.agency_id)}\n",
                case=review.case,
                actor=actor,
                kind=MessageKind.REQUEST,
            )
