import re
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.http import allow_header, allowed_methods
from core.request_context import RequestInfo, reset_current, set_current


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for the audit ledger and for sign-in lockout (AXES_CLIENT_IP_CALLABLE).

    Embedded, it is REMOTE_ADDR: an X-Forwarded-For header is the client's own claim and is ignored.
    In production behind TRUSTED_PROXY_COUNT proxies (each appending the address it saw), it is the
    entry that many places from the right of X-Forwarded-For. Never the leftmost entry: a client can
    write anything there, which would let them dodge lockout and forge the audited address.
    """
    proxies = settings.TRUSTED_PROXY_COUNT if settings.PRODUCTION else 0
    if proxies:
        entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
        if len(entries) >= proxies:
            return entries[-proxies]
    return request.META.get("REMOTE_ADDR") or None


# A client's (or its proxy's) own request id: letters, digits, dot, underscore and hyphen, 1 to 64.
CLIENT_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestContextMiddleware:
    """Gives each request an id, records who and where for the audit ledger, adds headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Ours is made here, always: a client must not choose what the ledger says about its request.
        request_id = uuid.uuid4().hex
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        client_request_id = incoming if CLIENT_REQUEST_ID.fullmatch(incoming) else ""
        request.request_id = request_id  # type: ignore[attr-defined]
        info = RequestInfo(
            request_id=request_id,
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:400],
            client_request_id=client_request_id,
            memo={} if request.method in ("GET", "HEAD") else None,
        )
        token = set_current(info)
        try:
            response = self.get_response(request)
        finally:
            reset_current(token)
        response["X-Request-ID"] = request_id
        if client_request_id:
            response["X-Client-Request-ID"] = client_request_id
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # Case data must never sit in a shared cache or the browser's back-forward cache.
            response.setdefault("Cache-Control", "no-store, private")
        return response


BROWSER_METHODS = frozenset({"GET", "POST"})


class HttpMethodsMiddleware:
    """Answers 405, with an `Allow` header, for a method the view does not serve (see core.http).

    It runs before the view and before the CSRF and sign-in checks, so no page is rendered for
    OPTIONS, TRACE, PROPFIND or a GET-only view's POST, and nothing is read or written."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        allowed = allowed_methods(view)
        if request.method in allowed:
            return None
        if request.method in BROWSER_METHODS:
            # Someone opened a button's address, or sent a form to a page that shows only.
            response = render(request, "errors/405.html", status=405)
        else:
            # Not a browser's request (OPTIONS, TRACE, WebDAV...): a line of text is enough.
            response = HttpResponse("Method not allowed\n", status=405, content_type="text/plain")
        response["Allow"] = allow_header(allowed)
        return response
