"""Slowing down wrong security codes without letting anyone lock the real person out.

django-otp slows down a *device* after each wrong code (1, 2, 4 ... seconds, without limit), and the
device is the person's only app: anyone who has the password could sign in, type wrong codes, and
keep the real person waiting for hours. So django-otp's device throttle is off
(OTP_TOTP_THROTTLE_FACTOR = OTP_STATIC_THROTTLE_FACTOR = 0) and wrong codes are counted here:

- per place: the person and the client's address. After n wrong codes from there in the last hour,
  that place waits 2^(n-1) seconds (at most 15 minutes) before a code is checked again; the session
  also ends after 5 wrong codes (accounts.views.twofactor). The real person, elsewhere, is not slowed.
- per person, against guessing from many places at once: after 10 wrong codes in an hour from
  anywhere, only a browser that has passed the second factor for this person before (a signed
  cookie kept 90 days) may try a code, and the person is emailed once: their password is known.
  The real person can still sign in from a browser they have used, or wait an hour, or ask their
  business unit. A guesser with the password gets about 10 guesses an hour in all, not per place.

What this does not stop: someone with the password *and* one of the person's browsers; someone
with the password behind the same internet address as the person (one organisation's network)
slows them down as if they were one place; a person who has never signed in before can be kept out
of new browsers for up to an hour at a time while the guessing goes on (they are told why and who
to contact).
"""

import logging
import math
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.models import Attempt, User
from accounts.throttle import attempt_key, attempt_record, attempts_clear, attempts_within
from core.middleware import client_ip

logger = logging.getLogger(__name__)

WINDOW = timedelta(hours=1)
MAX_WAIT_SECONDS = 15 * 60
PERSON_LIMIT = 10
KNOWN_BROWSER_COOKIE = "known_browser"
KNOWN_FOR = timedelta(days=90)
_SALT = "accounts.code_throttle.known_browser"


def _place(request: HttpRequest, user: User) -> str:
    return attempt_key("code", user.pk, client_ip(request) or "unknown")


def _person(user: User) -> str:
    return attempt_key("code-person", user.pk)


def wait_seconds(request: HttpRequest, user: User) -> int:
    """Seconds until a code from this place is checked again (0: now)."""
    found = Attempt.objects.filter(
        kind=Attempt.Kind.CODE_FROM_SOURCE, key=_place(request, user), at__gt=timezone.now() - WINDOW
    ).aggregate(n=Count("id"), last=Max("at"))
    if not found["n"]:
        return 0
    until = found["last"] + timedelta(seconds=min(2 ** (found["n"] - 1), MAX_WAIT_SECONDS))
    return max(0, math.ceil((until - timezone.now()).total_seconds()))


def is_known_browser(request: HttpRequest, user: User) -> bool:
    try:
        value = signing.loads(request.COOKIES.get(KNOWN_BROWSER_COOKIE, ""), salt=_SALT, max_age=KNOWN_FOR)
    except signing.BadSignature:
        return False
    return isinstance(value, list) and user.pk in value


def person_blocked(request: HttpRequest, user: User) -> bool:
    """Too many wrong codes for this person from anywhere, and this browser is not one of theirs."""
    return attempts_within(Attempt.Kind.CODE_FOR_PERSON, _person(user), WINDOW) >= PERSON_LIMIT and not (
        is_known_browser(request, user)
    )


def failure_record(request: HttpRequest, user: User) -> None:
    attempt_record(Attempt.Kind.CODE_FROM_SOURCE, _place(request, user))
    attempt_record(Attempt.Kind.CODE_FOR_PERSON, _person(user))
    if attempts_within(Attempt.Kind.CODE_FOR_PERSON, _person(user), WINDOW) == PERSON_LIMIT:
        _tell(user)


def _tell(user: User) -> None:
    """The email to the person; a mail outage must not turn a wrong code into an error page."""
    try:
        send_mail(
            f"Wrong security codes for your {settings.SERVICE_NAME} account",
            f"{PERSON_LIMIT} wrong security codes were entered for your account in the last hour, after "
            "your password was entered correctly. If this was not you, someone knows your password: "
            "reset it now and tell your business unit.\n\n"
            "You can still sign in from a browser you have signed in with before.\n",
            None,
            [user.email],
        )
    except Exception:  # logged; the sign-in page still answers
        logger.exception("Could not email %s about wrong security codes", user.pk)


def success_record(request: HttpRequest, user: User) -> None:
    attempts_clear(Attempt.Kind.CODE_FROM_SOURCE, _place(request, user))


def remember_browser(request: HttpRequest, response: HttpResponse, user: User) -> HttpResponse:
    """Marks this browser as one that passed the second factor for the person (several people may share one)."""
    try:
        known = signing.loads(request.COOKIES.get(KNOWN_BROWSER_COOKIE, ""), salt=_SALT)
    except signing.BadSignature:
        known = []
    others = [pk for pk in known if isinstance(pk, int) and pk != user.pk] if isinstance(known, list) else []
    people = [*others[-4:], user.pk]
    response.set_cookie(
        KNOWN_BROWSER_COOKIE,
        signing.dumps(people, salt=_SALT),
        max_age=int(KNOWN_FOR.total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
