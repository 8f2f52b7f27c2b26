from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.forms import InvitationForm, SetPasswordForm, account_exists_message
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Invitation
from accounts.roles import Role
from accounts.selectors import account_with_email
from accounts.selectors import inviting_partnership as inviting_partnership_of
from accounts.services import (
    AccountExistsError,
    InvitationAlreadyOpen,
    InvitationError,
    invitation_accept,
    invitation_create,
    invitation_from_token,
    invitation_revoke,
)
from core.http import serves
from partnerships.models import Partnership

# An address typed on the invite page that has an account (or on the give-a-role page that has none),
# so the other page, reached by its link, starts with it filled in.
REMEMBERED_EMAIL = "people_remembered_email"


def inviting_partnership(request: AuthenticatedHttpRequest) -> tuple[Partnership, set[Role]]:
    """The partnership this person may invite into, and the roles they may give; 403 for anyone else."""
    found = inviting_partnership_of(request.user)
    if found is None:
        raise PermissionDenied("Only administrators and review coordinators can invite people")
    return found


@serves("GET")
def invitation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every invitation of the partnership, newest first, with the open ones to cancel."""
    partnership, _ = inviting_partnership(request)
    invitations = Invitation.objects.filter(partnership=partnership).select_related("agency", "invited_by")
    page = Paginator(invitations, 25).get_page(request.GET.get("page"))
    return render(request, "accounts/invitations.html", {"partnership": partnership, "page": page, "nav": "people"})


# The same invitation from the same person this soon after is the same form sent again.
SENT_AGAIN_WITHIN = timedelta(minutes=10)


def _sent(request: AuthenticatedHttpRequest, invitation: Invitation) -> HttpResponse:
    messages.success(request, f"Invitation sent to {invitation.email}. The link works once and expires in 7 days.")
    return redirect("accounts:invitation_list")


@serves("GET", "POST")
def invitation_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    partnership, allowed = inviting_partnership(request)
    initial: dict[str, str] = {}
    remembered = request.session.pop(REMEMBERED_EMAIL, None) if request.method == "GET" else None
    if remembered and request.GET.get("from") == "give-a-role":
        initial["email"] = remembered  # typed on the give-a-role page, which found no account
    form = InvitationForm(request.POST or None, initial=initial, partnership=partnership, allowed_roles=allowed)
    existing = None
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
            form.existing_account = error.user
            form.add_error("email", account_exists_message(error.user, partnership))
        except InvitationAlreadyOpen as error:
            earlier = error.invitation
            if earlier.invited_by_id == request.user.pk and earlier.created_at > timezone.now() - SENT_AGAIN_WITHIN:
                return _sent(request, earlier)  # the same form sent twice: it was sent, once
            form.add_error(
                "email",
                "An invitation to this address for this role is already open. It was sent on "
                f"{timezone.localtime(earlier.created_at):%-d %B %Y}. Cancel it on the invitations page to send a new one",
            )
        else:
            return _sent(request, invitation)
    if form.existing_account is not None:
        # The page offers to give them a role instead, with the address they typed already filled in.
        existing = form.existing_account
        request.session[REMEMBERED_EMAIL] = existing.email
    return render(
        request,
        "accounts/invitation_new.html",
        {"form": form, "partnership": partnership, "existing": existing, "nav": "people"},
    )


@serves("POST")
def invitation_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership, _ = inviting_partnership(request)
    invitation = get_object_or_404(Invitation, pk=pk, partnership=partnership)
    if invitation.is_usable:
        invitation_revoke(actor=request.user, invitation=invitation)
        messages.success(request, f"Invitation to {invitation.email} cancelled.")
    return redirect("accounts:invitation_list")


@login_not_required
@serves("GET", "POST")
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
