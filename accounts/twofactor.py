"""Two-factor authentication with django-otp: TOTP apps, plus single-use backup codes."""

import base64
import binascii
import io
import math
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.utils import timezone
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


@dataclass(frozen=True)
class CodeCheck:
    """What checking a code found; `wait_seconds` is how long until a WAIT device checks codes again."""

    result: str
    wait_seconds: int = 0


def wait_seconds(device: Any) -> int:
    """Seconds until django-otp lets the device check a code again after a wrong one (0: it will now).

    django-otp doubles the wait after each wrong code in a row (1, 2, 4 ... seconds) and, while
    it lasts, refuses even the right code without checking it.
    """
    allowed, data = device.verify_is_allowed()
    if allowed:
        return 0
    until = (data or {}).get("locked_until")
    if until is None:
        return 1
    return max(1, math.ceil((until - timezone.now()).total_seconds()))


def wait_message(seconds: int) -> str:
    """'You entered a wrong code. Wait 4 seconds, then enter the code again'."""
    if seconds < 60:
        wait = f"{seconds} second{'s' if seconds != 1 else ''}"
    elif seconds < 3600:
        minutes = math.ceil(seconds / 60)
        wait = f"{minutes} minute{'s' if minutes != 1 else ''}"
    else:
        hours = math.ceil(seconds / 3600)
        wait = f"{hours} hour{'s' if hours != 1 else ''}"
    return f"You entered a wrong code. Wait {wait}, then enter the code again"


def check_code(request: Any, user: Any, code: str) -> CodeCheck:
    """Checks a 6-digit TOTP code or an 8-digit backup code; on success marks the session verified.

    Each kind goes only to its own devices, so typing a backup code does not count as a failed app
    code (django-otp slows down a device after each failure). The result is WAIT, with the seconds
    left, when the device is still slowed down after recent failures and so did not check the code.
    """
    code = code.replace(" ", "").replace("-", "")
    if not code.isdigit():
        return CodeCheck(CodeResult.WRONG)
    devices: list[Any] = list(
        TOTPDevice.objects.filter(user=user, confirmed=True)
        if len(code) == 6
        else StaticDevice.objects.filter(user=user, confirmed=True)
    )
    waits: list[int] = []
    for device in devices:
        wait = wait_seconds(device)
        if wait:
            waits.append(wait)
            continue
        if device.verify_token(code):
            otp_login(request, device)
            return CodeCheck(CodeResult.OK)
    return CodeCheck(CodeResult.WAIT, min(waits)) if waits else CodeCheck(CodeResult.WRONG)
