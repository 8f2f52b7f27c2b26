"""The rapid review: one per notified case, with its agency returns, meeting, decision and sign-off."""

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
from rapidreviews.models.returns import (
    OUTSTANDING_STATUSES,
    AgencyReturn,
    ChronologyDuplicateCheck,
    ChronologyEntry,
    DuplicateOutcome,
    InformationRequest,
    PracticeEpisode,
    ReturnEvent,
    ReturnStatus,
)
from rapidreviews.models.review import RapidReview, RapidReviewDecision, Theme

__all__ = [
    "OUTSTANDING_STATUSES",
    "AgencyReturn",
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
    "ReturnEvent",
    "ReturnStatus",
    "SignOff",
    "SignOffDecision",
    "Theme",
]
