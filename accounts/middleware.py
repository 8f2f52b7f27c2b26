import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.twofactor import has_confirmed_device, user_is_verified

# Pages a signed-in person may reach before they have entered a security code.
_EXEMPT_PREFIXES = ("/static/", "/healthz", "/accessibility", "/cookies", "/sign-in", "/sign-out", "/signed-out")


class IdleTimeoutMiddleware:
    """Signs a person out after SESSION_IDLE_SECONDS without a request, and says why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get("last_seen")
            if last is not None and now - float(last) > settings.SESSION_IDLE_SECONDS:
                logout(request)
                # Back to the same page after signing in again (a form's page, for a lost post).
                back = request.get_full_path() if request.method == "GET" else request.path
                return redirect(f"{reverse('accounts:sign_in')}?{urlencode({'timeout': 1, 'next': back})}")
            request.session["last_seen"] = now
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """Everyone uses two-factor authentication: until the code is entered, only sign-in pages work."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user_is_verified(user) and not request.path.startswith(_EXEMPT_PREFIXES):
            target = "accounts:two_factor_verify" if has_confirmed_device(user) else "accounts:two_factor_setup"
            return redirect(target)
        return self.get_response(request)
