"""The reviewer's section of the home page: the local reviews they were commissioned for, so an
invited reviewer finds their review once signed in."""

from typing import Any

from django.urls import reverse

from accounts.models import User
from cases.models import CaseAccess
from cases.policies import cases_visible_to
from cases.stage_registry import capped
from localreviews.models import LocalReview
from localreviews.policies import reviews_anywhere


def home_reviewer_panel(user: User) -> dict[str, Any] | None:
    if not reviews_anywhere(user):
        return None
    commissioned = CaseAccess.objects.filter(user=user, reason=CaseAccess.Reason.COMMISSIONED_REVIEWER).values(
        "case_id"
    )
    reviews = list(
        LocalReview.objects.filter(case__in=cases_visible_to(user).filter(pk__in=commissioned))
        .select_related("case")
        .order_by("decided_on", "pk")
    )
    if not reviews:
        return None
    shown, more = capped(reviews, f"{reverse('cases:list')}?state=local_review", "cases in their local review")
    return {"template": "localreviews/_home_reviewer.html", "lr_reviews": shown, "lr_more": more}
