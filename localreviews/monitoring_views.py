"""The partners' monitoring of the local review (regulation 14): the monitoring page (written
requests, checkpoints, delays), asking the reviewer in writing, the reviewer's answer, recording a
checkpoint, a delay and its end. Each reaches the case through the review's door (views._load): 404
for those who may not read the review, 403 for a reader who may not take the step."""

import datetime as dt
import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.http import AuthenticatedHttpRequest
from cases.workflow_engine import TransitionError
from clocks.models import Clock
from clocks.services import ClockError
from core.http import serves
from localreviews.clock_rules import SIX_MONTHS
from localreviews.monitoring_forms import AnswerForm, CheckpointForm, DelayEndForm, DelayForm, WrittenRequestForm
from localreviews.monitoring_models import Delay, DelayReason, DelayStatus, ProgressRag, RequestStatus, RequestWhat
from localreviews.monitoring_services import (
    MonitoringError,
    checkpoint_record,
    checkpoint_schedule,
    delay_end,
    delay_record,
    request_due,
    written_request_answer,
    written_request_ask,
)
from localreviews.views import _load

RELATED = ("local_review", "partnership__clock_settings")


def _six_months(case_id: int) -> Clock | None:
    return Clock.objects.filter(case_id=case_id, rule=SIX_MONTHS).order_by("-id").first()


@serves("GET")
def monitoring(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case, review, checker = _load(request, reference, related=RELATED)
    clock = _six_months(case.pk)
    today = timezone.localdate()
    requests = list(review.written_requests.select_related("asked_by", "answered_by"))
    delays = list(review.delays.select_related("recorded_by"))
    schedule = checkpoint_schedule(review, list(review.checkpoints.select_related("recorded_by")), clock, today)
    return render(
        request,
        "localreviews/monitoring.html",
        {
            "case": case,
            "review": review,
            "checker": checker,
            "clock": clock,
            "requests": requests,
            "schedule": schedule,
            "overdue": [row for row in schedule if row.overdue],
            "delays": delays,
            "holding": [d for d in delays if d.status == DelayStatus.HOLDING],
            "today": today,
            "RequestStatus": RequestStatus,
            "nav": "cases",
        },
    )


@serves("GET", "POST")
def written_request_new(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case, review, checker = _load(request, reference, related=RELATED)
    if not checker.may_monitor:
        raise PermissionDenied("Only the coordinator or a partner delegate asks the reviewer in writing")
    reviewers = list(review.reviewers.all())
    today = timezone.localdate()
    form = WrittenRequestForm(request.POST or None, initial={"token": secrets.token_urlsafe(16), "asked_on": today})
    if request.method == "POST" and reviewers and form.is_valid():
        data = form.cleaned_data
        try:
            _, now = written_request_ask(
                review=review,
                actor=request.user,
                what=RequestWhat(data["what"]),
                text=data["text"],
                asked_on=data["asked_on"],
                token=data.get("token") or "",
            )
        except MonitoringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "Your request is recorded and the reviewer has been emailed"
                if now
                else "This request was made already: it has not been made twice",
            )
            return redirect("localreviews:monitoring", reference)
    return render(
        request,
        "localreviews/written_request_new.html",
        {
            "case": case,
            "review": review,
            "form": form,
            "reviewers": reviewers,
            "due": request_due(review, today),
            "nav": "cases",
        },
    )


@serves("GET", "POST")
def written_request(request: AuthenticatedHttpRequest, reference: str, pk: int) -> HttpResponse:
    """The request and its answer; the reviewer answers it here."""
    case, review, checker = _load(request, reference, related=RELATED)
    asked = get_object_or_404(review.written_requests.select_related("asked_by", "answered_by"), pk=pk)
    asked.review = review
    may_answer = checker.is_reviewer and asked.status == RequestStatus.OPEN
    form = None
    if may_answer:
        form = AnswerForm(request.POST or None, initial={"version": asked.version, "answered_on": timezone.localdate()})
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only the reviewer answers the partners' written request, once")
        if form.is_valid():
            data = form.cleaned_data
            try:
                written_request_answer(
                    request=asked,
                    actor=request.user,
                    answer=data["answer"],
                    answered_on=data["answered_on"],
                    expected_version=data["version"],
                )
            except (MonitoringError, TransitionError, ClockError) as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Your answer is recorded and the partners have been told")
                return redirect("localreviews:written_request", reference, pk)
    return render(
        request,
        "localreviews/written_request.html",
        {"case": case, "review": review, "asked": asked, "form": form, "RequestStatus": RequestStatus, "nav": "cases"},
    )


@serves("GET", "POST")
def checkpoint(request: AuthenticatedHttpRequest, reference: str, day: str) -> HttpResponse:
    case, review, checker = _load(request, reference, related=RELATED)
    try:
        due_on = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404("No such checkpoint") from None
    schedule = checkpoint_schedule(review, list(review.checkpoints.all()), _six_months(case.pk), timezone.localdate())
    row = next((r for r in schedule if r.due_on == due_on), None)
    if row is None:
        raise Http404("No checkpoint is due on that date")
    if not checker.may_monitor:
        raise PermissionDenied("Only the coordinator or a partner delegate records a progress checkpoint")
    form = CheckpointForm(request.POST or None, initial={"held_on": min(due_on, timezone.localdate())})
    if request.method == "POST" and row.held is None and form.is_valid():
        data = form.cleaned_data
        try:
            checkpoint_record(
                review=review,
                actor=request.user,
                due_on=due_on,
                held_on=data["held_on"],
                rag=ProgressRag(data["rag"]),
                notes=data["notes"],
            )
        except MonitoringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The checkpoint due on {due_on:%-d %B %Y} is recorded")
            return redirect("localreviews:monitoring", reference)
    return render(
        request,
        "localreviews/checkpoint.html",
        {"case": case, "review": review, "row": row, "form": form, "nav": "cases"},
    )


@serves("GET", "POST")
def delay_new(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case, review, checker = _load(request, reference, related=RELATED)
    if not checker.may_run:
        raise PermissionDenied("Only the coordinator records a delay")
    form = DelayForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            delay_record(
                review=review,
                actor=request.user,
                reason=DelayReason(data["reason"]),
                text=data["text"],
                starts_on=data["starts_on"],
                expected_until=data["expected_until"],
                pause=bool(data["pause"]),
            )
        except (MonitoringError, ClockError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The delay is recorded")
            return redirect("localreviews:monitoring", reference)
    return render(
        request, "localreviews/delay_new.html", {"case": case, "review": review, "form": form, "nav": "cases"}
    )


@serves("GET", "POST")
def delay_end_view(request: AuthenticatedHttpRequest, reference: str, pk: int) -> HttpResponse:
    case, review, checker = _load(request, reference, related=RELATED)
    delay: Delay = get_object_or_404(review.delays.all(), pk=pk)
    delay.review = review
    if not checker.may_run:
        raise PermissionDenied("Only the coordinator records that a delay has ended")
    if delay.status != DelayStatus.HOLDING:
        return redirect("localreviews:monitoring", reference)
    form = DelayEndForm(request.POST or None, initial={"version": delay.version, "ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            delay_end(delay=delay, actor=request.user, ended_on=data["ended_on"], expected_version=data["version"])
        except (MonitoringError, TransitionError, ClockError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "The delay has ended" + (": the 6 months count again" if delay.paused_clock else ""),
            )
            return redirect("localreviews:monitoring", reference)
    return render(
        request,
        "localreviews/delay_end.html",
        {"case": case, "review": review, "delay": delay, "form": form, "nav": "cases"},
    )
