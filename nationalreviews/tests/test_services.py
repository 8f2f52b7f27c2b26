"""The national reviews' records: a case-specific or thematic review linked to cases of one
partnership, its scope saved only over the version seen, its report, the contributions per case,
each change one audit event."""

from datetime import date
from typing import Any

import pytest

from audit.models import AuditEvent, Verb
from cases.models import Case, CaseState
from conftest import World
from documents.models import Document
from nationalreviews.models import (
    Contribution,
    ContributionKind,
    NationalReview,
    NationalReviewCase,
    NationalReviewKind,
    NationalReviewStatus,
)
from nationalreviews.services import (
    NationalReviewConflict,
    NationalReviewError,
    contribution_add,
    national_review_link,
    national_review_report_record,
    national_review_scope_save,
    national_review_start,
    thematic_reviews_to_link,
)

pytestmark = pytest.mark.django_db


def second_north_case(world: World) -> Case:
    return Case.objects.create(
        reference="NSCP-2026-002",
        partnership=world.north,
        title="Child B",
        state=CaseState.RAPID_REVIEW_SUBMITTED,
        referring_agency=world.agencies["police"],
    )


def thematic(world: World, case: Case | None = None) -> NationalReview:
    return national_review_start(
        case=case or world.cases["north"],
        actor=world.people["coordinator"],
        title="Infants and men in the household",
        kind=NationalReviewKind.THEMATIC,
        panel_reference="NR-7",
    )


def test_recording_a_national_review_links_the_case_and_is_audited(world: World) -> None:
    review = thematic(world)
    assert (review.partnership, review.status, review.version) == (world.north, NationalReviewStatus.SCOPING, 0)
    assert list(NationalReviewCase.objects.values_list("case_id", flat=True)) == [world.cases["north"].pk]
    event = AuditEvent.objects.get(target_type="nationalreviews.nationalreview", verb=Verb.CREATE)
    assert event.case_id == world.cases["north"].pk
    assert event.details == {
        "summary": "National review recorded: Infants and men in the household",
        "national_review_id": review.pk,
    }


def test_a_thematic_review_spans_the_partnerships_cases_and_nothing_else(world: World) -> None:
    review = thematic(world)
    other = second_north_case(world)
    assert thematic_reviews_to_link(other) == [review]
    assert thematic_reviews_to_link(world.cases["north"]) == [], "already linked"
    assert thematic_reviews_to_link(world.cases["south"]) == [], "another partnership's review"
    national_review_link(case=other, actor=world.people["coordinator"], review=review)
    assert set(review.links.values_list("case__reference", flat=True)) == {"NSCP-2026-001", "NSCP-2026-002"}
    assert AuditEvent.objects.filter(case=other, target_type="nationalreviews.nationalreviewcase").count() == 1
    with pytest.raises(NationalReviewError, match="already part"):
        national_review_link(case=other, actor=world.people["coordinator"], review=review)
    with pytest.raises(NationalReviewError, match="of this partnership"):
        national_review_link(case=world.cases["south"], actor=world.people["south_coordinator"], review=review)
    own = national_review_start(
        case=world.cases["north"], actor=world.people["coordinator"], title="Child A", kind=NationalReviewKind.CASE
    )
    with pytest.raises(NationalReviewError, match="Only a thematic"):
        national_review_link(case=other, actor=world.people["coordinator"], review=own)
    assert NationalReviewCase.objects.count() == 3


SCOPE = {
    "title": "Infants and men in the household",
    "panel_reference": "NR-7",
    "scope": "Injuries to infants by male carers",
    "methodology": "Case file analysis and practitioner focus groups",
    "scope_agreed_on": date(2026, 3, 2),
    "report_expected_on": date(2026, 9, 1),
}


def test_the_scope_is_saved_over_the_version_seen_only_and_its_agreement_puts_the_review_under_way(
    world: World,
) -> None:
    review = thematic(world)
    case, coordinator = world.cases["north"], world.people["coordinator"]
    national_review_scope_save(
        review=review, case=case, actor=coordinator, values={**SCOPE, "scope_agreed_on": None}, expected_version=0
    )
    assert (review.version, review.status, review.scope) == (1, NationalReviewStatus.SCOPING, SCOPE["scope"])
    with pytest.raises(NationalReviewConflict):
        national_review_scope_save(
            review=review, case=case, actor=coordinator, values={**SCOPE, "scope": "Other"}, expected_version=0
        )
    review.refresh_from_db()
    assert (review.version, review.scope) == (1, SCOPE["scope"]), "the stale save changed nothing"
    national_review_scope_save(review=review, case=case, actor=coordinator, values=SCOPE, expected_version=1)
    assert (review.version, review.status, review.scope_agreed_on) == (
        2,
        NationalReviewStatus.UNDER_WAY,
        date(2026, 3, 2),
    )
    assert AuditEvent.objects.filter(target_type="nationalreviews.nationalreview", verb=Verb.UPDATE).count() == 2


def test_the_national_report_marks_the_review_reported(world: World) -> None:
    review = thematic(world)
    national_review_report_record(
        review=review,
        case=world.cases["north"],
        actor=world.people["coordinator"],
        values={
            "report_published_on": date(2026, 10, 1),
            "report_url": "https://www.gov.uk/national-review",
            "report_learning": "Think family",
        },
        expected_version=0,
    )
    review.refresh_from_db()
    assert (review.status, review.report_url) == (NationalReviewStatus.REPORTED, "https://www.gov.uk/national-review")
    event = AuditEvent.objects.filter(verb=Verb.UPDATE).latest("id")
    assert (
        event.details["summary"]
        == "National report recorded: Infants and men in the household, published 1 October 2026"
    )


def _document(case: Case, title: str) -> Document:
    return Document.objects.create(
        case=case, title=title, original_name=f"{title}.pdf", content_type="application/pdf", size=1, sha256="0" * 64
    )


def test_a_contribution_is_added_once_per_form_and_only_for_a_linked_case_with_its_own_documents(
    world: World,
) -> None:
    review = thematic(world)
    case, coordinator = world.cases["north"], world.people["coordinator"]
    values: dict[str, Any] = {
        "on": date(2026, 4, 1),
        "kind": ContributionKind.SENT,
        "what": "The merged chronology",
        "by_whom": "The coordinator",
    }
    paper = _document(case, "Chronology")
    first = contribution_add(review=review, case=case, actor=coordinator, document=paper, token="abc", **values)
    again = contribution_add(review=review, case=case, actor=coordinator, document=paper, token="abc", **values)
    assert first == again and Contribution.objects.count() == 1
    assert AuditEvent.objects.filter(target_type="nationalreviews.contribution").count() == 1
    with pytest.raises(NationalReviewError, match="held on this case"):
        contribution_add(
            review=review, case=case, actor=coordinator, document=_document(world.cases["south"], "Other"), **values
        )
    other = second_north_case(world)
    with pytest.raises(NationalReviewError, match="not part of"):
        contribution_add(review=review, case=other, actor=coordinator, **values)
    assert Contribution.objects.count() == 1
