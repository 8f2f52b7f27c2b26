"""The case's next step while the rapid review holds it: start it, work on it, sign it off, send it,
record the Panel's response, and then what the reply leaves to do. After the Panel's response the next step
follows the partners' decision (a local review to commission, a case to close), never reopening the
review: only the Panel's challenge does that, recorded on the reply page."""

from typing import Any

from django.urls import reverse

from accounts.models import User
from cases.models import Case, CaseState
from cases.next_step import NextStep
from cases.policies import CaseAction, can
from cases.workflow import available_transitions
from rapidreviews.models import (
    AgencySummary,
    RapidReview,
    RapidReviewDecision,
    SignOffDecision,
    SummaryStatus,
)
from rapidreviews.outcome import current_reply
from rapidreviews.selectors import own_requests_on_page, review_on_page
from rapidreviews.services.signoff_state import sign_off_state

STAFF_ACTIONS = (CaseAction.SIGN_OFF, CaseAction.COMMENT)


def rapid_review_next_step(user: User, case: Case) -> NextStep | None:
    if case.state == CaseState.NOTIFIED:
        return _to_start(user, case)
    if case.state == CaseState.RAPID_REVIEW:
        return _under_way(user, case)
    if case.state == CaseState.RAPID_REVIEW_SUBMITTED:
        return _sent(user, case)
    return None


def _url(name: str, case: Case, *args: Any) -> str:
    return reverse(name, args=[case.reference, *args])


def _to_start(user: User, case: Case) -> NextStep:
    if any(t.name == "start_rapid_review" for t in available_transitions(user, case)):
        return NextStep(
            text="Start the rapid review: every case notified to the Panel needs one within 15 working days.",
            label="Start the rapid review",
            url=_url("rapidreviews:workspace", case),
            covers=frozenset({"start_rapid_review"}),
        )
    return NextStep(text="The review coordinator is to start the rapid review.")


def _under_way(user: User, case: Case) -> NextStep:
    review = review_on_page(case)
    runs = can(user, CaseAction.RUN_RAPID_REVIEW, case)
    if review is None:
        if runs:
            return NextStep(
                text="Set up the rapid review's workspace to ask the agencies for their summaries.",
                label="Go to the rapid review",
                url=_url("rapidreviews:workspace", case),
            )
        return NextStep(text="The review coordinator is to set up the rapid review.")
    if runs:
        if any(t.name == "submit_rapid_review" for t in available_transitions(user, case)):
            return NextStep(
                text="All three partners have approved: send the rapid review to the Panel and record it.",
                label="Record the submission to the Panel",
                url=_url("rapidreviews:submission", case),
                covers=frozenset({"submit_rapid_review"}),
            )
        return NextStep(
            text="Work through the rapid review's tasks: requests, summaries, the meeting and the decision.",
            label="Go to the rapid review",
            url=_url("rapidreviews:workspace", case),
        )
    if can(user, CaseAction.SIGN_OFF, case) and review.decision and _awaits_approval_of(user, case, review):
        return NextStep(
            text="The partners' decision is ready: approve the rapid review or ask for changes.",
            label="Sign off the rapid review",
            url=_url("rapidreviews:sign_off", case),
        )
    if any(can(user, action, case) for action in STAFF_ACTIONS):
        return NextStep(
            text="The review coordinator is running the rapid review.",
            label="Go to the rapid review",
            url=_url("rapidreviews:workspace", case),
        )
    for request in own_requests_on_page(user, case):
        agency_summary: AgencySummary | None = getattr(request, "agency_summary", None)
        if agency_summary is not None and agency_summary.status not in (
            SummaryStatus.SUBMITTED,
            SummaryStatus.ACCEPTED,
            SummaryStatus.CLOSED,
        ):
            return NextStep(
                text="Write your agency's summary and chronology, and send them to the review coordinator.",
                label="Go to your agency's summary",
                url=_url("rapidreviews:summary", case, request.agency_id),
            )
    return NextStep(text="The rapid review is under way. There is nothing for you to do on it now.")


def _awaits_approval_of(user: User, case: Case, review: RapidReview) -> bool:
    from accounts.roles import PARTNER_DELEGATES
    from cases.policies import case_roles

    mine = case_roles(user, case) & PARTNER_DELEGATES
    latest = sign_off_state(review).latest
    return any(role not in latest or latest[role].decision != SignOffDecision.APPROVED for role in mine)


AFTER_REPLY = {
    RapidReviewDecision.NATIONAL: "The Panel decides whether to hold a national review. Follow its response.",
}

# A local review (or an alternative learning review) comes next: the local review stage says so.
LOCAL_REVIEW_NEXT = frozenset({RapidReviewDecision.LCSPR, RapidReviewDecision.ALTERNATIVE})


def _sent(user: User, case: Case) -> NextStep | None:
    review = review_on_page(case)
    reply = current_reply(review) if review is not None else None
    if review is None or reply is None:
        if can(user, CaseAction.RUN_RAPID_REVIEW, case):
            return NextStep(
                text="Waiting for the Panel's response. Record it when it comes.",
                label="Record the Panel's response",
                url=_url("rapidreviews:panel_response", case),
                covers=frozenset({"reopen_rapid_review"}),
            )
        return NextStep(text="Waiting for the Panel's response.")
    if reply.national_review or review.national_review:
        return NextStep(text="The Panel will hold a national review of this case. Help with it as the Panel asks.")
    if review.decision in LOCAL_REVIEW_NEXT:
        return None
    if review.decision in AFTER_REPLY:
        return NextStep(text=AFTER_REPLY[RapidReviewDecision(review.decision)])
    why = "Nothing more is needed under the rapid review: finish any immediate actions."
    if any(t.name == "close" for t in available_transitions(user, case)):
        return NextStep(
            text=f"{why} Then close the case.",
            label="Close the case",
            url=reverse("cases:transition", args=[case.reference, "close"]),
            covers=frozenset({"close"}),
        )
    return NextStep(text=f"{why} The review coordinator is to close the case.")
