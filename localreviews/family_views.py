"""The family involvement log's pages. Restricted: a person who reads the review but not the log
(the scrutineer, the chair, the LA notifier) is told it is not there (404), like anyone who may not
read the review; the partners read it; the coordinator and the reviewer write it. Every page
reaches the case through the one door (localreviews/views._load), so every read is audited."""

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthenticatedHttpRequest
from cases.models import Case
from core.http import serves
from localreviews.family_forms import FamilyContactForm
from localreviews.family_models import FamilyContact, FamilyResponse
from localreviews.family_services import FamilyLogError, family_contact_add, family_contact_change
from localreviews.models import LocalReview
from localreviews.policies import LocalReviewChecker
from localreviews.views import _load


def _load_log(
    request: AuthenticatedHttpRequest, reference: str, *, keep: bool = False
) -> tuple[Case, LocalReview, LocalReviewChecker]:
    case, review, checker = _load(request, reference)
    if not checker.may_read_family_log:
        raise Http404("No family involvement log here")
    if keep and not checker.may_keep_family_log:
        raise PermissionDenied("Only the coordinator or the reviewer writes the family involvement log")
    return case, review, checker


@serves("GET")
def family_log(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case, review, checker = _load_log(request, reference)
    entries = list(review.family_contacts.select_related("updated_by"))
    return render(
        request,
        "localreviews/family.html",
        {
            "case": case,
            "review": review,
            "checker": checker,
            "entries": entries,
            "FamilyResponse": FamilyResponse,
            "nav": "cases",
        },
    )


def _apply_error(form: FamilyContactForm, error: FamilyLogError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


@serves("GET", "POST")
def family_new(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case, review, _checker = _load_log(request, reference, keep=True)
    form = FamilyContactForm(request.POST or None, initial={"version": 0, "token": secrets.token_hex(16)})
    if request.method == "POST" and form.is_valid():
        try:
            family_contact_add(
                review=review, actor=request.user, contact=form.contact(), token=form.cleaned_data["token"]
            )
        except FamilyLogError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "The offer is recorded in the family involvement log.")
            return redirect("localreviews:family", reference)
    return render(
        request,
        "localreviews/family_edit.html",
        {"case": case, "review": review, "form": form, "entry": None, "nav": "cases"},
    )


@serves("GET", "POST")
def family_edit(request: AuthenticatedHttpRequest, reference: str, pk: int) -> HttpResponse:
    case, review, _checker = _load_log(request, reference, keep=True)
    entry = FamilyContact.objects.filter(review=review, pk=pk).first()
    if entry is None:
        raise Http404("No such entry")
    entry.review = review
    initial = {
        "version": entry.version,
        **{
            k: getattr(entry, k)
            for k in (
                "who",
                "offer_made_on",
                "offer_how",
                "response",
                "responded_on",
                "contribution",
                "consent_for",
                "consent_on",
                "notes",
            )
        },
    }
    form = FamilyContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            family_contact_change(
                entry=entry, actor=request.user, contact=form.contact(), expected_version=form.cleaned_data["version"]
            )
        except FamilyLogError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "The entry is saved.")
            return redirect("localreviews:family", reference)
    return render(
        request,
        "localreviews/family_edit.html",
        {"case": case, "review": review, "form": form, "entry": entry, "nav": "cases"},
    )
