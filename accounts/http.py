"""The request of a signed-in person.

`django.contrib.auth.middleware.LoginRequiredMiddleware` turns away every request without a signed-in
person unless the view is marked `@login_not_required` (the public pages: sign-in, password reset,
accepting an invitation). Every other view takes an `AuthenticatedHttpRequest`, whose `user` is the
service's `User`, so the type checker knows who is acting without a cast or an ignore.
"""

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """An HttpRequest behind sign-in: `user` is always a signed-in person, never AnonymousUser."""

    user: User
