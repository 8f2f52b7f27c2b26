from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts import code_throttle, twofactor
from accounts.forms import CodeForm
from accounts.http import AuthenticatedHttpRequest
from audit.models import Verb
from audit.services import audit_record
from core.http import serves

MAX_CODE_FAILURES = 5


def _after(request: AuthenticatedHttpRequest) -> HttpResponse:
    return redirect(request.session.pop("after_two_factor", None) or "portal:home")


@login_required
@serves("GET", "POST")
def setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Enrolment: scan the QR code, enter a code to prove it works, then see backup codes once."""
    if twofactor.has_confirmed_device(request.user):
        return redirect("accounts:two_factor_verify")
    device = twofactor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = "The 6-digit code your authenticator app shows for this service"
    wait = code_throttle.wait_seconds(request, request.user) if request.method == "POST" and form.is_valid() else 0
    if wait:
        # The code is not checked while this place waits after a wrong one: say so, not "not right".
        form.add_error("code", twofactor.wait_message(wait))
    elif request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            code_throttle.success_record(request, request.user)
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = twofactor.new_backup_codes(request.user)
                audit_record(actor=request.user, verb=Verb.TWO_FACTOR_ENROLLED)
            from django_otp import login as otp_login

            otp_login(request, device)
            request.session["backup_codes"] = codes
            return code_throttle.remember_browser(request, redirect("accounts:backup_codes"), request.user)
        code_throttle.failure_record(request, request.user)
        form.add_error(
            "code", "The security code is not right. Check your app shows this service and try the newest code"
        )
    uri = twofactor.provisioning_uri(device, request.user.email)
    context = {"form": form, "qr": twofactor.qr_svg(uri), "secret": twofactor.base32_secret(device)}
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@serves("GET", "POST")
def backup_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    codes = request.session.get("backup_codes")
    if request.method == "POST":
        request.session.pop("backup_codes", None)
        return _after(request)
    if not codes:
        return redirect("portal:home")
    return render(request, "accounts/backup_codes.html", {"codes": codes})


@login_required
@serves("POST")
def regenerate_backup_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    request.session["backup_codes"] = twofactor.new_backup_codes(request.user)
    audit_record(actor=request.user, verb=Verb.UPDATE, target=request.user, details={"backup_codes": "replaced"})
    return redirect("accounts:backup_codes")


@login_required
@serves("GET", "POST")
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    if twofactor.user_is_verified(request.user):
        return redirect("portal:home")
    if not twofactor.has_confirmed_device(request.user):
        return redirect("accounts:two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = twofactor.check_code(request, request.user, form.cleaned_data["code"])
        if check.result == twofactor.CodeResult.OK:
            request.session.pop("code_failures", None)
            audit_record(actor=request.user, verb=Verb.SIGN_IN, details={"stage": "two_factor"})
            return code_throttle.remember_browser(request, _after(request), request.user)
        if check.result == twofactor.CodeResult.BLOCKED:
            form.add_error("code", twofactor.BLOCKED_MESSAGE)
            return render(request, "accounts/two_factor_verify.html", {"form": form})
        if check.result == twofactor.CodeResult.WAIT:
            # The code was not checked (django-otp is still slowing the device down), so it is no
            # failure: say how long to wait, keeping what was typed.
            form.add_error("code", twofactor.wait_message(check.wait_seconds))
            return render(request, "accounts/two_factor_verify.html", {"form": form})
        failures = int(request.session.get("code_failures", 0)) + 1
        request.session["code_failures"] = failures
        audit_record(actor=request.user, verb=Verb.TWO_FACTOR_FAILED, details={"failures": failures})
        if failures >= MAX_CODE_FAILURES:
            from django.contrib.auth import logout

            logout(request)
            return render(request, "accounts/code_locked.html", status=403)
        form.add_error("code", "The security code is not right. Enter the newest code from your app")
    return render(request, "accounts/two_factor_verify.html", {"form": form})
