from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthenticatedHttpRequest
from cases.models import Case, CaseState
from cases.policies import CaseAction, can, get_case_for_user
from cases.workflow import TransitionError, blocked_reason
from clocks.models import Clock
from core.http import serves
from rapidreviews.integrations import ClockRule, due_label, today_working_day
from rapidreviews.models import RapidReview
from rapidreviews.outcome import latest_response, reopened_text
from rapidreviews.policies import ReviewChecker
from rapidreviews.selectors import CASE_PAGE_RELATED, review_on_page
from rapidreviews.services.review import rapid_review_start
from rapidreviews.task_list import review_tasks, task_counts
from rapidreviews.views.common import base_context


@serves("GET")
def workspace(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    # The review, its meeting and the task list's counts are read with the case, in one query.
    case = get_case_for_user(request.user, reference, related=CASE_PAGE_RELATED, annotations=task_counts())
    if not can(request.user, CaseAction.VIEW_RECORD, case):
        # The referrer sees the case they referred only as far as its stage and outcome: for them
        # the rapid review's pages do not exist, started or not (need-to-know).
        raise Http404("No rapid review to show")
    review = review_on_page(case)
    if review is None:
        can_start = case.state in (CaseState.NOTIFIED, CaseState.RAPID_REVIEW) and can(
            request.user, CaseAction.RUN_RAPID_REVIEW, case
        )
        # The notifications may say no rapid review is required (the Secretary of State and Ofsted only).
        not_required = blocked_reason("start_rapid_review", case) if case.state == CaseState.NOTIFIED else None
        return render(
            request,
            "rapidreviews/not_started.html",
            {
                "case": case,
                "can_start": can_start and not not_required,
                "not_required": not_required,
                "nav": "cases",
                "CaseState": CaseState,
            },
        )
    # The case and its review are read once: the staff door's checks, without reading them again.
    if not ReviewChecker(request.user, case).is_staff:
        raise PermissionDenied("Only the review's coordinator, partners and scrutineer see this page")
    reopened = _reopened(case, review)
    due = due_label(case, "Rapid review due", ClockRule.RAPID_REVIEW)
    if reopened is not None:
        first = Clock.objects.filter(case=case, rule=ClockRule.RAPID_REVIEW).exclude(met_on=None).first()
        sent = (
            f"first sent to the Panel on {first.met_on:%-d %B}" if first and first.met_on else "first sent to the Panel"
        )
        due = f"The rapid review was {sent}; the Panel's response of {reopened['response'].received_on:%-d %B} reopened it"
    context = base_context(
        case,
        review,
        tasks=review_tasks(review),
        due=due,
        today=today_working_day(case),
        can_run=can(request.user, CaseAction.RUN_RAPID_REVIEW, case),
        reopened=reopened,
    )
    return render(request, "rapidreviews/workspace.html", context)


def _reopened(case: Case, review: RapidReview) -> dict[str, Any] | None:
    """The Panel's response that reopened the review, and what it reopened, while the review is open again."""
    response = latest_response(review)
    if case.state != CaseState.RAPID_REVIEW or response is None or not response.reopened_tasks:
        return None
    return {
        "response": response,
        "parts": reopened_text(response),
        "sign_off_again": "decision" in response.reopened_tasks,
    }


@serves("POST")
def start(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = get_case_for_user(request.user, reference, CaseAction.RUN_RAPID_REVIEW)
    try:
        rapid_review_start(case=case, actor=request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect("rapidreviews:workspace", reference)
