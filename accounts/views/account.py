from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.selectors import memberships_of
from core.http import serves


@login_required
@serves("GET")
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html", {"memberships": memberships_of(request.user)})
