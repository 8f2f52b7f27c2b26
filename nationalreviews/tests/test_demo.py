"""The demo's national review: the case the Panel took into its national review is linked to a
thematic review with its scope agreed and a first contribution."""

import pytest

from nationalreviews import demo as national_demo
from nationalreviews.models import Contribution, NationalReview, NationalReviewStatus
from partnerships.demo import seed_people
from rapidreviews import demo as rapid_demo

pytestmark = pytest.mark.django_db


def test_the_demo_links_the_case_the_panel_took_into_a_national_review() -> None:
    world = seed_people()
    rapid_demo.seed(world)
    national_demo.seed(world)
    review = NationalReview.objects.get()
    case = review.links.get().case
    assert case.rapid_review.national_review
    assert (review.status, review.is_thematic) == (NationalReviewStatus.UNDER_WAY, True)
    assert Contribution.objects.filter(review=review, case=case).count() == 1
