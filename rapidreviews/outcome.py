"""The outcome of a rapid review in words: where the case stands (the case page's and the
referrer's stage text) and what the people told the outcome read, including what happens next."""

from typing import Any

from django.utils import timezone

from cases.models import Case, CaseState
from core.request_context import remembered
from rapidreviews.models import PanelResponse, RapidReview, RapidReviewDecision
from rapidreviews.selectors import review_on_page

NEXT_STEPS = {
    RapidReviewDecision.LCSPR: "The safeguarding partners will commission a local child safeguarding practice review. "
    "The business unit will tell your agency what it is asked to do.",
    RapidReviewDecision.NO_LCSPR: "There will be no further review: the learning identified is shared and acted on "
    "through the partnership.",
    RapidReviewDecision.ALTERNATIVE: "The business unit will arrange the learning review and tell your agency what it is "
    "asked to do.",
    RapidReviewDecision.NATIONAL: "The Panel decides whether to hold a national review. You will hear when it replies.",
    RapidReviewDecision.CRITERIA_NOT_MET: "No further review of this case will take place under the rapid review arrangements.",
}


def _d(value: Any) -> str:
    return f"{value:%-d %B %Y}"


PLAIN_DECISIONS = {
    RapidReviewDecision.LCSPR: "to hold a local child safeguarding practice review (LCSPR)",
    RapidReviewDecision.NO_LCSPR: "no further review: the learning is captured in the rapid review and acted on",
    RapidReviewDecision.ALTERNATIVE: "to hold another kind of learning review",
    RapidReviewDecision.NATIONAL: "to suggest to the Panel that it holds a national review",
    RapidReviewDecision.CRITERIA_NOT_MET: "that the serious incident criteria were not met after all",
}


def decision_text(review: RapidReview) -> str:
    """The decision in words anyone can read (the referrer too), not the form's short labels."""
    text = (
        PLAIN_DECISIONS.get(RapidReviewDecision(review.decision), "")
        if review.decision in RapidReviewDecision.values
        else ""
    )
    text = text or str(review.get_decision_display())
    if review.decision == RapidReviewDecision.ALTERNATIVE and review.alternative_review_type:
        text += f" ({review.alternative_review_type})"
    return text


def latest_response(review: RapidReview) -> PanelResponse | None:
    """The Panel's latest reply (once per review for a page that only reads)."""
    return remembered(
        ("latest_response", review.pk), lambda: review.panel_responses.order_by("-received_on", "-id").first()
    )


def current_reply(review: RapidReview) -> PanelResponse | None:
    """The Panel's response to the rapid review as last sent: one recorded before a later sending (a
    review sent again after a challenge) answered an earlier version."""
    if review.submitted_at is None:
        return None
    return review.panel_responses.filter(recorded_at__gte=review.submitted_at).order_by("-received_on", "-id").first()


def reopened_text(response: PanelResponse) -> str:
    from rapidreviews.services.submission import REOPENABLE

    words = {"returns": "the agencies' summaries", "meeting": "the meeting record", "decision": "the decision"}
    parts = [words.get(t, REOPENABLE[t].lower()) for t in response.reopened_tasks if t in REOPENABLE]
    parts = parts or ["parts of the rapid review"]
    if "sign_off" in response.reopened_tasks:
        parts = [p for p in parts if p != "sign-off"] + ["the partners' sign-off"]
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


def rapid_review_stage(case: Case) -> str | None:
    """Where the case stands once its rapid review has been decided or sent, with the Panel's response."""
    if case.state not in (CaseState.RAPID_REVIEW, CaseState.RAPID_REVIEW_SUBMITTED, CaseState.CLOSED):
        return None
    review = review_on_page(case)
    if review is None:
        return None
    response = latest_response(review)
    if case.state == CaseState.RAPID_REVIEW:
        if response is None or not response.reopened_tasks:
            return None
        return (
            f"The rapid review is under way again. On {_d(response.received_on)} the Panel responded: "
            f"{response.get_kind_display().lower()}, and asked for more work on {reopened_text(response)}. "
            "It goes to the Panel again once the partners have signed it off."
            + (" The Panel will also hold a national review of this case." if response.national_review else "")
        )
    if not review.decision:
        return None
    response = current_reply(review)
    sent = timezone.localdate(review.submitted_at) if review.submitted_at else None
    on = f" on {_d(sent)}" if sent else ""
    if review.decision == RapidReviewDecision.CRITERIA_NOT_MET:
        return (
            "Closed. The safeguarding partners decided that the serious incident criteria were not met after "
            f"all, so no further review will take place; the Panel was told{on}."
        )
    text = f"The rapid review was sent to the Panel{on} with the partners' decision: {decision_text(review)}."
    if response is None:
        text += " Waiting for the Panel's response."
    else:
        text += f" On {_d(response.received_on)} the Panel responded: {response.get_kind_display().lower()}"
        text += ", and that it will hold a national review of this case." if response.national_review else "."
    return ("Closed. " + text) if case.state == CaseState.CLOSED else text


def outcome_message(review: RapidReview, *, referrer: bool) -> str:
    """The body of the outcome email (and in-service message) to an agency's lead or the referrer."""
    case = review.case
    if review.decision == RapidReviewDecision.CRITERIA_NOT_MET:
        told = (
            f"The safeguarding partners have decided that the serious incident of {case.reference} ({case.title}) "
            "did not meet the serious incident criteria after all, so no further review will take place. The "
            "Child Safeguarding Practice Review "
            "Panel has been told."
        )
    else:
        told = (
            f"The rapid review of {case.reference} ({case.title}) has been sent to the Child Safeguarding "
            f"Practice Review Panel.\n\nThe safeguarding partners' decision: {decision_text(review)}."
        )
    thanks = (
        "Thank you for referring this incident." if referrer else "Thank you for your agency's summary and chronology."
    )
    learning = f"\n\nLearning identified:\n{review.learning}" if review.learning else ""
    next_steps = (
        NEXT_STEPS.get(RapidReviewDecision(review.decision), "")
        if review.decision in RapidReviewDecision.values
        else ""
    )
    return f"{told}{learning}\n\nWhat happens next: {next_steps}\n\n{thanks}"
