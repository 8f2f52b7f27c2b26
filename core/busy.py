"""A request that finds the database busy gets "The service is busy, try again" (503), never a 500.

SQLite lets one writer at a time; a request that waits longer than the database timeout for
another's write gets `OperationalError: database is locked` (PostgreSQL: a lock or statement
timeout, a deadlock, a serialization failure). Services write in one transaction, so nothing of
the request is kept. The page says so, and gives back what the person sent: a form's fields come
back as a form that sends them again (never a password, which they type again; a file is chosen
again). A script's request (Accept: application/json) gets a JSON answer it can act on.

`DatabaseBusyMiddleware` catches it from a view; `core.views.errors.server_error` from anything
else (a middleware saving the session), so either way the answer is the same.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
# SQLSTATE codes of PostgreSQL errors that mean "busy, try again": lock not available, query
# cancelled (lock_timeout / statement_timeout), serialization failure, deadlock.
_BUSY_SQLSTATES = frozenset({"55P03", "57014", "40001", "40P01"})
_BUSY_WORDS = ("database is locked", "database table is locked", "database is busy")
_NEVER_SENT_BACK = ("password", "csrfmiddlewaretoken")


def is_database_busy(error: BaseException | None) -> bool:
    if not isinstance(error, OperationalError):
        return False
    if any(words in str(error).lower() for words in _BUSY_WORDS):
        return True
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) in _BUSY_SQLSTATES


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def busy_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    logger.warning("The database was busy for %s %s: %s", request.method, request.path, error)
    if _wants_json(request):
        response: HttpResponse = JsonResponse(
            {
                "saved": False,
                "status": "busy",
                "message": "The service is busy. Nothing was saved: your answers are kept on this page. "
                "Try again in a minute.",
            },
            status=503,
        )
    else:
        fields: list[tuple[str, str]] = []
        dropped_password = had_files = False
        if request.method == "POST":
            try:
                for name, values in request.POST.lists():
                    if any(word in name.lower() for word in _NEVER_SENT_BACK):
                        dropped_password = dropped_password or "password" in name.lower()
                        continue
                    fields.extend((name, value) for value in values)
                had_files = bool(request.FILES)
            except Exception:  # noqa: BLE001 - a body that cannot be read again is simply not offered back
                fields = []
        try:
            html: str = render_to_string(
                "errors/busy.html",
                {
                    "fields": fields,
                    "resend": request.method == "POST" and bool(fields),
                    "dropped_password": dropped_password,
                    "had_files": had_files,
                    "again_url": request.get_full_path(),
                    "retry_after": RETRY_AFTER_SECONDS,
                },
                request=request,
            )
        except Exception:
            logger.exception("The busy page could not be drawn")
            html = "The service is busy. Nothing was saved. Try again in a minute."
            response = HttpResponse(html, status=503, content_type="text/plain; charset=utf-8")
        else:
            response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    """Turns a view's "database is locked" into the busy page (503)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_busy(exception):
            return busy_response(request, exception)
        return None


def busy_or_none(request: HttpRequest, exc_info: tuple[Any, Any, Any]) -> HttpResponse | None:
    """For the 500 handler: the busy page when the error being handled is a busy database."""
    error = exc_info[1]
    return busy_response(request, error) if is_database_busy(error) else None
