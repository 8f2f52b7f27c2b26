"""The rapid review: one per notified case, with its agency summaries, meeting, decision and sign-off."""

from rapidreviews.models.imports import ChronologyImport
from rapidreviews.models.meeting import Meeting
from rapidreviews.models.outcome import (
    ImmediateAction,
    ImmediateActionStatus,
    PanelResponse,
    PanelResponseKind,
    Regulation11Criterion,
    SignOff,
    SignOffDecision,
)
from rapidreviews.models.review import RapidReview, RapidReviewDecision, Theme
from rapidreviews.models.summaries import (
    OUTSTANDING_STATUSES,
    AgencySummary,
    ChronologyDuplicateCheck,
    ChronologyEntry,
    DuplicateOutcome,
    InformationRequest,
    PracticeEpisode,
    SummaryEvent,
    SummaryStatus,
)

__all__ = [
    "OUTSTANDING_STATUSES",
    "AgencySummary",
    "ChronologyDuplicateCheck",
    "ChronologyEntry",
    "ChronologyImport",
    "DuplicateOutcome",
    "ImmediateAction",
    "ImmediateActionStatus",
    "InformationRequest",
    "Meeting",
    "PanelResponse",
    "PanelResponseKind",
    "PracticeEpisode",
    "RapidReview",
    "RapidReviewDecision",
    "Regulation11Criterion",
    "SignOff",
    "SignOffDecision",
    "SummaryEvent",
    "SummaryStatus",
    "Theme",
]
