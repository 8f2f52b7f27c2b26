"""Giving a role to someone who already has an account, and ending a role.

The journey (email address -> role and agency -> check your answers -> confirmation) keeps its
answers in the session, for the inviter's own partnership only. A person outside that partnership
is reached only by the email address they already use, and is not named until they have a role in
it. Nothing here touches a password or a second factor.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from accounts.forms import GrantEmailForm, GrantRoleForm
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Membership, User
from accounts.roles import Role
from accounts.selectors import in_partnership, membership_for, normalised_email, person_for
from accounts.services import (
    LastInvitingRoleError,
    MembershipError,
    RoleAlreadyHeldError,
    ending_leaves_no_inviter,
    membership_end,
    membership_grant,
)
from accounts.views.invitations import REMEMBERED_EMAIL, inviting_partnership
from core.http import serves
from partnerships.models import Agency, Partnership

JOURNEY = "give_role"  # {"partnership", "person", "from_person", "role", "agency"}
GIVEN = "give_role_given"  # {"partnership", "membership"}: what the confirmation page shows
SELF_MESSAGE = "You cannot give yourself a role. Ask another administrator or review coordinator"


def _journey(request: AuthenticatedHttpRequest, partnership: Partnership) -> tuple[dict[str, Any], User] | None:
    """The answers so far and the person they are about, if this journey is in this partnership."""
    state = request.session.get(JOURNEY)
    if not isinstance(state, dict) or state.get("partnership") != partnership.pk:
        return None
    person = User.objects.filter(pk=int(state.get("person") or 0)).first()
    if person is None or person.pk == request.user.pk:
        return None
    return state, person


def _start(
    request: AuthenticatedHttpRequest, partnership: Partnership, person: User, *, from_person: bool
) -> HttpResponse:
    request.session[JOURNEY] = {"partnership": partnership.pk, "person": person.pk, "from_person": from_person}
    return redirect("accounts:give_role_role")


@serves("GET", "POST")
def give_role_email(request: AuthenticatedHttpRequest) -> HttpResponse:
    partnership, _ = inviting_partnership(request)
    initial: dict[str, str] = {}
    if request.method == "GET":
        remembered = request.session.pop(REMEMBERED_EMAIL, None)
        journey = _journey(request, partnership)
        if request.GET.get("from") == "invite" and remembered:
            initial["email"] = remembered
        elif journey is not None and request.GET.get("change"):
            initial["email"] = journey[1].email
    form = GrantEmailForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if form.person is not None and form.person.pk == request.user.pk:
            form.add_error("email", SELF_MESSAGE)
        elif form.person is not None:
            return _start(request, partnership, form.person, from_person=False)
    if form.no_account:
        request.session[REMEMBERED_EMAIL] = normalised_email(request.POST.get("email", ""))
    return render(request, "accounts/give_role_email.html", {"form": form, "partnership": partnership, "nav": "people"})


@serves("GET")
def give_role_to_person(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Starts the journey from a person's page: their address is known, so it begins at the role."""
    partnership, _ = inviting_partnership(request)
    found = person_for(actor=request.user, partnership=partnership, pk=pk)
    if found is None:
        raise Http404("No such person in this partnership")
    if found.pk == request.user.pk:
        messages.error(request, SELF_MESSAGE)
        return redirect("accounts:person", pk=found.pk)
    return _start(request, partnership, found, from_person=True)


def _role_page(
    request: AuthenticatedHttpRequest,
    partnership: Partnership,
    allowed: set[Role],
    state: dict[str, Any],
    person: User,
    data: Any = None,
    *,
    save: bool = False,
) -> HttpResponse:
    """The role question; with `save`, valid answers are kept and the check page follows. Without,
    `data` only shows why answers kept earlier no longer do (a role given since)."""
    named = in_partnership(person, partnership)
    initial = {"role": state.get("role", ""), "agency": state.get("agency")}
    form = GrantRoleForm(
        data, initial=initial, partnership=partnership, allowed_roles=allowed, person=person, named=named
    )
    if data is not None and form.is_valid() and save:
        agency = form.cleaned_data["agency"]
        request.session[JOURNEY] = {**state, "role": form.cleaned_data["role"], "agency": agency.pk if agency else None}
        return redirect("accounts:give_role_check")
    roles_here = Membership.objects.active().filter(user=person, partnership=partnership).select_related("agency")
    return render(
        request,
        "accounts/give_role_role.html",
        {
            "form": form,
            "partnership": partnership,
            "person": person,
            "named": named,
            "roles_here": list(roles_here) if named else [],
            "from_person": state.get("from_person"),
            "nav": "people",
        },
    )


@serves("GET", "POST")
def give_role_role(request: AuthenticatedHttpRequest) -> HttpResponse:
    partnership, allowed = inviting_partnership(request)
    journey = _journey(request, partnership)
    if journey is None:
        return redirect("accounts:give_role")
    state, person = journey
    posted = request.method == "POST"
    return _role_page(request, partnership, allowed, state, person, request.POST if posted else None, save=posted)


def _answers(state: dict[str, Any], partnership: Partnership, allowed: set[Role]) -> tuple[Role, Agency | None] | None:
    """The chosen role and agency, if they are still ones this inviter may give in this partnership."""
    try:
        role = Role(str(state.get("role")))
    except ValueError:
        return None
    agency = None
    if state.get("agency") is not None:
        agency = Agency.objects.filter(pk=state["agency"], partnership=partnership, active=True).first()
        if agency is None:
            return None
    return (role, agency) if role in allowed else None


@serves("GET", "POST")
def give_role_check(request: AuthenticatedHttpRequest) -> HttpResponse:
    partnership, allowed = inviting_partnership(request)
    journey = _journey(request, partnership)
    if journey is None:
        return redirect("accounts:give_role")
    state, person = journey
    answers = _answers(state, partnership, allowed)
    if answers is None:
        return redirect("accounts:give_role_role")
    role, agency = answers
    if request.method == "POST":
        try:
            membership = membership_grant(
                actor=request.user, user=person, partnership=partnership, role=role, agency=agency
            )
        except (RoleAlreadyHeldError, MembershipError):  # held since the role was chosen, or a bad agency
            data = {"role": role.value, "agency": str(agency.pk) if agency else ""}
            return _role_page(request, partnership, allowed, state, person, data)
        request.session.pop(JOURNEY, None)
        request.session[GIVEN] = {"partnership": partnership.pk, "membership": membership.pk}
        return redirect("accounts:give_role_done")
    return render(
        request,
        "accounts/give_role_check.html",
        {
            "partnership": partnership,
            "person": person,
            "named": in_partnership(person, partnership),
            "role": role,
            "agency": agency,
            "nav": "people",
        },
    )


@serves("GET")
def give_role_done(request: AuthenticatedHttpRequest) -> HttpResponse:
    partnership, _ = inviting_partnership(request)
    given = request.session.get(GIVEN)
    membership = None
    if isinstance(given, dict) and given.get("partnership") == partnership.pk:
        membership = membership_for(actor=request.user, partnership=partnership, pk=given.get("membership") or 0)
    if membership is None:
        return redirect("accounts:invitations")
    return render(
        request,
        "accounts/give_role_done.html",
        {"partnership": partnership, "membership": membership, "nav": "people"},
    )


@serves("GET", "POST")
def end_role(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """'Are you sure?' and, when sent, ends the role. A person's own last inviting role is not ended."""
    partnership, allowed = inviting_partnership(request)
    membership = membership_for(actor=request.user, partnership=partnership, pk=pk)
    if membership is None or not membership.active:
        raise Http404("No such role in this partnership")
    if Role(membership.role) not in allowed:
        raise PermissionDenied("Only an administrator can end the administrator role")
    blocked = ending_leaves_no_inviter(actor=request.user, membership=membership)
    if request.method == "POST" and not blocked:
        try:
            membership_end(actor=request.user, membership=membership)
        except LastInvitingRoleError:
            blocked = True
        except MembershipError:
            raise Http404("This role has already ended") from None
        else:
            where = f" for {membership.agency.name}" if membership.agency else ""
            messages.success(
                request, f"{membership.user.display_name} is no longer {membership.get_role_display()}{where}."
            )
            return redirect("accounts:person", pk=membership.user_id)
    return render(
        request,
        "accounts/end_role.html",
        {
            "partnership": partnership,
            "membership": membership,
            "blocked": blocked,
            "is_self": membership.user_id == request.user.pk,
            "nav": "people",
        },
        status=409 if blocked and request.method == "POST" else 200,
    )
