from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.http import AuthenticatedHttpRequest
from cases.models import CaseState
from cases.policies import CaseAction, can
from cases.workflow import TransitionError
from core.http import serves
from rapidreviews.forms.submission import PanelResponseForm, SubmissionForm
from rapidreviews.integrations import ClockRule, due_label
from rapidreviews.models import PanelResponseKind, SummaryStatus
from rapidreviews.selectors import requests_for
from rapidreviews.services.signoff_state import sign_off_state
from rapidreviews.services.submission import (
    REOPENABLE,
    SubmissionError,
    outstanding_requests,
    panel_response_record,
    submission_guard,
    submission_record,
)
from rapidreviews.views.common import base_context, load_staff


@serves("GET", "POST")
def submission(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case, review = load_staff(request, reference)
    can_run = can(request.user, CaseAction.RUN_RAPID_REVIEW, case)
    blocked = submission_guard(case) if case.state == CaseState.RAPID_REVIEW else None
    outstanding = outstanding_requests(review) if case.state == CaseState.RAPID_REVIEW else []
    form = (
        SubmissionForm(request.POST or None, outstanding=outstanding)
        if can_run and case.state == CaseState.RAPID_REVIEW and not blocked
        else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            submission_record(
                review=review,
                actor=request.user,
                late_reason=form.cleaned_data["late_reason"],
                missing_reason=form.cleaned_data.get("missing_reason", ""),
                sent_without=form.sent_without_ids() if outstanding else [],
            )
        except (SubmissionError, TransitionError) as error:
            form.add_error("late_reason" if "late" in str(error).lower().split() else None, str(error))
        else:
            told = " Their requests are closed and their leads told why." if outstanding else ""
            messages.success(
                request,
                f"Submission recorded. The agencies and the referrer have been told the outcome.{told}",
            )
            return redirect("rapidreviews:workspace", reference)
    return render(
        request,
        "rapidreviews/submission.html",
        base_context(
            case,
            review,
            form=form,
            signed_off=sign_off_state(review).complete,
            blocked=blocked,
            outstanding=outstanding,
            closed=[r for r in requests_for(review) if r.agency_summary.status == SummaryStatus.CLOSED]
            if review.submitted_at
            else [],
            due=due_label(case, "Rapid review due", ClockRule.RAPID_REVIEW),
        ),
    )


@serves("GET", "POST")
def panel_response(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case, review = load_staff(request, reference)
    can_record = can(request.user, CaseAction.RUN_RAPID_REVIEW, case) and case.state == CaseState.RAPID_REVIEW_SUBMITTED
    sent_on = timezone.localdate(review.submitted_at) if review.submitted_at else None
    form = PanelResponseForm(request.POST or None, sent_on=sent_on) if can_record else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            panel_response_record(
                review=review,
                actor=request.user,
                received_on=data["received_on"],
                kind=PanelResponseKind(data["kind"]),
                said=data["summary"],
                reopen=data["reopen"],
                national_review=data["national_review"],
            )
        except (SubmissionError, TransitionError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The Panel's response is recorded")
            return redirect("rapidreviews:workspace", reference)
    responses = [
        {"r": r, "reopened": [REOPENABLE.get(t, t) for t in r.reopened_tasks]}
        for r in review.panel_responses.select_related("recorded_by")
    ]
    return render(
        request, "rapidreviews/panel_response.html", base_context(case, review, form=form, responses=responses)
    )
