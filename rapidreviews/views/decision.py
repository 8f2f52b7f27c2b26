from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthenticatedHttpRequest
from cases.policies import CaseAction
from core.http import serves
from rapidreviews.forms.meeting import DecisionForm, RecordForm, criteria_form_class
from rapidreviews.models import Regulation11Criterion
from rapidreviews.outcome import latest_response
from rapidreviews.services.meeting_state import meeting_wait
from rapidreviews.services.review import (
    CriteriaConflict,
    ReviewConflict,
    ReviewWaits,
    criteria_record,
    rapid_review_update,
)
from rapidreviews.views.common import base_context, load

CRITERIA_CLASH = (
    "Someone else saved these criteria while you were working on them (or you did, in another tab). Your answers "
    "are below and have not been saved: compare them with what is saved now, then save again to replace it."
)
CONFLICT = (
    "Someone else saved this page while you were working on it. Your text is below and has not been saved: "
    "check the rapid review, then save again."
)


@serves("GET", "POST")
def record(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case, review = load(request, reference, CaseAction.RUN_RAPID_REVIEW)
    fields = ("incident_summary", "family_context", "facts_agreed", "learning", "family_informed")
    form = RecordForm(
        request.POST or None, initial={"version": review.version, **{f: getattr(review, f) for f in fields}}
    )
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in fields}
        try:
            rapid_review_update(
                review=review, actor=request.user, expected_version=form.cleaned_data["version"], fields=data
            )
        except ReviewConflict:
            form.add_error(None, CONFLICT)
        else:
            messages.success(request, "Meeting record saved")
            return redirect("rapidreviews:meeting", reference)
    return render(request, "rapidreviews/record.html", base_context(case, review, form=form))


@serves("GET", "POST")
def regulation_11(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case, review = load(request, reference, CaseAction.RUN_RAPID_REVIEW)
    initial: dict[str, Any] = {f"version_{c.value}": 0 for c in Regulation11Criterion.Criterion}
    for note in review.criteria.all():
        initial[f"answer_{note.criterion}"] = note.answer
        initial[f"notes_{note.criterion}"] = note.notes
        initial[f"version_{note.criterion}"] = note.version
    form_class = criteria_form_class()
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        answers = {
            c.value: (form.cleaned_data[f"answer_{c.value}"], form.cleaned_data[f"notes_{c.value}"])
            for c in Regulation11Criterion.Criterion
            if form.cleaned_data[f"answer_{c.value}"]
        }
        if not answers:
            form.add_error(None, "Answer at least one criterion before you save")
            return render(request, "rapidreviews/regulation_11.html", base_context(case, review, form=form))
        # A page from before criteria carried versions sends none: it is checked against nothing.
        sent = {c.value: form.cleaned_data[f"version_{c.value}"] for c in Regulation11Criterion.Criterion}
        versions = (
            {k: v for k, v in sent.items() if v is not None} if any(v is not None for v in sent.values()) else None
        )
        try:
            criteria_record(review=review, actor=request.user, answers=answers, versions=versions)
        except CriteriaConflict as clash:
            # What is saved now beside the person's own answers, which take the saved versions: the
            # next Save replaces them knowingly.
            data = request.POST.copy()
            for note in Regulation11Criterion.objects.filter(review=review):
                data[f"version_{note.criterion}"] = str(note.version)
            form = form_class(data)
            form.is_valid()
            form.add_error(None, CRITERIA_CLASH)
            saved_now = [
                (f"Criterion {note.get_criterion_display()}", f"{note.get_answer_display()}. {note.notes}".strip())
                for note in clash.clashes
            ]
            return render(
                request, "rapidreviews/regulation_11.html", base_context(case, review, form=form, saved_now=saved_now)
            )
        left = len(Regulation11Criterion.Criterion) - review.criteria.count()
        if left:
            messages.success(
                request,
                f"Regulation 11 criteria saved. {left} still to consider: come back to them before the decision.",
            )
            return redirect("rapidreviews:meeting", reference)
        messages.success(request, "Regulation 11 criteria saved")
        return redirect("rapidreviews:decision", reference)
    return render(request, "rapidreviews/regulation_11.html", base_context(case, review, form=form))


@serves("GET", "POST")
def decision(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case, review = load(request, reference, CaseAction.RUN_RAPID_REVIEW)
    fields = ("decision", "alternative_review_type", "decision_rationale", "themes")
    form = DecisionForm(
        request.POST or None, initial={"version": review.version, **{f: getattr(review, f) for f in fields}}
    )
    waits = meeting_wait(review, "The decision")
    if request.method == "POST" and waits:
        form.is_valid()
        form.add_error(None, f"{waits} Your decision is below and has not been saved.")
    elif request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in fields}
        try:
            rapid_review_update(
                review=review, actor=request.user, expected_version=form.cleaned_data["version"], fields=data
            )
        except ReviewConflict:
            form.add_error(None, CONFLICT)
        except ReviewWaits as error:
            form.add_error(None, f"{error} Your decision is below and has not been saved.")
        else:
            messages.success(request, "Decision saved")
            return redirect("rapidreviews:workspace", reference)
    criteria = list(review.criteria.all())
    response = latest_response(review)
    # Reopened by the Panel: the decision it challenged, to weigh (its rationale is kept in the form).
    challenged = response if not review.decision and response is not None and response.reopened_tasks else None
    return render(
        request,
        "rapidreviews/decision.html",
        base_context(
            case,
            review,
            form=form,
            # Until the meeting is held there is no decision to record: the page says why and when
            # (a decision sent from a page opened earlier comes back with its text and the reason).
            waits=waits,
            show_form=not waits or request.method == "POST",
            criteria=criteria,
            criteria_left=len(Regulation11Criterion.Criterion) - len(criteria),
            earlier=challenged.get_sent_decision_display() if challenged else "",
            response=challenged,
        ),
    )
