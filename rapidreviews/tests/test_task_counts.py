"""The workspace's task list counts only this review's chronology entries and document versions,
and sees a criterion considered at the meeting, however many other cases there are."""

from datetime import date
from typing import Any

import pytest

from core.tests.busy_world import reviewed_case
from documents.models import Document
from rapidreviews.models import ChronologyEntry, Regulation11Criterion
from rapidreviews.sections import TaskStatus
from rapidreviews.services.document import TOPIC
from rapidreviews.task_list import review_tasks
from rapidreviews.tests.helpers import summary_of

pytestmark = pytest.mark.django_db


def document(case: Any, topic: str, n: int) -> Document:
    return Document.objects.create(
        case=case,
        title=f"Version {n}",
        original_name=f"v{n}.pdf",
        storage_key=f"key-{case.pk}-{topic}-{n}",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        topic=topic,
    )


def statuses(review: Any) -> dict[str, str]:
    return {task.title: task.status for task in review_tasks(review)}


def test_the_task_list_counts_this_reviews_entries_and_versions_and_sees_its_criteria(world: Any) -> None:
    review, other = reviewed_case(world, 0), reviewed_case(world, 2)
    before = statuses(review)
    assert before["Rapid review document"] == TaskStatus.NOT_STARTED
    assert before["Decision"] == TaskStatus.NOT_STARTED

    for n in range(2):
        document(review.case, TOPIC, n)
    document(review.case, "", 9)  # another topic of the same case
    document(other.case, TOPIC, 0)  # another case's review
    Regulation11Criterion.objects.create(review=review, criterion="a", answer="met")
    for reviewed, agencies in ((review, ("hospital", "school")), (other, ("hospital",))):
        for agency in agencies:
            for day in (3, 4):
                ChronologyEntry.objects.create(
                    agency_summary=summary_of(reviewed, world.agencies[agency]),
                    date=date(2026, 1, day),
                    what_happened="A visit",
                    source="Case note",
                )

    after = statuses(review)
    assert after["Merged chronology"] == "4 entries"
    assert after["Rapid review document"] == "2 versions"
    assert after["Decision"] == TaskStatus.IN_PROGRESS
    assert statuses(other)["Rapid review document"] == "1 version"


def test_the_workspace_shows_the_counts_it_reads_with_the_case(world: Any, signed_in: Any) -> None:
    review = reviewed_case(world, 0)
    document(review.case, TOPIC, 0)
    Regulation11Criterion.objects.create(review=review, criterion="b", answer="unsure")
    for day in (3, 4, 5):
        ChronologyEntry.objects.create(
            agency_summary=summary_of(review, world.agencies["school"]),
            date=date(2026, 1, day),
            what_happened="A visit",
            source="Case note",
        )
    body = signed_in(world.people["coordinator"]).get(f"/rapid-reviews/{review.case.reference}/").content.decode()
    assert "3 entries" in body and "1 version<" in body.replace("\n", "").replace(" <", "<")
