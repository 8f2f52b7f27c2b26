import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from audit.models import Verb
from audit.services import audit_record
from cases.models import Case, CaseState
from cases.workflow import case_transition
from rapidreviews.integrations import (
    ClockError,
    ClockRule,
    Email,
    MessageKind,
    email_render,
    messages_send_to,
    panel_response_clock_start,
    step_met,
    step_met_quietly,
    step_not_done,
)
from rapidreviews.models import (
    OUTSTANDING_STATUSES,
    AgencySummary,
    InformationRequest,
    PanelResponse,
    PanelResponseKind,
    RapidReview,
    RapidReviewDecision,
    SummaryStatus,
)
from rapidreviews.outcome import outcome_message
from rapidreviews.selectors import review_on_page
from rapidreviews.services.document import document_generate
from rapidreviews.services.meeting_state import meeting_wait
from rapidreviews.services.review import link
from rapidreviews.services.signoff_state import sign_off_state
from rapidreviews.services.summaries import agency_summary_close, agency_summary_reopen_for_panel

REOPENABLE = {
    "returns": "Agency summaries",
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


def submission_guard(case: Case) -> str | None:
    """Why the rapid review cannot go to the Panel yet (None when it can): the case page offers the
    step only then."""
    review = review_on_page(case)
    if review is None or not review.decision:
        return "Record the decision before you send the rapid review"
    waits = meeting_wait(review, "Sending the rapid review to the Panel")
    if waits:
        return waits
    return _sign_off_incomplete(review)


def _sign_off_incomplete(review: RapidReview) -> str | None:
    state = sign_off_state(review)
    if state.complete:
        return None
    if state.approved_by_all and state.window_ends is not None:
        return (
            "Sign-off is open for the comments of the independent scrutineer and the chair until they have "
            f"commented or until {timezone.localtime(state.window_ends):%-d %B %Y at %H:%M}"
        )
    return "All three safeguarding partners must approve the rapid review before you send it"


def outstanding_requests(review: RapidReview) -> list[InformationRequest]:
    """The agencies asked whose summary has not come in (not sent, or sent back and not sent
    again): what the rapid review would go to the Panel without."""
    return list(
        review.requests.filter(agency_summary__status__in=OUTSTANDING_STATUSES)
        .select_related("agency", "lead", "agency_summary")
        .order_by("agency__name")
    )


def submission_record(
    *,
    review: RapidReview,
    actor: User,
    late_reason: str = "",
    missing_reason: str = "",
    sent_without: list[int] | None = None,
) -> None:
    """Records the rapid review sent to the Panel: clocks met (or late, with the reason), the case
    moved on, and every contributing agency and the referrer told the outcome.

    An agency whose summary has not come in is named to the coordinator first: sending without it
    needs a reason (kept on the review, in the document and in the ledger); the page passes
    `sent_without`, the requests it warned about, which must still be exactly those outstanding
    (one sent meanwhile, or asked meanwhile, means the coordinator decides again). Its request is then closed: its lead is told why, it
    leaves their to-do list and reminders, and it cannot be changed any more. The "agency
    returns" step is not marked met by summaries that never came: its deadline is closed with the
    reason instead."""
    case = review.case
    missing_reason = missing_reason.strip()
    if not review.decision:
        raise SubmissionError("Record the decision before you send the rapid review")
    waits = meeting_wait(review, "Sending the rapid review to the Panel")
    if waits:
        raise SubmissionError(waits)
    if (incomplete := _sign_off_incomplete(review)) is not None:
        raise SubmissionError(incomplete)
    first_time = review.submitted_at is None and not review.panel_responses.exists()
    with transaction.atomic():
        outstanding = outstanding_requests(review)
        if outstanding:
            if sent_without is not None and sorted(r.pk for r in outstanding) != sorted(sent_without):
                raise SubmissionError(
                    "The summaries still to come have changed since the page was opened: check them and send again"
                )
            if not missing_reason:
                raise SubmissionError("Enter why the rapid review is being sent without these agencies' summaries")
            _close_outstanding(review=review, actor=actor, requests=outstanding, reason=missing_reason)
            # The version kept as sent says which summaries it goes without, and why.
            document_generate(review=review, actor=actor, fmt="docx")
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
        name = "criteria_not_met" if review.decision == RapidReviewDecision.CRITERIA_NOT_MET else "submit_rapid_review"
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
                "summary": f"Rapid review sent to the Panel: {review.get_decision_display()}"
                + (f", without the summaries of {_names(outstanding)}" if outstanding else ""),
                "late_reason": late_reason,
                **(
                    {"sent_without": [r.agency.name for r in outstanding], "missing_reason": missing_reason}
                    if outstanding
                    else {}
                ),
            },
        )
        if case.state == CaseState.RAPID_REVIEW_SUBMITTED:
            panel_response_clock_start(case=case, actor=actor)
        people = outcome_recipients(review)
        referrer = review.case.referred_by
        for audience, recipients in (
            ("lead", [p for p in people if referrer is None or p.pk != referrer.pk]),
            ("referrer", [p for p in people if referrer is not None and p.pk == referrer.pk]),
        ):
            subject, body = email_render(
                Email.RAPID_REVIEW_OUTCOME,
                {
                    "case": case,
                    "outcome": outcome_message(review, referrer=audience == "referrer"),
                    "url": link("cases:detail", case.reference),
                },
            )
            messages_send_to(
                recipients=recipients,
                subject=subject,
                body=body,
                case=case,
                actor=actor,
                kind=MessageKind.DECISION,
                dedupe_key=f"rr-outcome-{review.pk}-{review.submitted_at:%Y%m%d%H%M%S}",
            )


def panel_response_record(
    *,
    review: RapidReview,
    actor: User,
    received_on: dt.date,
    kind: PanelResponseKind,
    said: str,
    reopen: list[str],
    national_review: bool = False,
) -> PanelResponse:
    """What the Panel said about the decision, and whether it will hold a national review (either
    way). A challenge or a request for more reopens the review and the tasks it concerns."""
    case = review.case
    if case.state != CaseState.RAPID_REVIEW_SUBMITTED:
        raise SubmissionError("The Panel's response can be recorded once the rapid review has been sent")
    waits = meeting_wait(review, "The Panel's response")
    if waits:
        raise SubmissionError(waits)
    reopens = kind in (PanelResponseKind.CHALLENGES, PanelResponseKind.MORE_INFORMATION)
    reopen = [t for t in reopen if t in REOPENABLE] if reopens else []
    if reopens and not reopen:
        raise SubmissionError("Select the parts of the rapid review the Panel's response concerns")
    if review.submitted_at and received_on < timezone.localdate(review.submitted_at):
        raise SubmissionError("The Panel cannot have responded before the rapid review was sent")
    with transaction.atomic():
        response = PanelResponse.objects.create(
            review=review,
            received_on=received_on,
            kind=kind,
            said=said,
            national_review=national_review,
            reopened_tasks=reopen,
            recorded_by=actor,
            # What the Panel answered, kept before a challenge clears the decision from the review.
            sent_decision=review.decision,
            sent_alternative_review_type=review.alternative_review_type,
            sent_rationale=review.decision_rationale,
        )
        step_met_quietly(case=case, rule=ClockRule.PANEL_RESPONSE, actor=actor)
        audit_record(
            actor=actor,
            verb=Verb.CREATE,
            target=response,
            case=case,
            details={
                "summary": f"The Panel's response: {PanelResponseKind(kind).label.lower()}"
                + ("; it will hold a national review" if national_review else "; no national review"),
                "reopened": reopen,
                "national_review": national_review,
            },
        )
        if national_review:
            RapidReview.objects.filter(pk=review.pk).update(national_review=True)
        if reopens:
            case_transition(
                case=case,
                name="reopen_rapid_review",
                actor=actor,
                expected_version=case.version,
                note=f"The Panel {PanelResponseKind(kind).label.lower()}",
            )
            _reopen(review=review, actor=actor, tasks=reopen, summary=said, kind=PanelResponseKind(kind))
        review.refresh_from_db()
    return response


def _reopen(*, review: RapidReview, actor: User, tasks: list[str], summary: str, kind: PanelResponseKind) -> None:
    changes: dict[str, Any] = {"submitted_at": None}
    if "decision" in tasks:
        changes["decision"] = ""
    if "decision" in tasks or "sign_off" in tasks:
        changes["decided_at"] = timezone.now()  # earlier approvals no longer count
    RapidReview.objects.filter(pk=review.pk).update(**changes)
    if "returns" in tasks:
        comment = f"The Panel {kind.label.lower()}: {summary}"
        # Accepted summaries go back to their leads; a summary the review went without is asked
        # for again, from where its lead left it (the summary's own steps, services/returns.py).
        reopened = AgencySummary.objects.filter(request__review=review, status=SummaryStatus.ACCEPTED)
        closed = AgencySummary.objects.filter(request__review=review, status=SummaryStatus.CLOSED)
        for agency_summary in [*reopened, *closed.select_related("request__agency")]:
            agency_summary_reopen_for_panel(agency_summary=agency_summary, actor=actor, comment=comment)
        RapidReview.objects.filter(pk=review.pk).update(missing_summaries_reason="")  # asked again if still missing


def _names(requests: list[InformationRequest]) -> str:
    names = [str(r.agency) for r in requests]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _close_outstanding(*, review: RapidReview, actor: User, requests: list[InformationRequest], reason: str) -> None:
    """Closes the requests whose summary the review goes without (part of `submission_record`)."""
    case = review.case
    now = timezone.now()
    RapidReview.objects.filter(pk=review.pk).update(missing_summaries_reason=reason)
    review.missing_summaries_reason = reason
    why = f"The rapid review was sent to the Panel without the summaries of {_names(requests)}: {reason}"
    # The step was not done: its deadline closes with the reason instead of being marked met.
    step_not_done(case=case, rule=ClockRule.RR_RETURNS, actor=actor, reason=why)
    for request in requests:
        agency_summary_close(agency_summary=request.agency_summary, actor=actor, reason=reason, at=now)
