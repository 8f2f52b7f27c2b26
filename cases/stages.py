"""Each stage in words, for the case page: where the case is and what happens next."""

from typing import Any

from cases import stage_registry
from cases.models import CaseState

STAGE_TEXT: dict[str, str] = {
    CaseState.DRAFT: "The referral is being written.",
    CaseState.REFERRED: "Referred. The safeguarding partners are deciding whether the local authority must notify the Panel.",
    CaseState.NOT_NOTIFIED: "The partners decided not to notify the Panel.",
    CaseState.TO_NOTIFY: "The partners decided to notify. The local authority notifier is to submit the Serious Incident Notification.",
    CaseState.NOTIFIED: "Notified. The rapid review is to start.",
    CaseState.RAPID_REVIEW: "The rapid review is under way.",
    CaseState.RAPID_REVIEW_SUBMITTED: "The rapid review has been sent to the Panel. Waiting for the Panel's reply.",
    CaseState.CLOSED: "Closed.",
}


def stage_text(case: Any) -> str:
    """A stage that knows more (the rapid review's decision, the Panel's reply) carries a `stage_text`
    provider: provider(case) -> the words, or None to leave it to the next."""
    for provider in stage_registry.stage_texts():
        text = provider(case)
        if text:
            return text
    return STAGE_TEXT.get(case.state, "")
