"""Check your answers, sending the referral, the confirmation, and the person's referrals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthenticatedHttpRequest
from cases.policies import get_case_for_user
from core.http import serves
from referrals.journey import page_url
from referrals.policies import can_refer, get_referral_for_owner
from referrals.selectors import agency_referrals_for_lead, drafts_of, duplicate_warning, sent_referrals_of
from referrals.services.submit import ReferralIncomplete, referral_submit
from referrals.steps import problems, sequence
from referrals.summary import referral_sections


@login_required
@serves("GET")
def your_referrals(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "referrals/list.html",
        {
            "drafts": drafts_of(request.user),
            "sent": sent_referrals_of(request.user),
            "agency_cases": agency_referrals_for_lead(request.user)[:50],
            "can_refer": can_refer(request.user),
            "nav": "referrals",
        },
    )


@login_required
@serves("GET")
def check(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_owner(request.user, pk, draft_only=False)
    if not referral.is_draft and referral.case is not None:
        return redirect("referrals:sent", referral.case.reference)
    found = problems(referral)
    slugs = sequence(referral)
    return render(
        request,
        "referrals/check.html",
        {
            "referral": referral,
            "sections": referral_sections(referral, editable=True),
            "problems": [(page_url(referral, slug), message) for slug, message in found],
            "duplicates": duplicate_warning(request.user, referral),
            "back_url": page_url(referral, slugs[-2]),
            "nav": "referrals",
        },
    )


@login_required
@serves("POST")
def submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_owner(request.user, pk, draft_only=False)
    try:
        case = referral_submit(referral_id=referral.pk, actor=request.user)
    except ReferralIncomplete:
        messages.error(request, "Answer the questions listed before you send the referral.")
        return redirect("referrals:check", referral.pk)
    return redirect("referrals:sent", case.reference)


@login_required
@serves("GET")
def sent(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = get_case_for_user(request.user, reference)
    referral = getattr(case, "referral", None)
    duplicates = duplicate_warning(request.user, referral) if referral is not None else None
    return render(
        request,
        "referrals/sent.html",
        {"case": case, "referral": referral, "duplicates": duplicates, "nav": "referrals"},
    )
