from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.http import serves
from portal.home import home_context


@login_required
@serves("GET")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"nav": "home", **home_context(request.user)})
