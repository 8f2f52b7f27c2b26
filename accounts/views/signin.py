from datetime import timedelta
from typing import Any

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.forms import SignInForm
from accounts.http import AuthenticatedHttpRequest
from accounts.twofactor import user_is_verified
from audit.models import Verb
from audit.services import audit_record
from core.http import serves


def _lock_ends(username: str, ip: str | None) -> Any:
    attempt = (
        AccessAttempt.objects.filter(username=username, ip_address=ip).order_by("-attempt_time").first()
        if username
        else None
    )
    cool_off = (
        settings.AXES_COOLOFF_TIME if isinstance(settings.AXES_COOLOFF_TIME, timedelta) else timedelta(minutes=15)
    )
    base = attempt.attempt_time if attempt else timezone.now()
    return timezone.localtime(base + cool_off)


def locked_out(request: HttpRequest, response: HttpResponse, credentials: dict[str, Any] | None) -> HttpResponse:
    """Shown instead of the sign-in page when a username is locked from this address."""
    username = (credentials or {}).get("username", "") or request.POST.get("username", "")
    until = _lock_ends(username, get_client_ip_address(request))
    audit_record(actor=None, verb=Verb.LOCKED_OUT, details={"username": username}, actor_label=username or "anonymous")
    return render(
        request,
        "accounts/locked.html",
        {"until": until, "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)},
        status=403,
    )


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_not_required
@serves("GET", "POST")
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and user_is_verified(request.user):
        return redirect("portal:home")
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"].lower(), password=form.cleaned_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            return locked_out(request, HttpResponse(status=403), {"username": form.cleaned_data["username"].lower()})
        if user is None or not user.is_active:
            audit_record(
                actor=None,
                verb=Verb.SIGN_IN_FAILED,
                details={"username": form.cleaned_data["username"]},
                actor_label=form.cleaned_data["username"],
            )
            form.add_error(None, "Enter a correct email address and password")
        else:
            login(request, user)
            request.session["last_seen"] = timezone.now().timestamp()
            if next_url := _safe_next(request):
                request.session["after_two_factor"] = next_url
            audit_record(actor=user, verb=Verb.SIGN_IN, details={"stage": "password"})
            return redirect("accounts:two_factor_verify")
    context = {"form": form, "timed_out": request.GET.get("timeout") == "1", "next": _safe_next(request) or ""}
    return render(request, "accounts/sign_in.html", context)


@login_not_required
@serves("POST")
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(actor=request.user, verb=Verb.SIGN_OUT)
    logout(request)
    return redirect("accounts:signed_out")


@login_not_required
@serves("GET")
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html")


@serves("POST")
def keep_alive(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Called by the timeout warning's 'Stay signed in' button; the middleware refreshes the session."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    if request.headers.get("Accept", "").startswith("text/html"):
        back = request.META.get("HTTP_REFERER", "")
        safe = url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return redirect(back if back and safe else "portal:home")
    return JsonResponse({"signed_in": True, "idle_seconds": settings.SESSION_IDLE_SECONDS})
