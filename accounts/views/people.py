"""The People pages: who has a role in the inviter's partnership, and each person's roles there.

Need-to-know: an inviter sees the people of their own partnership only (anyone else's person or
role is 404), and of each person only their roles in that partnership.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Invitation, Membership
from accounts.roles import Role
from accounts.selectors import people_for, person_for
from accounts.services import ending_leaves_no_inviter
from accounts.views.invitations import inviting_partnership
from core.http import serves

PEOPLE_PER_PAGE = 25


@serves("GET")
def people_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    partnership, _ = inviting_partnership(request)
    page = Paginator(people_for(actor=request.user, partnership=partnership), PEOPLE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for someone in page.object_list:
        someone.current_roles = [m for m in someone.roles_here if m.active]  # type: ignore[attr-defined]
    open_invitations = Invitation.objects.filter(
        partnership=partnership, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).count()
    return render(
        request,
        "accounts/people.html",
        {
            "partnership": partnership,
            "page": page,
            "open_invitations": open_invitations,
            "nav": "people",
        },
    )


@serves("GET")
def person(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership, allowed = inviting_partnership(request)
    found = person_for(actor=request.user, partnership=partnership, pk=pk)
    if found is None:
        raise Http404("No such person in this partnership")
    memberships: list[Membership] = found.roles_here  # type: ignore[attr-defined]
    current = [
        {
            "membership": m,
            "may_end": Role(m.role) in allowed and not ending_leaves_no_inviter(actor=request.user, membership=m),
        }
        for m in memberships
        if m.active
    ]
    return render(
        request,
        "accounts/person.html",
        {
            "partnership": partnership,
            "person": found,
            "current": current,
            "ended": [m for m in memberships if not m.active],
            "is_self": found.pk == request.user.pk,
            "nav": "people",
        },
    )
