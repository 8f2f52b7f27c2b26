"""Checking a possible duplicate from the triage page: the same incident (link) or not (dismiss)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthenticatedHttpRequest
from cases.models import CaseState
from cases.policies import CaseAction, cases_visible_to, get_case_for_user
from core.http import serves
from referrals.forms.duplicates import DuplicateCheckForm
from referrals.models import DuplicateOutcome
from referrals.selectors import duplicate_checks_of
from referrals.services.duplicates import duplicate_check_record


@serves("GET", "POST")
def duplicate_check(request: AuthenticatedHttpRequest, reference: str, other: str) -> HttpResponse:
    case = get_case_for_user(request.user, reference, CaseAction.TRIAGE)
    other_case = (
        cases_visible_to(request.user)
        .filter(partnership_id=case.partnership_id, reference=other)
        .exclude(pk=case.pk)
        .first()
    )
    if other_case is None:
        raise Http404("No such case")
    existing = duplicate_checks_of(case).get(other_case.pk)
    initial = {"outcome": existing.outcome, "reason": existing.reason} if existing else {}
    form = DuplicateCheckForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        check = duplicate_check_record(
            case=case,
            other=other_case,
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            request,
            f"{case.reference} and {other_case.reference} are linked as the same incident."
            if check.outcome == DuplicateOutcome.SAME
            else f"{other_case.reference} is not the same incident: the warning is dismissed.",
        )
        # Back to the partners' decision while they are deciding; to the case's referral after.
        return redirect("referrals:triage" if case.state == CaseState.REFERRED else "cases:referral", case.reference)
    return render(
        request,
        "referrals/duplicate_check.html",
        {
            "case": case,
            "other": other_case,
            "existing": existing,
            "form": form,
            "nav": "cases",
            "CaseState": CaseState,
        },
    )
