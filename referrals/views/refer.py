"""The question pages of the referral journey, their autosave endpoint and the children pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.http import AuthenticatedHttpRequest
from core.http import serves
from referrals.forms.children import AddAnotherForm
from referrals.journey import build_page, page_url
from referrals.models import YesNo
from referrals.policies import can_refer, get_referral_for_owner
from referrals.services.drafts import (
    CannotRefer,
    next_child_position,
    referral_child_remove,
    referral_discard,
    referral_save_answers,
    referral_start,
)
from referrals.steps import next_slug, previous_slug


@login_required
@serves("GET", "POST")
def start(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_refer(request.user):
        raise PermissionDenied("You do not have a role that can refer")
    if request.method == "POST":
        try:
            referral = referral_start(actor=request.user)
        except CannotRefer as error:
            raise PermissionDenied(str(error)) from None
        return redirect(page_url(referral, "about-you"))
    return render(request, "referrals/start.html", {"nav": "referrals"})


def _sent_already(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse | None:
    """A page of a referral that has been sent (a bookmark, the back button) shows what was sent."""
    referral = get_referral_for_owner(request.user, pk, draft_only=False)
    if not referral.is_draft and referral.case is not None:
        messages.info(request, "This referral has been sent. It can no longer be changed.")
        return redirect("referrals:sent", referral.case.reference)
    return None


@login_required
@serves("GET", "POST")
def step(request: AuthenticatedHttpRequest, pk: int, slug: str) -> HttpResponse:
    if (sent := _sent_already(request, pk)) is not None:
        return sent
    referral = get_referral_for_owner(request.user, pk)
    page = build_page(referral, slug, request.user, request.POST if request.method == "POST" else None)
    returning = request.GET.get("return") == "check"
    if request.method == "POST":
        valid = page.form.is_valid()
        referral_save_answers(form=page.form, answers=page.form.valid_answers())
        if "later" in request.POST:
            messages.success(request, "Your answers are saved. You can come back to this referral at any time.")
            return redirect("referrals:list")
        if valid:
            referral.refresh_from_db()
            return redirect(page_url(referral, "check" if returning else next_slug(referral, slug)))
    back = previous_slug(referral, slug)
    if returning:
        back_url = page_url(referral, "check")
    elif back:
        back_url = page_url(referral, back)
    else:
        back_url = reverse("referrals:list")
    context = {
        "referral": referral,
        "page": page,
        "form": page.form,
        "back_url": back_url,
        "autosave_url": reverse("referrals:autosave", args=[referral.pk, slug]),
        "nav": "referrals",
    }
    return render(request, "referrals/step.html", context)


@login_required
@serves("POST")
def autosave(request: AuthenticatedHttpRequest, pk: int, slug: str) -> HttpResponse:
    """Saves whatever answers on the page are valid so far; never reports validation errors."""
    referral = get_referral_for_owner(request.user, pk, draft_only=False)
    if not referral.is_draft:
        return JsonResponse({"saved": False, "reason": "sent"}, status=409)
    page = build_page(referral, slug, request.user, request.POST)
    page.form.is_valid()
    referral_save_answers(form=page.form, answers=page.form.valid_answers())
    return JsonResponse({"saved": True})


@login_required
@serves("GET", "POST")
def children(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The add-another page: the children so far, and whether there is another."""
    if (sent := _sent_already(request, pk)) is not None:
        return sent
    referral = get_referral_for_owner(request.user, pk)
    listed = referral.children_list()
    if not listed:
        return redirect(page_url(referral, "child-1"))
    form = AddAnotherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["add_another"] == YesNo.YES:
            return redirect(page_url(referral, f"child-{next_child_position(referral)}"))
        return redirect(page_url(referral, next_slug(referral, "children")))
    back = previous_slug(referral, "children")
    return render(
        request,
        "referrals/children.html",
        {
            "referral": referral,
            "children": listed,
            "form": form,
            "back_url": page_url(referral, back) if back else reverse("referrals:list"),
            "nav": "referrals",
        },
    )


@login_required
@serves("GET", "POST")
def child_remove(request: AuthenticatedHttpRequest, pk: int, position: int) -> HttpResponse:
    referral = get_referral_for_owner(request.user, pk)
    child = referral.children.filter(position=position).first()
    if child is None:
        return redirect("referrals:children", referral.pk)
    if request.method == "POST":
        referral_child_remove(referral=referral, position=position, actor=request.user)
        messages.success(request, f"{child.display_name} removed from the referral.")
        return redirect("referrals:children", referral.pk)
    return render(request, "referrals/child_remove.html", {"referral": referral, "child": child, "nav": "referrals"})


@login_required
@serves("GET", "POST")
def discard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_owner(request.user, pk)
    if request.method == "POST":
        referral_discard(referral=referral, actor=request.user)
        messages.success(request, "Draft referral deleted.")
        return redirect("referrals:list")
    return render(request, "referrals/discard.html", {"referral": referral, "nav": "referrals"})
