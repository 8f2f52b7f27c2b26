from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from cases.models import Case
from nationalreviews.models import NationalReview, NationalReviewCase
from rapidreviews.selectors import review_on_page


def reviews_of(case: Case) -> list[NationalReview]:
    """The national reviews this case is linked to, oldest first (one query)."""
    return list(
        NationalReview.objects.filter(partnership_id=case.partnership_id, links__case=case).order_by("created_at", "id")
    )


def panel_said_national_review(case: Case) -> bool:
    """Whether the Panel's response to the rapid review said it will hold a national review (the
    rapid review's own record, which the case page reads with the case)."""
    review = review_on_page(case)
    return review is not None and review.national_review


def _first(column: str) -> Subquery:
    linked = NationalReview.objects.filter(links__case=OuterRef("pk")).order_by("created_at", "id")
    return Subquery(linked.values(column)[:1])


# What the case page reads with the case, in its one query: how many national reviews it is linked
# to and the first one's title, kind and status (nearly every case has none or one).
CASE_PAGE_ANNOTATIONS: dict[str, Any] = {
    "nr_count": Coalesce(
        Subquery(
            NationalReviewCase.objects.filter(case=OuterRef("pk"))
            .order_by()
            .values("case")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    ),
    "nr_title": _first("title"),
    "nr_kind": _first("kind"),
    "nr_status": _first("status"),
}


def reviews_on_page(case: Case) -> list[NationalReview]:
    """The case's national reviews for its page: from what the case was read with when it holds
    one or none, else read (a case in several national reviews, or a case read without them)."""
    count = getattr(case, "nr_count", None)
    if count == 0:
        return []
    if count == 1:
        return [NationalReview(title=case.nr_title, kind=case.nr_kind, status=case.nr_status)]  # type: ignore[attr-defined]
    return reviews_of(case)
