from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.forms import InvitationForm, SetPasswordForm, account_exists_message
from accounts.models import Invitation, Membership
from accounts.roles import INVITING_ROLES, Role
from accounts.selectors import account_with_email
from accounts.services import (
    AccountExistsError,
    InvitationError,
    invitation_accept,
    invitation_create,
    invitation_from_token,
    invitation_revoke,
)
from partnerships.models import Partnership


def _inviting_partnership(request: HttpRequest) -> tuple[Partnership, set[Role]]:
    """The partnership this person may invite into, and the roles they may give."""
    memberships = (
        Membership.objects.active()
        .filter(user=request.user, role__in=list(INVITING_ROLES))  # type: ignore[misc]
        .select_related("partnership")
    )
    membership = memberships.first()
    if membership is None:
        raise PermissionDenied("Only administrators and review coordinators can invite people")
    roles = {Role(m.role) for m in memberships if m.partnership_id == membership.partnership_id}
    allowed = set(Role) if Role.ADMIN in roles else set(Role) - {Role.ADMIN}
    return membership.partnership, allowed


def invitation_list(request: HttpRequest) -> HttpResponse:
    partnership, _ = _inviting_partnership(request)
    people = (
        Membership.objects.filter(partnership=partnership)
        .select_related("user", "agency")
        .order_by("user__last_name", "user__first_name")
    )
    invitations = Invitation.objects.filter(partnership=partnership).select_related("agency", "invited_by")
    page = Paginator(invitations, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/invitations.html",
        {"partnership": partnership, "people": people, "page": page, "nav": "people"},
    )


def invitation_new(request: HttpRequest) -> HttpResponse:
    partnership, allowed = _inviting_partnership(request)
    form = InvitationForm(request.POST or None, partnership=partnership, allowed_roles=allowed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation, _ = invitation_create(
                invited_by=request.user,
                partnership=partnership,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=Role(data["role"]),
                agency=data["agency"],
            )
        except AccountExistsError as error:  # made since the form checked
            form.add_error("email", account_exists_message(error.user, partnership))
        else:
            messages.success(
                request, f"Invitation sent to {invitation.email}. The link works once and expires in 7 days."
            )
            return redirect("accounts:invitations")
    return render(request, "accounts/invitation_new.html", {"form": form, "partnership": partnership, "nav": "people"})


@require_POST
def invitation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, _ = _inviting_partnership(request)
    invitation = get_object_or_404(Invitation, pk=pk, partnership=partnership)
    if invitation.is_usable:
        invitation_revoke(actor=request.user, invitation=invitation)
        messages.success(request, f"Invitation to {invitation.email} cancelled.")
    return redirect("accounts:invitations")


@login_not_required
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_from_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if account_with_email(invitation.email) is not None:
        return _account_exists(request, invitation)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(token=token, password=form.cleaned_data["password1"])
        except AccountExistsError:
            return _account_exists(request, invitation)
        except InvitationError:
            raise Http404("Invitation no longer usable") from None
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("accounts:two_factor_setup")
    return render(request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation})


def _account_exists(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    """An invitation to an address that has an account since: it changes nothing and says why."""
    return render(request, "accounts/invitation_account_exists.html", {"invitation": invitation}, status=409)
