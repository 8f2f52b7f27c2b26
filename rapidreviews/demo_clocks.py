"""Helpers for the rapid reviews behind the clocks demo (demo/deadlines.py: deadlines in every status).

The services stamp each step with the moment it is recorded, which in the demo is the moment of
seeding. These move the stamps back to the days the cases' clocks say the steps were done (same
time of day, same order), so a review's pages and its clocks tell one story. Every name is made up.
"""

from datetime import date, timedelta
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from accounts.models import User
from documents.models import Document
from rapidreviews.models import AgencySummary, InformationRequest, Meeting, RapidReview, SignOff, SummaryEvent
from rapidreviews.services.meeting import meeting_schedule


def _move(rows: QuerySet[Any], field: str, day: date) -> None:
    """Stamps made today in `field` fall on `day` instead."""
    back = timedelta(days=(timezone.localdate() - day).days)
    rows.filter(**{f"{field}__isnull": False}).update(**{field: F(field) - back})


def review_dated(
    review: RapidReview,
    *,
    requests: date,
    returns: date | None = None,
    invited: date | None = None,
    decided: date | None = None,
    signed: date | None = None,
    submitted: date | None = None,
) -> None:
    """Dates the review's steps: started and requests sent; returns submitted, reviewed and shared;
    meeting invitations (default: with the summaries); decision; sign-off and document; submission.
    A decision must be dated before its sign-offs, or they would no longer count."""
    this = RapidReview.objects.filter(pk=review.pk)
    _move(this, "started_at", requests)
    _move(InformationRequest.objects.filter(review=review), "sent_at", requests)
    if returns:
        _move(AgencySummary.objects.filter(request__review=review), "submitted_at", returns)
        _move(SummaryEvent.objects.filter(agency_summary__request__review=review), "at", returns)
        _move(this, "summaries_shared_at", returns)
    invitations = invited or returns
    if invitations:
        _move(Meeting.objects.filter(review=review), "invitations_sent_at", invitations)
    if decided:
        _move(this, "decided_at", decided)
    if signed:
        _move(SignOff.objects.filter(review=review), "at", signed)
        _move(Document.objects.filter(case=review.case, title__startswith="Rapid review"), "created_at", signed)
    if submitted:
        _move(this, "submitted_at", submitted)
    review.refresh_from_db()


def meeting_move(review: RapidReview, *, actor: User, day: date) -> None:
    """Moves the scheduled meeting to `day`, same time, place and members (invitations sent again)."""
    meeting = Meeting.objects.get(review=review)
    meeting_schedule(
        review=review,
        actor=actor,
        date=day,
        start_time=meeting.start_time,
        duration_minutes=meeting.duration_minutes,
        place=meeting.place,
        online_link=meeting.online_link,
        members=list(meeting.members.all()),
    )
