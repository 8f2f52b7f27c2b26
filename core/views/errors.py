import sys
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.busy import busy_or_none


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Called while the error is being handled: a busy database (met by a middleware saving the
    # session, say) gets the busy page, as it does from a view.
    busy = busy_or_none(request, sys.exc_info())
    if busy is not None:
        return busy
    return render(request, "errors/500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)
