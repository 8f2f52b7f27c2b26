"""Two-factor authentication with django-otp: TOTP apps, plus single-use backup codes."""

import base64
import binascii
import io
import secrets
from typing import Any
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10


def user_is_verified(user: Any) -> bool:
    """True once this session has passed the second factor (django-otp adds is_verified)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def has_confirmed_device(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed TOTP device being set up, made on first visit and kept until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(binascii.unhexlify(device.key)).decode().rstrip("=")


def provisioning_uri(device: TOTPDevice, account: str) -> str:
    issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
    label = quote(f"{issuer}:{account}")
    query = urlencode({"secret": base32_secret(device), "issuer": issuer, "digits": 6, "period": 30})
    return f"otpauth://totp/{label}?{query}"


def qr_svg(uri: str) -> str:
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(
        buffer, kind="svg", scale=5, border=2, xmldecl=False, svgns=True, title="QR code for your authenticator app"
    )
    return buffer.getvalue().decode()


def new_backup_codes(user: Any) -> list[str]:
    """Replaces any earlier backup codes with a fresh set, returned once to show the person."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Backup codes")
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


class CodeResult:
    OK = "ok"
    WRONG = "wrong"
    WAIT = "wait"


def check_code(request: Any, user: Any, code: str) -> str:
    """Checks a 6-digit TOTP code or an 8-digit backup code; on success marks the session verified.

    Each kind goes only to its own devices, so typing a backup code does not count as a failed app
    code (django-otp slows down a device after each failure). Returns a CodeResult value: WAIT when
    the device is still slowed down after recent failures.
    """
    code = code.replace(" ", "").replace("-", "")
    if not code.isdigit():
        return CodeResult.WRONG
    devices: list[Any] = list(
        TOTPDevice.objects.filter(user=user, confirmed=True)
        if len(code) == 6
        else StaticDevice.objects.filter(user=user, confirmed=True)
    )
    waiting = False
    for device in devices:
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            waiting = True
            continue
        if device.verify_token(code):
            otp_login(request, device)
            return CodeResult.OK
    return CodeResult.WAIT if waiting else CodeResult.WRONG


def verify_code(request: Any, user: Any, code: str) -> bool:
    return check_code(request, user, code) == CodeResult.OK
