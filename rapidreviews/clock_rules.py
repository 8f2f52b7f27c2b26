"""The rapid review's deadlines: the 15 working days and the local timetable's steps inside them,
and the Panel's response after. Registered with the rapid review's stage (rapidreviews/stage.py); each
step's length is the partnership's own ClockSettings field.

The clocks start when the notification that requires a rapid review is recorded: an effect of the
`record_notification` step, so the referral stage never starts them itself.
"""

from datetime import date
from typing import Any

from accounts.models import User
from cases.models import Case
from clocks.calendar import settings_for
from clocks.models import Clock, ClockRule, RapidReviewStart
from clocks.rules import ClockRuleSpec
from clocks.services import ClockError, clocks_start

_STARTS = (
    "The Serious Incident Notification is sent (or, where the partnership chose it, the day the local "
    "authority became aware)"
)

RULES = (
    ClockRuleSpec(
        ClockRule.RAPID_REVIEW,
        "Rapid review",
        starts=_STARTS,
        ends="The rapid review is sent to the Panel",
        setting="rapid_review_days",
    ),
    ClockRuleSpec(
        ClockRule.RR_REQUESTS_OUT,
        "Information requests sent",
        starts=_STARTS,
        ends="The information requests are sent to the agencies",
        setting="rr_requests_out_day",
    ),
    ClockRuleSpec(
        ClockRule.RR_RETURNS,
        "Agency summaries",
        starts=_STARTS,
        ends=(
            "Every agency asked has sent its summary (or, when the review goes without some, the step "
            "is closed with the reason, not met)"
        ),
        setting="rr_returns_day",
    ),
    ClockRuleSpec(
        ClockRule.RR_MEETING,
        "Rapid review meeting",
        starts=_STARTS,
        ends="The coordinator records the meeting held (met on the day it was held)",
        setting="rr_meeting_day",
    ),
    ClockRuleSpec(
        ClockRule.RR_SIGN_OFF,
        "Sign-off by the safeguarding partners",
        starts=_STARTS,
        ends="The three safeguarding partners have signed the rapid review off",
        setting="rr_sign_off_day",
    ),
    ClockRuleSpec(
        ClockRule.RR_SUBMISSION,
        "Rapid review sent to the Panel",
        starts=_STARTS,
        ends="The submission to the Panel is recorded",
        setting="rr_submission_day",
    ),
    ClockRuleSpec(
        ClockRule.PANEL_RESPONSE,
        "Panel's response expected",
        starts="The rapid review is sent to the Panel",
        ends="The Panel's response is recorded",
        setting="panel_reply_days",
        informational=True,
    ),
)

# The 15 working days and each step of the local timetable, started together.
TIMETABLE = [
    ClockRule.RAPID_REVIEW,
    ClockRule.RR_REQUESTS_OUT,
    ClockRule.RR_RETURNS,
    ClockRule.RR_MEETING,
    ClockRule.RR_SIGN_OFF,
    ClockRule.RR_SUBMISSION,
]


def rapid_review_clocks_start(
    *, case: Case, sin_submitted_on: date | None, la_aware_on: date | None, actor: User | None, owner: Any = None
) -> list[Clock]:
    """Start the rapid review's 15-working-day clock and each step of the local timetable, from the
    SIN submission date or (if the partnership chose it) the date the LA became aware."""
    choice = settings_for(case.partnership_id).rapid_review_start
    start = la_aware_on if choice == RapidReviewStart.LA_AWARE else sin_submitted_on
    start = start or sin_submitted_on or la_aware_on
    if start is None:
        raise ClockError("Enter the date the Serious Incident Notification was sent")
    return clocks_start(case=case, rules=list(TIMETABLE), start_date=start, actor=actor, owner=owner)


def clocks_start_on_notification(*, case: Case, actor: User, context: dict[str, Any]) -> None:
    """The effect of recording the first notification: where it requires a rapid review, the
    review's clocks start from the day it was sent."""
    if context.get("rapid_review_required"):
        rapid_review_clocks_start(
            case=case,
            sin_submitted_on=context.get("notified_on"),
            la_aware_on=context.get("la_aware_on"),
            actor=actor,
        )
