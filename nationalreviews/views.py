"""The national reviews' pages, each reached through a case (the one door, so each read is
audited). The review coordinator records and changes; everyone who may read the case's record reads.
A national review is found only through a case linked to it: anyone else gets 404."""

import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthenticatedHttpRequest
from cases.models import Case
from core.http import serves
from documents.models import Document
from documents.policies import documents_visible_to
from nationalreviews.forms import ContributionForm, LinkForm, NationalReviewStartForm, ReportForm, ScopeForm
from nationalreviews.models import Contribution, NationalReview
from nationalreviews.policies import NationalReviewChecker, get_case_for_national_reviews, get_national_review_for_case
from nationalreviews.selectors import panel_said_national_review, reviews_of
from nationalreviews.services import (
    REPORT_FIELDS,
    SCOPE_FIELDS,
    NationalReviewConflict,
    NationalReviewError,
    contribution_add,
    national_review_link,
    national_review_report_record,
    national_review_scope_save,
    national_review_start,
    thematic_reviews_to_link,
)


def _posted(request: AuthenticatedHttpRequest) -> Any:
    """The form's data on a POST, even an empty one (which then says what is missing)."""
    return request.POST if request.method == "POST" else None


def _context(case: Case, **extra: Any) -> dict[str, Any]:
    return {"case": case, "nav": "cases", **extra}


@serves("GET")
def case_reviews(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = get_case_for_national_reviews(request.user, reference)
    reviews = reviews_of(case)
    contributions: dict[int, list[Contribution]] = {r.pk: [] for r in reviews}
    for c in Contribution.objects.filter(case=case, review__in=reviews).select_related("document", "recorded_by"):
        contributions[c.review_id].append(c)
    return render(
        request,
        "nationalreviews/case.html",
        _context(
            case,
            reviews=[(r, contributions[r.pk]) for r in reviews],
            said=panel_said_national_review(case),
            can_edit=NationalReviewChecker(request.user, case).can_edit,
        ),
    )


@serves("GET", "POST")
def start(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = get_case_for_national_reviews(request.user, reference, edit=True)
    form = NationalReviewStartForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        national_review_start(
            case=case,
            actor=request.user,
            title=data["title"],
            kind=data["kind"],
            panel_reference=data["panel_reference"],
        )
        messages.success(request, "The national review is recorded. Record the scope agreed with the Panel next.")
        return redirect("nationalreviews:case", reference)
    return render(request, "nationalreviews/start.html", _context(case, form=form))


@serves("GET", "POST")
def link(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = get_case_for_national_reviews(request.user, reference, edit=True)
    candidates = thematic_reviews_to_link(case)
    form = LinkForm(_posted(request), reviews=candidates) if candidates else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            national_review_link(case=case, actor=request.user, review=form.cleaned_data["review"])
        except NationalReviewError as error:
            form.add_error("review", str(error))
        else:
            messages.success(request, "The case is linked to the thematic national review")
            return redirect("nationalreviews:case", reference)
    return render(request, "nationalreviews/link.html", _context(case, form=form))


def _saved_now(review: NationalReview, form_class: type[forms.Form], names: tuple[str, ...]) -> list[tuple[str, str]]:
    rows = []
    for name in names:
        value = getattr(review, name)
        text = f"{value:%-d %B %Y}" if hasattr(value, "strftime") else str(value or "")
        rows.append((str(form_class.base_fields[name].label), text))
    return rows


def _edit(
    request: AuthenticatedHttpRequest,
    reference: str,
    pk: int,
    *,
    form_class: type[ScopeForm] | type[ReportForm],
    names: tuple[str, ...],
    save: Any,
    template: str,
    done: str,
) -> HttpResponse:
    case = get_case_for_national_reviews(request.user, reference, edit=True)
    review = get_national_review_for_case(case, pk)
    initial = {"version": review.version, **{name: getattr(review, name) for name in names}}
    form = form_class(_posted(request), initial=initial)
    saved_now: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            save(
                review=review,
                case=case,
                actor=request.user,
                values=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
            )
        except NationalReviewConflict:
            review.refresh_from_db()
            data = request.POST.copy()
            data["version"] = str(review.version)
            form = form_class(data, initial=initial)
            form.is_valid()
            form.add_error(None, NationalReviewConflict.message)
            saved_now = _saved_now(review, form_class, names)
        except NationalReviewError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("nationalreviews:case", reference)
    return render(request, template, _context(case, form=form, review=review, saved_now=saved_now))


@serves("GET", "POST")
def scope(request: AuthenticatedHttpRequest, reference: str, pk: int) -> HttpResponse:
    return _edit(
        request,
        reference,
        pk,
        form_class=ScopeForm,
        names=SCOPE_FIELDS,
        save=national_review_scope_save,
        template="nationalreviews/scope.html",
        done="The scope and methodology are saved",
    )


@serves("GET", "POST")
def report(request: AuthenticatedHttpRequest, reference: str, pk: int) -> HttpResponse:
    return _edit(
        request,
        reference,
        pk,
        form_class=ReportForm,
        names=REPORT_FIELDS,
        save=national_review_report_record,
        template="nationalreviews/report.html",
        done="The national report is recorded",
    )


def _documents(request: AuthenticatedHttpRequest, case: Case) -> Any:
    return documents_visible_to(request.user, case).filter(kind=Document.Kind.UPLOAD).order_by("title", "id")


@serves("GET", "POST")
def contribution_new(request: AuthenticatedHttpRequest, reference: str, pk: int) -> HttpResponse:
    case = get_case_for_national_reviews(request.user, reference, edit=True)
    review = get_national_review_for_case(case, pk)
    form = ContributionForm(
        _posted(request), documents=_documents(request, case), initial={"token": secrets.token_urlsafe(16)}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contribution_add(
                review=review,
                case=case,
                actor=request.user,
                on=data["on"],
                kind=data["kind"],
                what=data["what"],
                by_whom=data["by_whom"],
                document=data.get("document"),
                token=data.get("token") or "",
            )
        except NationalReviewError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The contribution is recorded")
            return redirect("nationalreviews:case", reference)
    return render(request, "nationalreviews/contribution.html", _context(case, form=form, review=review))
