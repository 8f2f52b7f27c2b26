"""The rapid review document's case identifiers (domain.md §2.3, heading 1) come from the referral
and the notification behind the case: the SIN's Panel reference and date, the incident's date, the
day the local authority became aware and the child's age."""

import io
from datetime import date, datetime, time

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document as Docx

from conftest import World
from rapidreviews.models import RapidReview
from rapidreviews.rendering.document import _age, document_context
from rapidreviews.services.document import document_bytes
from referrals.models import Referral, ReferralChild, SeriousIncidentNotification
from referrals.tests.helpers import make_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def behind(world: World, review: RapidReview) -> RapidReview:
    referral = make_referral(world, incident=date(2026, 3, 9), aware=date(2026, 3, 10), dob=date(2025, 1, 20))
    Referral.objects.filter(pk=referral.pk).update(case=review.case, status="submitted")
    notification = SeriousIncidentNotification.objects.create(
        case=review.case,
        submitted_at=timezone.make_aware(datetime.combine(date(2026, 3, 12), time(11, 0))),
        panel_reference="SIN-2026-40321",
        submitted_by="Nadia Fenwright",
        rapid_review_required=True,
        recorded_by=world.people["notifier"],
    )
    notification.children.set(referral.children_list())
    return review


def test_the_identifiers_name_the_sin_its_dates_and_the_childs_age(behind: RapidReview) -> None:
    context = document_context(behind)
    assert context["sin_reference"] == "SIN-2026-40321"
    assert context["notified_on"] == "12 March 2026"
    assert context["incident_date"] == "9 March 2026"
    assert context["la_aware_on"] == "10 March 2026"
    assert context["child_age"] == "13 months"


def test_both_formats_carry_the_identifiers(behind: RapidReview) -> None:
    docx = Docx(io.BytesIO(document_bytes(review=behind, fmt="docx")))
    cells = [[c.text for c in row.cells] for row in docx.tables[0].rows]
    assert ["SIN reference", "SIN-2026-40321"] in cells
    assert ["Age at the incident", "13 months"] in cells
    assert ["Date of incident", "9 March 2026"] in cells
    assert ["Date the local authority became aware", "10 March 2026"] in cells
    # The PDF draws glyph ids, not words: its template's HTML is what carries them.
    html = render_to_string("rapidreviews/pdf/document.html", {**document_context(behind), "doc_title": "t"})
    for row in ("SIN reference</th><td>SIN-2026-40321", "Age at the incident</th><td>13 months"):
        assert row in html


def test_a_case_without_a_referral_says_not_recorded(review: RapidReview) -> None:
    context = document_context(review)
    assert context["sin_reference"] == context["child_age"] == context["incident_date"] == "Not recorded"


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (date(2026, 1, 31), date(2026, 3, 30), "1 month"),
        (date(2025, 3, 9), date(2026, 3, 9), "12 months"),
        (date(2024, 3, 10), date(2026, 3, 9), "23 months"),
        (date(2019, 3, 9), date(2026, 3, 9), "7 years"),
        (None, date(2026, 3, 9), "Not recorded"),
    ],
)
def test_an_age_is_in_months_under_two_and_in_years_after(born: date | None, on: date, expected: str) -> None:
    assert _age(ReferralChild(born="yes", date_of_birth=born), on) == expected
    assert _age(ReferralChild(born="no"), on) == "Unborn"
