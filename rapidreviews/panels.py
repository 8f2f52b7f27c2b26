"""The rapid review's sections on the case page and the home page."""

from typing import Any

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from cases.models import Case, CaseState
from cases.policies import CaseAction, can, cases_visible_to
from cases.stage_registry import capped
from clocks.models import ClockRule
from clocks.selectors import prime_case_clocks
from rapidreviews.integrations import step_due, summary_deadline
from rapidreviews.models import RapidReview, SignOffDecision, SummaryEvent, SummaryStatus
from rapidreviews.policies import RapidReviewsChecker, ReviewChecker
from rapidreviews.selectors import open_requests_for_lead, own_requests_on_page, review_on_page
from rapidreviews.services.signoff_state import sign_off_state

RR_STATES = {CaseState.NOTIFIED, CaseState.RAPID_REVIEW, CaseState.RAPID_REVIEW_SUBMITTED, CaseState.CLOSED}


def case_panel(request: AuthenticatedHttpRequest, case: Case) -> dict[str, Any] | None:
    if case.state not in RR_STATES:
        return None
    review = review_on_page(case)
    staff = ReviewChecker(request.user, case).is_staff
    own_requests = own_requests_on_page(request.user, case)
    if review is None and not can(request.user, CaseAction.RUN_RAPID_REVIEW, case):
        return None
    if review is not None and not staff and not own_requests:
        return None
    return {
        "template": "rapidreviews/_case_panel.html",
        "rr_review": review,
        "rr_staff": staff,
        "rr_own_requests": own_requests,
    }


def home_requests_panel(user: User) -> dict[str, Any] | None:
    """A lead's summaries still to write (or sent back to them), and those sent and waiting for the
    review coordinator; only on reviews still under way (a review sent to the Panel asks nothing more)."""
    if not RapidReviewsChecker(user).writes_summaries:
        return None
    # A lead has a handful of requests: each shows its own deadline, not the case's whole timetable,
    # and the one needing them soonest comes first (a summary sent back before one still to write).
    # Every open request's deadline orders the list, so their cases' clocks are read in one query.
    # When each was last sent back comes with it (summary_deadline says so).
    last_returned = SummaryEvent.objects.filter(agency_summary=OuterRef("pk"), kind=SummaryEvent.Kind.RETURNED)
    open_summaries = list(
        open_requests_for_lead(user)
        .filter(request__review__case__in=cases_visible_to(user), request__review__case__state=CaseState.RAPID_REVIEW)
        .annotate(last_returned_at=Subquery(last_returned.order_by("-at").values("at")[:1]))
    )
    prime_case_clocks(r.request.review.case_id for r in open_summaries)
    rows: list[tuple[tuple[Any, bool, int], Any]] = []
    waiting = []
    for r in open_summaries:
        if r.status == SummaryStatus.SUBMITTED:
            waiting.append(r)
            continue
        rows.append(
            ((step_due(r.request.review.case, ClockRule.RR_RETURNS), r.status != SummaryStatus.RETURNED, r.pk), r)
        )
    if not rows and not waiting:
        return None
    ordered = [r for _order, r in sorted(rows, key=lambda pair: pair[0])]
    url = f"{reverse('cases:list')}?state={CaseState.RAPID_REVIEW.value}"
    shown, more = capped(ordered, url, "cases in their rapid review")
    waiting, waiting_more = capped(waiting, url, "cases in their rapid review")
    return {
        "template": "rapidreviews/_home_requests.html",
        "rr_returns": [{"r": r, "deadline": summary_deadline(r.request.review.case, r)} for r in shown],
        "rr_summaries_more": more,
        "rr_waiting": waiting,
        "rr_waiting_more": waiting_more,
        "todo": bool(shown),
    }


def home_sign_off_panel(user: User) -> dict[str, Any] | None:
    """Partner delegates: the decided reviews their approval is still needed on. The scrutineer and
    the chair: the decided reviews they have not commented on since the decision."""
    checker = RapidReviewsChecker(user)
    mine = checker.signs_off_for
    if not mine and not checker.comments:
        return None
    reviews = RapidReview.objects.filter(
        case__in=cases_visible_to(user), case__state=CaseState.RAPID_REVIEW, decided_at__isnull=False
    ).exclude(decision="")  # a decision the Panel's response reopened has nothing to sign off yet
    reviews = reviews.select_related("case").prefetch_related("sign_offs__actor").order_by("case__created_at", "pk")
    waiting = []
    for review in reviews:
        state = sign_off_state(review)
        if mine:
            if any(
                role not in state.latest or state.latest[role].decision != SignOffDecision.APPROVED for role in mine
            ):
                waiting.append(review)
        elif review.decided_at and not any(s.actor_id == user.pk and s.at >= review.decided_at for s in state.steps):
            waiting.append(review)
    if not waiting:
        return None
    url = f"{reverse('cases:list')}?state={CaseState.RAPID_REVIEW.value}"
    waiting, more = capped(waiting, url, "cases in their rapid review")
    return {
        "template": "rapidreviews/_home_sign_off.html",
        "todo": True,
        "rr_waiting": waiting,
        "rr_more": more,
        "rr_heading": "Rapid reviews awaiting your sign-off" if mine else "Rapid reviews awaiting your comments",
        "rr_verb": "Sign off" if mine else "Comment on",
    }
