"""Helpers shared by the rapid review's tests."""

from datetime import date
from typing import Any

from rapidreviews.models import AgencyReturn, RapidReview
from rapidreviews.sections import RETURN_FIELDS
from rapidreviews.services.returns import agency_return_save, practice_episode_save


def complete(agency_return: AgencyReturn, actor: Any) -> None:
    fields: dict[str, Any] = {f: f"Text for {f}" for f in RETURN_FIELDS}
    fields["period_start"], fields["period_end"] = date(2025, 1, 1), date(2025, 12, 1)
    agency_return_save(agency_return=agency_return, actor=actor, expected_version=agency_return.version, fields=fields)
    practice_episode_save(
        agency_return=agency_return,
        actor=actor,
        episode=None,
        expected_version=0,
        title="Home visit",
        on=None,
        went_well="Seen promptly",
        could_differ="",
    )


def return_of(review: RapidReview, agency: Any) -> AgencyReturn:
    return AgencyReturn.objects.get(request__review=review, request__agency=agency)
