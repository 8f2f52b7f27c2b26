"""The national reviews' pages: the case page's section, recording and linking a review, the scope
and the report with their version checks, the contributions; GOV.UK errors, 404 for a review or a
case a person may not see, and each page within the budget of queries."""

import html
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent, Verb
from cases.models import Case, CaseState
from conftest import SignIn, World
from core.tests.queries import data_queries, max_page_queries
from nationalreviews.models import Contribution, NationalReview, NationalReviewKind, NationalReviewStatus
from nationalreviews.services import national_review_start
from nationalreviews.tests.test_services import second_north_case, thematic
from rapidreviews.models import RapidReview

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def panel_said_so(world: World) -> Case:
    """The rapid review is with the Panel, which said it will hold a national review."""
    case = world.cases["north"]
    Case.objects.filter(pk=case.pk).update(state=CaseState.RAPID_REVIEW_SUBMITTED)
    RapidReview.objects.create(case=case, started_by=world.people["coordinator"], national_review=True)
    case.refresh_from_db()
    return case


def test_the_case_page_offers_to_record_the_national_review_the_panel_said_it_will_hold(
    world: World, signed_in: SignIn
) -> None:
    case = world.cases["north"]
    coordinator = signed_in(world.people["coordinator"])
    assert "National review" not in text(coordinator.get(f"/cases/{case.reference}/")), "nothing said, nothing linked"
    panel_said_so(world)
    with max_page_queries():
        body = text(coordinator.get(f"/cases/{case.reference}/"))
    assert "The Panel said it will hold a national review of this case. Nothing about it is recorded yet." in body
    assert f'href="/national-reviews/{case.reference}/">Record the national review' in body
    delegate = text(signed_in(world.people["delegate_la"]).get(f"/cases/{case.reference}/"))
    assert "Nothing about it is recorded yet." in delegate
    assert "Record the national review" not in delegate, "the coordinator records it"


def test_the_coordinator_records_a_national_review_from_the_case(world: World, signed_in: SignIn) -> None:
    case = panel_said_so(world)
    coordinator = signed_in(world.people["coordinator"])
    url = f"/national-reviews/{case.reference}/new/"
    body = text(coordinator.post(url, {"title": "", "panel_reference": "x" * 101}))
    assert "govuk-error-summary" in body
    assert 'href="#id_title">Enter the name of the national review' in body
    assert 'href="#id_kind_0">Select what kind of national review it is' in body
    assert "The Panel's reference must be 100 characters or fewer" in body
    assert not NationalReview.objects.exists()
    response = coordinator.post(url, {"title": "Child A", "kind": NationalReviewKind.CASE, "panel_reference": "NR-1"})
    assert response.status_code == 302 and response["Location"] == f"/national-reviews/{case.reference}/"
    review = NationalReview.objects.get()
    assert list(review.links.values_list("case", flat=True)) == [case.pk]
    with max_page_queries():
        body = text(coordinator.get(f"/cases/{case.reference}/"))
    assert f'href="/national-reviews/{case.reference}/">Child A</a>' in body
    assert "A national review of this case." in body and "Scope being agreed with the Panel" in body
    with max_page_queries():
        body = text(coordinator.get(f"/national-reviews/{case.reference}/"))
    assert "The Panel said it will hold a national review of this case." in body
    assert f"/national-reviews/{case.reference}/{review.pk}/scope/" in body


def scope_data(version: int | str, **changes: Any) -> dict[str, Any]:
    return {
        "version": version,
        "title": "Infants and men in the household",
        "panel_reference": "NR-7",
        "scope": "Injuries to infants by male carers",
        "methodology": "Case file analysis",
        "scope_agreed_on_0": "2",
        "scope_agreed_on_1": "3",
        "scope_agreed_on_2": "2026",
        "report_expected_on_0": "",
        "report_expected_on_1": "",
        "report_expected_on_2": "",
        **changes,
    }


def test_the_scope_is_agreed_and_a_save_from_a_stale_page_keeps_the_text_and_shows_what_is_saved(
    world: World, signed_in: SignIn
) -> None:
    review = thematic(world)
    case = world.cases["north"]
    url = f"/national-reviews/{case.reference}/{review.pk}/scope/"
    coordinator = signed_in(world.people["coordinator"])
    with max_page_queries():
        assert coordinator.get(url).status_code == 200
    body = text(
        coordinator.post(
            url,
            scope_data(0, scope="", report_expected_on_0="1", report_expected_on_1="1", report_expected_on_2="2026"),
        )
    )
    assert 'href="#id_scope">Enter the scope agreed with the Panel' in body
    assert "Date the national report is expected must be on or after 2 March 2026, when the scope was agreed" in body
    assert coordinator.post(url, scope_data(0)).status_code == 302
    review.refresh_from_db()
    assert (review.status, review.version) == (NationalReviewStatus.UNDER_WAY, 1)
    body = text(coordinator.post(url, scope_data(0, scope="My own words on the scope")))
    assert "Someone else saved this national review while you were working on it" in body
    assert "What is saved now" in body and "Injuries to infants by male carers" in body
    assert "My own words on the scope" in body
    assert 'name="version" value="1"' in body, "the next save knowingly replaces what is saved"
    review.refresh_from_db()
    assert review.scope == "Injuries to infants by male carers"
    body = text(coordinator.post(url, scope_data("99999999999999999999")))
    assert "or the page was opened too long ago" in body


def test_a_thematic_reviews_record_reads_on_every_linked_case_but_each_case_keeps_its_contributions(
    world: World, signed_in: SignIn
) -> None:
    review = thematic(world)
    case, other = world.cases["north"], second_north_case(world)
    coordinator = signed_in(world.people["coordinator"])
    link_url = f"/national-reviews/{other.reference}/link/"
    body = text(coordinator.post(link_url, {}))
    assert 'href="#id_review_0">Select the thematic national review this case is part of' in body
    assert coordinator.post(link_url, {"review": review.pk}).status_code == 302
    assert "takes part in no thematic national review" in text(coordinator.get(link_url))
    add_url = f"/national-reviews/{case.reference}/{review.pk}/contributions/new/"
    body = text(coordinator.post(add_url, {"on_0": "1", "on_1": "13", "on_2": "2026"}))
    assert "Date of the contribution must be a real date" in body
    assert "Enter what was sent or attended" in body
    today = timezone.localdate()
    form = {"on_0": today.day, "on_1": today.month, "on_2": today.year, "kind": "sent", "by_whom": "Coordinator"}
    form |= {"what": "The merged chronology", "token": "t1"}
    assert coordinator.post(add_url, form).status_code == 302
    assert coordinator.post(add_url, form).status_code == 302, "sent twice"
    assert Contribution.objects.count() == 1
    coordinator.post(
        f"/national-reviews/{case.reference}/{review.pk}/report/",
        {
            "version": 0,
            "report_published_on_0": today.day,
            "report_published_on_1": today.month,
            "report_published_on_2": today.year,
            "report_url": "https://www.gov.uk/report",
            "report_learning": "See fathers",
        },
    )
    delegate = signed_in(world.people["delegate_la"])
    with max_page_queries():
        mine = text(delegate.get(f"/national-reviews/{case.reference}/"))
    theirs = text(delegate.get(f"/national-reviews/{other.reference}/"))
    for body in (mine, theirs):
        assert "National report published" in body and 'href="https://www.gov.uk/report"' in body
        assert "Change the scope" not in body, "partners read; the coordinator records"
    assert "The merged chronology" in mine
    assert "The merged chronology" not in theirs and "None recorded yet." in theirs
    reads = AuditEvent.objects.filter(case=other, verb=Verb.VIEW).count()
    assert reads >= 1


def test_nobody_reaches_a_review_through_a_case_it_is_not_linked_to_or_a_case_they_cannot_see(
    world: World, signed_in: SignIn, client: Client
) -> None:
    review = thematic(world)
    south = national_review_start(
        case=world.cases["south"], actor=world.people["south_coordinator"], title="South", kind=NationalReviewKind.CASE
    )
    north = world.cases["north"]
    coordinator = signed_in(world.people["coordinator"])
    for url in (
        f"/national-reviews/{north.reference}/{south.pk}/scope/",
        f"/national-reviews/{north.reference}/{south.pk}/contributions/new/",
        f"/national-reviews/{north.reference}/{south.pk}/report/",
    ):
        assert coordinator.get(url).status_code == 404
    other = second_north_case(world)
    assert coordinator.get(f"/national-reviews/{other.reference}/{review.pk}/scope/").status_code == 404, "not linked"
    south_coordinator = signed_in(world.people["south_coordinator"])
    assert south_coordinator.get(f"/national-reviews/{north.reference}/").status_code == 404
    assert south_coordinator.get(f"/national-reviews/{north.reference}/{review.pk}/report/").status_code == 404
    response = south_coordinator.post(f"/national-reviews/{other.reference}/link/", {"review": review.pk})
    assert response.status_code == 404
    assert signed_in(world.people["practitioner"]).get(f"/national-reviews/{north.reference}/").status_code == 403


def test_a_report_needs_its_date_and_a_real_web_address(world: World, signed_in: SignIn) -> None:
    review = thematic(world)
    url = f"/national-reviews/{world.cases['north'].reference}/{review.pk}/report/"
    body = text(signed_in(world.people["coordinator"]).post(url, {"version": 0, "report_url": "not a link at all"}))
    assert 'href="#id_report_published_on_0">Enter the date the national report was published' in body
    assert "Enter the link to the national report as a web address" in body
    review.refresh_from_db()
    assert review.status == NationalReviewStatus.SCOPING


def test_the_case_page_reads_its_national_reviews_with_the_case(world: World, signed_in: SignIn) -> None:
    case = world.cases["north"]
    delegate = signed_in(world.people["delegate_la"])
    with max_page_queries() as none:
        delegate.get(f"/cases/{case.reference}/")
    thematic(world)
    with max_page_queries() as one:
        body = text(delegate.get(f"/cases/{case.reference}/"))
    before, after = data_queries(none.captured_queries), data_queries(one.captured_queries)
    assert len(after) <= len(before), "the review comes with the case:\n" + "\n".join(after)
    assert ">Infants and men in the household</a>" in body
    assert "A thematic national review spanning several cases." in body
    national_review_start(case=case, actor=world.people["coordinator"], title="Child A", kind=NationalReviewKind.CASE)
    with max_page_queries():
        body = text(delegate.get(f"/cases/{case.reference}/"))
    assert ">Infants and men in the household</a>" in body and ">Child A</a>" in body
