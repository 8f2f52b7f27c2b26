from typing import Any

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_for(user: Any) -> str:
    """The current TOTP code of the person's confirmed (or pending) device."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed").first()
    assert device is not None
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def password_step(client: Client, email: str, password: str, **extra: Any) -> Any:
    return client.post(reverse("accounts:sign_in"), {"username": email, "password": password}, **extra)
