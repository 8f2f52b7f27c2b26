"""The coordinator checks the merged chronology's possible duplicates: different events (a reason
is required, and recorded) lose the mark; the same event is shown as one event recorded by both."""

from datetime import date
from typing import Any

import pytest

from audit.models import AuditEvent
from conftest import SignIn, World
from rapidreviews.chronology import chronology_for
from rapidreviews.exports import chronology_csv
from rapidreviews.models import ChronologyDuplicateCheck, DuplicateOutcome, RapidReview
from rapidreviews.tests.test_chronology import add

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(world: World, asked: RapidReview) -> RapidReview:
    """The hospital and the school each record a bruise seen at A&E on the same day."""
    h, s = world.agencies["hospital"], world.agencies["school"]
    add(asked, h, world.people["lead_hospital"], date(2025, 6, 1), "Child seen in A&E with a bruise to the cheek")
    add(asked, s, world.people["lead_school"], date(2025, 6, 1), "Child seen in A and E with bruise to cheek")
    add(asked, s, world.people["lead_school"], date(2025, 1, 10), "Attendance meeting with mother")
    return asked


def pair_url(review: RapidReview, chronology: Any) -> str:
    marked = [row for row in chronology.rows if row.duplicate_of]
    assert len(marked) == 2
    a, b = sorted(row.entry.pk for row in marked)
    return f"/rapid-reviews/{review.case.reference}/chronology/duplicates/{a}/{b}/"


def test_the_coordinator_dismisses_a_possible_duplicate_with_a_reason(
    world: World, signed_in: SignIn, entries: RapidReview
) -> None:
    coordinator = world.people["coordinator"]
    url = pair_url(entries, chronology_for(coordinator, entries))
    client = signed_in(coordinator)
    page = client.get(f"/rapid-reviews/{entries.case.reference}/chronology/").content.decode()
    assert f'href="{url}"' in page and "Say whether this is the same event" in page

    refused = client.post(url, {"outcome": "not_same", "reason": ""})
    assert refused.status_code == 200 and "Enter why they are different events" in refused.content.decode()
    assert not ChronologyDuplicateCheck.objects.exists()

    reason = "The school's entry is about a sibling seen the same day"
    assert client.post(url, {"outcome": "not_same", "reason": reason}).status_code == 302
    check = ChronologyDuplicateCheck.objects.get()
    assert (check.outcome, check.reason, check.review) == (DuplicateOutcome.NOT_SAME, reason, entries)
    chronology = chronology_for(coordinator, entries)
    assert chronology.duplicate_count == 0
    page = client.get(f"/rapid-reviews/{entries.case.reference}/chronology/").content.decode()
    assert "Possible duplicate</strong>" not in page and "0 possible duplicates" in page
    event = AuditEvent.objects.get(case=entries.case, target_type="rapidreviews.chronologyduplicatecheck")
    assert event.details["reason"] == reason and event.details["outcome"] == "not_same"


def test_the_same_event_is_shown_as_recorded_by_both_agencies_in_the_page_and_the_downloads(
    world: World, signed_in: SignIn, entries: RapidReview
) -> None:
    coordinator = world.people["coordinator"]
    url = pair_url(entries, chronology_for(coordinator, entries))
    client = signed_in(coordinator)
    assert client.post(url, {"outcome": "same", "reason": ""}).status_code == 302
    chronology = chronology_for(coordinator, entries)
    assert chronology.duplicate_count == 0
    same = {row.agency: row.same_text for row in chronology.rows if row.same_as}
    hospital, school = world.agencies["hospital"].name, world.agencies["school"].name
    assert same == {hospital: school, school: hospital}
    page = client.get(f"/rapid-reviews/{entries.case.reference}/chronology/").content.decode()
    assert "Same event</strong>" in page
    assert f"also recorded by {school}".replace("'", "&#x27;") in page
    assert school in chronology_csv(chronology).decode("utf-8-sig").splitlines()[1]


def test_only_the_coordinator_checks_duplicates_and_only_entries_of_this_review(
    world: World, signed_in: SignIn, entries: RapidReview
) -> None:
    url = pair_url(entries, chronology_for(world.people["coordinator"], entries))
    assert signed_in(world.people["lead_school"]).get(url).status_code == 403
    assert signed_in(world.people["delegate_la"]).get(url).status_code == 403
    page = signed_in(world.people["lead_school"]).get(f"/rapid-reviews/{entries.case.reference}/chronology/")
    assert "Say whether this is the same event" not in page.content.decode()
    client = signed_in(world.people["coordinator"])
    assert client.get(url.replace("/duplicates/", "/duplicates/999").rstrip("/") + "/").status_code == 404
    first = url.rstrip("/").split("/")[-2]
    assert (
        client.get(f"/rapid-reviews/{entries.case.reference}/chronology/duplicates/{first}/{first}/").status_code == 404
    )
    assert client.post(url, {"outcome": "perhaps"}).status_code == 200
    assert not ChronologyDuplicateCheck.objects.exists()
