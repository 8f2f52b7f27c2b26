"""Counting attempts in the database (shared by every web worker), to slow down password resets
and wrong security codes. What is counted is stored only as a keyed hash."""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import Attempt

KEPT_FOR = timedelta(days=1)


def attempt_key(*parts: object) -> str:
    text = "|".join(str(part) for part in parts)
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def attempts_within(kind: Attempt.Kind, key: str, window: timedelta) -> int:
    return Attempt.objects.filter(kind=kind, key=key, at__gt=timezone.now() - window).count()


def attempt_record(kind: Attempt.Kind, key: str) -> None:
    now = timezone.now()
    Attempt.objects.filter(kind=kind, at__lt=now - KEPT_FOR).delete()
    Attempt.objects.create(kind=kind, key=key, at=now)


def attempts_clear(kind: Attempt.Kind, key: str) -> None:
    Attempt.objects.filter(kind=kind, key=key).delete()
