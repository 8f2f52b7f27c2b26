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
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import code_throttle
from accounts.models import User

BACKUP_CODE_COUNT = 10


def user_is_verified(user: User) -> bool:
    """True once this session has passed the second factor (django-otp adds is_verified)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user: User) -> TOTPDevice:
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


def new_backup_codes(user: User) -> list[str]:
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
    BLOCKED = "blocked"


@dataclass(frozen=True)
class CodeCheck:
    """What checking a code found; `wait_seconds` is how long until a WAIT place may try again."""

    result: str
    wait_seconds: int = 0


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


BLOCKED_MESSAGE = (
    "Too many wrong security codes have been entered for this account in the last hour. Sign in from "
    "a browser you have used before, or try again in an hour. If this was not you, reset your password"
)


def check_code(request: Any, user: User, code: str) -> CodeCheck:
    """Checks a 6-digit TOTP code or an 8-digit backup code; on success marks the session verified.

    Wrong codes slow down the place they come from, never the person's devices (accounts.code_throttle):
    WAIT, with the seconds left, when this place must wait and the code was not checked; BLOCKED
    when too many wrong codes came for the person from anywhere and this browser is not theirs.
    """
    wait = code_throttle.wait_seconds(request, user)
    if wait:
        return CodeCheck(CodeResult.WAIT, wait)
    if code_throttle.person_blocked(request, user):
        return CodeCheck(CodeResult.BLOCKED)
    code = code.replace(" ", "").replace("-", "")
    devices: list[Any] = []
    if code.isdigit():
        devices = list(
            TOTPDevice.objects.filter(user=user, confirmed=True)
            if len(code) == 6
            else StaticDevice.objects.filter(user=user, confirmed=True)
        )
    for device in devices:
        if device.verify_token(code):
            otp_login(request, device)
            code_throttle.success_record(request, user)
            return CodeCheck(CodeResult.OK)
    code_throttle.failure_record(request, user)
    return CodeCheck(CodeResult.WRONG)
