from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import memberships_of
from core.http import serves


@login_required
@serves("GET")
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html", {"memberships": memberships_of(request.user)})
