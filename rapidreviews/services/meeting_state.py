"""Whether the rapid review meeting has been held: the steps that need it ask here."""

import datetime as dt

from django.utils import timezone

from cases.models import Case
from core.request_context import remembered, request_memo
from rapidreviews.integrations import notified_on
from rapidreviews.models import Meeting, RapidReview


class MeetingError(Exception):
    """A meeting date that cannot be right; the message is for the person."""


def meeting_date_error(case: Case, day: dt.date, label: str) -> str | None:
    """Why `day` cannot be the meeting's date (None when it can): not before the SIN."""
    sin = notified_on(case)
    if sin is not None and day < sin:
        return f"{label} must be on or after the date of the Serious Incident Notification, {sin:%-d %B %Y}"
    return None


def meeting_wait(review: RapidReview, what: str, meeting: Meeting | None = None) -> str | None:
    """Why `what` (a step that needs the meeting) must wait, and until when; None once the meeting
    has been recorded as held. The decision, sign-off, the document and the submission all ask."""
    if meeting is None and request_memo() is not None and RapidReview.meeting.is_cached(review):
        meeting = getattr(review, "meeting", None)  # a page that only reads read it with the review
    elif meeting is None:
        meeting = remembered(("meeting", review.pk), lambda: Meeting.objects.filter(review=review).first())
    if meeting is not None and meeting.held_on is not None:
        return None
    if meeting is None:
        return (
            f"{what} waits for the rapid review meeting, which has not been scheduled yet. "
            "Schedule the meeting, then record that it was held."
        )
    if meeting.date > timezone.localdate():
        return (
            f"{what} waits for the rapid review meeting on {meeting.date:%A %-d %B %Y}. "
            "Once it has taken place, record that it was held."
        )
    return (
        f"{what} waits until the rapid review meeting planned for {meeting.date:%A %-d %B %Y} is recorded "
        "as held: record that it was held, or move it to its new date."
    )
