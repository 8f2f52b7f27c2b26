"""Asking for a password reset: limited per email address and per internet address, and the same
work and answer whether or not the address has an account (the email is sent by a task)."""

from datetime import timedelta
from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.jobs import password_reset_send_job
from accounts.models import Attempt
from accounts.selectors import normalised_email
from accounts.throttle import attempt_key, attempt_record, attempts_within
from core.middleware import client_ip

WINDOW = timedelta(hours=1)
PER_ADDRESS = 3  # reset emails for one email address an hour
PER_IP = 10  # reset requests from one internet address an hour


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"

    def form_valid(self, form: Any) -> HttpResponse:
        email = normalised_email(form.cleaned_data["email"])
        address_key = attempt_key("reset", email)
        ip_key = attempt_key("reset", client_ip(self.request) or "unknown")
        if (
            attempts_within(Attempt.Kind.RESET_FOR_ADDRESS, address_key, WINDOW) >= PER_ADDRESS
            or attempts_within(Attempt.Kind.RESET_FROM_IP, ip_key, WINDOW) >= PER_IP
        ):
            return render(self.request, "accounts/password_reset_wait.html", {"minutes": 60}, status=429)
        attempt_record(Attempt.Kind.RESET_FOR_ADDRESS, address_key)
        attempt_record(Attempt.Kind.RESET_FROM_IP, ip_key)
        password_reset_send_job.enqueue(email=email, domain=self.request.get_host(), use_https=self.request.is_secure())
        return redirect("accounts:password_reset_sent")
