"""Every rapid review page that shows the case leaves one read event, recorded by the door: the
pages that forgot before (check and submit, the edit pages of chronology entries, episodes and
immediate actions, the coordinator's review of a summary) included."""

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from audit.models import AuditEvent, Verb
from conftest import SignIn, World
from rapidreviews.models import ChronologyEntry, ImmediateAction, PracticeEpisode, RapidReview
from rapidreviews.services.summaries import agency_summary_submit
from rapidreviews.tests.helpers import complete, summary_of

pytestmark = pytest.mark.django_db

# These pages read 17-19 queries before their view event was recorded (more than the 15 a page
# should: the person's roles are read several times per page, which the one-shape restructuring
# addresses); recording the view in the ledger adds 6 (the actor's agency, the chain head, the
# event, the head, and the savepoint around them). They must not grow beyond that.
PAGE_QUERIES = 25


def _views(case: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=Verb.VIEW, case=case))


def test_check_and_submit_records_that_the_lead_read_the_whole_summary(
    world: World, signed_in: SignIn, asked: RapidReview, django_assert_max_num_queries: Any
) -> None:
    hospital = world.agencies["hospital"]
    complete(summary_of(asked, hospital), world.people["lead_hospital"])
    client = signed_in(world.people["lead_hospital"])
    url = reverse("rapidreviews:summary_submit", args=[asked.case.reference, hospital.pk])
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200 and "Text for learning" in response.content.decode()
    [event] = _views(asked.case)
    assert event.actor == world.people["lead_hospital"]
    assert event.details == {"page": "rapidreviews:summary_submit", "path": url, "method": "GET"}


def test_the_edit_pages_of_entries_episodes_and_actions_each_record_one_view(
    world: World, signed_in: SignIn, asked: RapidReview, django_assert_max_num_queries: Any
) -> None:
    ref, hospital = asked.case.reference, world.agencies["hospital"]
    agency_summary = summary_of(asked, hospital)
    entry = ChronologyEntry.objects.create(
        agency_summary=agency_summary, date=date(2025, 5, 1), what_happened="Seen in clinic", source="Record"
    )
    episode = PracticeEpisode.objects.create(agency_summary=agency_summary, title="Clinic visit", went_well="Quick")
    action = ImmediateAction.objects.create(
        review=asked, description="Check siblings", owner="LA", due=date(2026, 1, 1), created_by=world.people["chair"]
    )
    lead = signed_in(world.people["lead_hospital"])
    pages = [
        reverse("rapidreviews:entry_edit", args=[ref, hospital.pk, entry.pk]),
        reverse("rapidreviews:entry_new", args=[ref, hospital.pk]),
        reverse("rapidreviews:episode_edit", args=[ref, hospital.pk, episode.pk]),
        reverse("rapidreviews:episode_new", args=[ref, hospital.pk]),
        reverse("rapidreviews:summary_answers", args=[ref, hospital.pk]),
    ]
    for url in pages:
        with django_assert_max_num_queries(PAGE_QUERIES):
            assert lead.get(url).status_code == 200, url
    coordinator = signed_in(world.people["coordinator"])
    for url in (
        reverse("rapidreviews:immediate_action_edit", args=[ref, action.pk]),
        reverse("rapidreviews:immediate_action_new", args=[ref]),
    ):
        with django_assert_max_num_queries(PAGE_QUERIES):
            assert coordinator.get(url).status_code == 200, url
        pages.append(url)
    assert [e.details["path"] for e in _views(asked.case)] == pages


def test_a_review_form_sent_back_with_its_errors_is_a_read(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    hospital = world.agencies["hospital"]
    agency_summary = summary_of(asked, hospital)
    complete(agency_summary, world.people["lead_hospital"])
    agency_summary.refresh_from_db()
    agency_summary_submit(
        agency_summary=agency_summary, actor=world.people["lead_hospital"], expected_version=agency_summary.version
    )
    url = reverse("rapidreviews:summary_check", args=[asked.case.reference, hospital.pk])
    response = signed_in(world.people["coordinator"]).post(url, {"outcome": "return", "comments": ""})
    assert response.status_code == 200 and "Enter what the agency needs to change" in response.content.decode()
    [event] = _views(asked.case)
    assert event.details["method"] == "POST" and event.actor == world.people["coordinator"]


def test_a_saved_change_is_traced_by_its_own_event_not_a_view(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    hospital = world.agencies["hospital"]
    url = reverse("rapidreviews:entry_new", args=[asked.case.reference, hospital.pk])
    before = AuditEvent.objects.count()
    response = signed_in(world.people["lead_hospital"]).post(
        url,
        {
            "date_0": "1",
            "date_1": "5",
            "date_2": "2025",
            "what_happened": "Seen in clinic",
            "source": "Clinic record",
            "version": "0",
            "token": "an-invented-token",
        },
    )
    assert response.status_code == 302
    written = list(AuditEvent.objects.filter(pk__gt=before).values_list("verb", flat=True))
    assert written and Verb.VIEW not in written


def test_a_page_that_opens_the_case_twice_records_one_view(world: World, signed_in: SignIn, asked: RapidReview) -> None:
    """The workspace asks the door once for the case and once more for the review's pages."""
    signed_in(world.people["chair"]).get(reverse("rapidreviews:workspace", args=[asked.case.reference]))
    assert len(_views(asked.case)) == 1


def test_the_meeting_papers_are_a_download_and_not_also_a_view(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    response = signed_in(world.people["coordinator"]).get(reverse("rapidreviews:papers", args=[asked.case.reference]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert list(
        AuditEvent.objects.filter(case=asked.case, verb__in=[Verb.VIEW, Verb.DOWNLOAD]).values_list("verb", flat=True)
    ) == [Verb.DOWNLOAD]
