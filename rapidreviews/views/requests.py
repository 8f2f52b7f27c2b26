"""Asking agencies for their Individual Agency Summaries.

The coordinator asks several agencies on one page (`requests_ask`): those named in the referral
come ready to send, each agency with a list of its own safeguarding leads (its only lead already
chosen). A lead who has no account yet is invited on the page for one agency (`request_new`),
which keeps the rule that an address with an account cannot be invited."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Membership
from cases.policies import CaseAction, can
from core.http import serves
from rapidreviews.forms.requests import AskAgenciesForm
from rapidreviews.forms.summaries import InformationRequestForm
from rapidreviews.integrations import ClockRule, due_label
from rapidreviews.selectors import agency_leads, requests_for
from rapidreviews.services.requests import RequestError, information_request_send, information_requests_send
from rapidreviews.views.common import base_context, load, load_staff


@serves("GET")
def requests_page(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case, review = load_staff(request, reference)
    return render(
        request,
        "rapidreviews/requests.html",
        base_context(
            case,
            review,
            requests=requests_for(review),
            can_run=can(request.user, CaseAction.RUN_RAPID_REVIEW, case),
            due=due_label(case, "Returns due", ClockRule.RR_RETURNS),
        ),
    )


@serves("GET", "POST")
def requests_ask(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case, review = load(request, reference, CaseAction.RUN_RAPID_REVIEW)
    asked = review.requests.values("agency_id")
    agencies = list(case.partnership.agencies.filter(active=True).exclude(pk__in=asked).order_by("name"))
    named = set(case.involved_agencies.values_list("pk", flat=True))
    agencies.sort(key=lambda agency: agency.pk not in named)  # the referral's agencies first
    leads: dict[int, list[Membership]] = {}
    for membership in agency_leads(case):
        leads.setdefault(membership.agency_id or 0, []).append(membership)
    form = AskAgenciesForm(request.POST or None, agencies=agencies, leads=leads, named=named)
    if request.method == "POST" and form.is_valid():
        asks = form.asks()
        try:
            information_requests_send(
                review=review, actor=request.user, asks=asks, message=form.cleaned_data["message"]
            )
        except RequestError as error:
            form.add_error(None, str(error))
        else:
            names = ", ".join(agency.name for agency, _lead in asks)
            messages.success(request, f"Information {'request' if len(asks) == 1 else 'requests'} sent to {names}")
            return redirect("rapidreviews:requests", reference)
    return render(
        request,
        "rapidreviews/requests_ask.html",
        base_context(case, review, form=form, rows=form.rows()),
    )


@serves("GET", "POST")
def request_new(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case, review = load(request, reference, CaseAction.RUN_RAPID_REVIEW)
    asked = review.requests.values("agency_id")
    agencies = case.partnership.agencies.filter(active=True).exclude(pk__in=asked)
    leads = list(agency_leads(case))
    chosen = request.GET.get("agency", "")
    form = InformationRequestForm(
        request.POST or None,
        agencies=agencies,
        memberships=leads,
        initial={"agency": chosen} if chosen.isdigit() else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invite = None
        if data["lead"] is None:
            invite = {
                "email": data["invite_email"],
                "first_name": data["invite_first_name"],
                "last_name": data["invite_last_name"],
            }
        try:
            information_request_send(
                review=review,
                actor=request.user,
                agency=data["agency"],
                lead=data["lead"],
                invite=invite,
                message=data["message"],
            )
        except RequestError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Information request sent to {data['agency']}")
            return redirect("rapidreviews:requests", reference)
    return render(
        request,
        "rapidreviews/request_new.html",
        base_context(case, review, form=form, leads=leads),
    )
