"""Helpers shared by the rapid review's tests."""

from datetime import date
from typing import Any

from conftest import World
from rapidreviews.models import AgencySummary, RapidReview
from rapidreviews.sections import RETURN_FIELDS
from rapidreviews.services.summaries import agency_summary_save, practice_episode_save

# Why a review in these tests goes to the Panel before every agency asked has sent its summary.
NOT_ALL_IN = "Not every agency answered in time; the Panel's deadline could not move."


def complete(agency_summary: AgencySummary, actor: Any) -> None:
    fields: dict[str, Any] = {f: f"Text for {f}" for f in RETURN_FIELDS}
    fields["period_start"], fields["period_end"] = date(2025, 1, 1), date(2025, 12, 1)
    agency_summary_save(
        agency_summary=agency_summary, actor=actor, expected_version=agency_summary.version, fields=fields
    )
    practice_episode_save(
        agency_summary=agency_summary,
        actor=actor,
        episode=None,
        expected_version=0,
        title="Home visit",
        on=None,
        went_well="Seen promptly",
        could_differ="",
    )


def summary_of(review: RapidReview, agency: Any) -> AgencySummary:
    return AgencySummary.objects.get(request__review=review, request__agency=agency)


def all_three_approve(world: World, review: RapidReview) -> None:
    """The three partner delegates each approve the rapid review."""
    from accounts.roles import Role
    from rapidreviews.models import SignOffDecision
    from rapidreviews.services.signoff import sign_off_record

    for key, role in (
        ("delegate_la", Role.DELEGATE_LA),
        ("delegate_icb", Role.DELEGATE_ICB),
        ("delegate_police", Role.DELEGATE_POLICE),
    ):
        sign_off_record(review=review, actor=world.people[key], role=role, decision=SignOffDecision.APPROVED)


def panel_challenges_the_decision(world: World, review: RapidReview, summary: str = "Reconsider.") -> RapidReview:
    """The Panel's response, today: it challenges the decision, which reopens."""
    from django.utils import timezone

    from rapidreviews.models import PanelResponseKind
    from rapidreviews.services.submission import panel_response_record

    panel_response_record(
        review=review,
        actor=world.people["coordinator"],
        received_on=timezone.localdate(),
        kind=PanelResponseKind.CHALLENGES,
        said=summary,
        reopen=["decision"],
    )
    review.refresh_from_db()
    return review


def hold_meeting(world: World, review: RapidReview, on: Any = None) -> None:
    """The meeting scheduled (for `on`, default today) and recorded as held on that day, as the
    decision, sign-off, document and submission need; a meeting already held is left as it is."""
    from datetime import time

    from django.utils import timezone

    from rapidreviews.models import Meeting
    from rapidreviews.services.meeting import meeting_held_record, meeting_schedule

    meeting = Meeting.objects.filter(review=review).first()
    if meeting is not None and meeting.held_on is not None:
        return
    day = on or timezone.localdate()
    coordinator = world.people["coordinator"]
    if meeting is None or meeting.date != day:
        meeting_schedule(
            review=review,
            actor=coordinator,
            date=day,
            start_time=time(10, 0),
            duration_minutes=90,
            place="Room 3, Civic Centre",
            online_link="",
            members=[world.people["delegate_la"]],
        )
    meeting_held_record(review=review, actor=coordinator, held_on=day)
