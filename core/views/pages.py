from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.http import serves


@login_not_required
@serves("GET")
def healthz(request: HttpRequest) -> HttpResponse:
    """200 'ok' once the database answers; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means not healthy
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@serves("GET")
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@login_not_required
@serves("GET")
def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "core/cookies.html")
