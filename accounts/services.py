"""Writing people: invitations and accepting them, giving roles to people who already have an account
and ending roles. Each change is audited in its transaction."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Invitation, Membership, User, hash_token
from accounts.roles import AGENCY_ROLES, INVITING_ROLES, Role, roles_given_by
from accounts.selectors import account_with_email, in_partnership, normalised_email, roles_of
from accounts.signals import invitation_accepted, invitation_created, membership_ended, role_given
from audit.models import Verb
from audit.services import audit_record


class InvitationError(Exception):
    pass


class AccountExistsError(InvitationError):
    """The email address already belongs to an account. An invitation never reaches an existing
    account: its link would let whoever holds it set that account's password."""

    def __init__(self, user: User) -> None:
        self.user = user
        super().__init__("A person with this email address already has an account")


class InvitationAlreadyOpen(InvitationError):
    """The same invitation (address, partnership, role and agency) is already open: the database
    allows one, so two sends at the same moment make one invitation and one email."""

    def __init__(self, invitation: Invitation) -> None:
        self.invitation = invitation
        super().__init__("An invitation to this address for this role is already open")


def _open_invitations(*, partnership: Any, email: str, role: Role, agency: Any) -> Any:
    return Invitation.objects.filter(
        partnership=partnership, email=email, role=role, agency=agency, accepted_at=None, revoked_at=None
    )


def _open_invitation(*, partnership: Any, email: str, role: Role, agency: Any) -> Invitation | None:
    return _open_invitations(partnership=partnership, email=email, role=role, agency=agency).first()


def invitation_create(
    *,
    invited_by: Any,
    partnership: Any,
    email: str,
    first_name: str,
    last_name: str,
    role: Role,
    agency: Any,
    reason: str = "",
    then: str = "",
    subject: str = "",
) -> tuple[Invitation, str]:
    """Creates an invitation and emails its single-use link. Returns the invitation and the raw token.

    `reason` is a paragraph saying why they are invited, `then` what they find once set up and
    `subject` the email's subject, for an invitation sent on behalf of some piece of work. The
    link is mailed directly, never through the message log, so its secret is stored nowhere.
    Raises AccountExistsError if the address already has an account, InvitationAlreadyOpen if the
    same invitation is open (an expired one is closed and replaced).
    """
    address = normalised_email(email)
    existing = account_with_email(address)
    if existing is not None and in_partnership(existing, partnership):
        raise AccountExistsError(existing)
    # An account only in other partnerships is not revealed to the inviter: the invitation is made
    # as for anyone, but its email carries no link (a link must never reach an existing account)
    # and says what to ask the inviter for instead (accounts.views.roles: give a role by email).
    token = Invitation.new_token()
    same = {"partnership": partnership, "email": address, "role": role, "agency": agency}
    with transaction.atomic():
        _open_invitations(**same).filter(expires_at__lte=timezone.now()).update(revoked_at=timezone.now())
        if (open_one := _open_invitation(**same)) is not None:
            raise InvitationAlreadyOpen(open_one)
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    email=address,
                    first_name=first_name.strip(),
                    last_name=last_name.strip(),
                    partnership=partnership,
                    agency=agency,
                    role=role,
                    token_hash=hash_token(token),
                    invited_by=invited_by,
                    expires_at=Invitation.default_expiry(),
                )
        except IntegrityError:
            # The same invitation, sent at the same moment, was made first.
            if (open_one := _open_invitations(**same).first()) is not None:
                raise InvitationAlreadyOpen(open_one) from None
            raise
        audit_record(
            actor=invited_by,
            verb=Verb.INVITE,
            target=invitation,
            partnership_id=partnership.id,
            details={"email": invitation.email, "role": str(role), "agency": agency.name if agency else None},
        )
        # The email (its words are with every other email's) is sent by the receiver, after the commit.
        invitation_created.send(
            sender=Invitation,
            invitation=invitation,
            token=token,
            existing_account=existing is not None,
            reason=reason.strip(),
            then=then.strip(),
            subject=subject,
        )
    return invitation, token


def invitation_from_token(token: str) -> Invitation | None:
    invitation = Invitation.objects.select_related("partnership", "agency").filter(token_hash=hash_token(token)).first()
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


def invitation_accept(*, token: str, password: str) -> User:
    """Creates the person's account from a usable invitation and uses the link up.

    An invitation only ever creates a new account: if its address now belongs to an account (made
    before or since), it raises AccountExistsError and changes nothing, so a link can never set
    an existing person's password or give them roles. The person's other open invitations (sent to
    the same address, so equally theirs) are accepted with it, as their later links could no
    longer make the account.
    """
    with transaction.atomic():
        found = Invitation.objects.filter(token_hash=hash_token(token)).values_list("email", flat=True).first()
        # Lock every open invitation to this address, so two links used at once make one account.
        invitations = list(
            Invitation.objects.select_for_update()
            .filter(email__iexact=found or "", accepted_at__isnull=True)
            .order_by("pk")
        )
        invitation = next((i for i in invitations if i.token_hash == hash_token(token)), None)
        if invitation is None or not invitation.is_usable:
            raise InvitationError("This invitation link has expired or has already been used.")
        existing = account_with_email(invitation.email)
        if existing is not None:
            raise AccountExistsError(existing)
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    username=invitation.email,
                    email=invitation.email,
                    password=password,
                    first_name=invitation.first_name,
                    last_name=invitation.last_name,
                )
        except IntegrityError:
            raise InvitationError("This invitation link has expired or has already been used.") from None
        now = timezone.now()
        for accepted in [i for i in invitations if i.is_usable]:
            Membership.objects.get_or_create(
                user=user,
                partnership=accepted.partnership,
                agency=accepted.agency,
                role=accepted.role,
                defaults={"active": True},
            )
            accepted.accepted_at = now
            accepted.save(update_fields=["accepted_at"])
            audit_record(actor=user, verb=Verb.INVITE_ACCEPTED, target=accepted, partnership_id=accepted.partnership_id)
            invitation_accepted.send(sender=Invitation, invitation=accepted, user=user)
    return user


def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(actor=actor, verb=Verb.UPDATE, target=invitation, details={"revoked": True})


# --- Roles of people who already have an account ---------------------------------------------------


class MembershipError(Exception):
    pass


class RoleAlreadyHeldError(MembershipError):
    def __init__(self, membership: Membership) -> None:
        self.membership = membership
        super().__init__("This person already has this role")


class LastInvitingRoleError(MembershipError):
    """Ending this role would leave its holder, or the partnership, with nobody who may invite."""


def _may_manage(actor: User, partnership: Any, role: Role) -> None:
    """Only the partnership's administrators and coordinators give and end roles there, and only an
    administrator gives or ends the administrator role (as with invitations)."""
    if role not in roles_given_by(roles_of(actor, partnership.id)):
        raise PermissionDenied("Only administrators and review coordinators can give or end roles")


def membership_grant(*, actor: User, user: User, partnership: Any, role: Role, agency: Any) -> Membership:
    """Gives a person who already has an account a further role, and emails them to say so.

    Creates the membership, or makes an ended one active again. Never touches the person's password
    or second factor: they sign in as before. The email carries no secret, so it goes through
    `message_send` and is kept in the message log (and in the person's own messages).
    Raises PermissionDenied unless the actor may give this role in the partnership (and for a role
    given to oneself), RoleAlreadyHeldError if they hold it already, MembershipError for an agency
    that is missing or not the partnership's.
    """
    _may_manage(actor, partnership, role)
    if user.pk == getattr(actor, "pk", None):
        raise PermissionDenied("Nobody gives themselves a role: another administrator or coordinator does")
    if role in AGENCY_ROLES and agency is None:
        raise MembershipError("This role needs an agency")
    if agency is not None and (agency.partnership_id != partnership.id or not agency.active):
        raise MembershipError("The agency is not one of the partnership's")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one grant to a person at a time
        membership = (
            Membership.objects.select_for_update()
            .filter(user=user, partnership=partnership, agency=agency, role=role)
            .order_by("-active", "pk")
            .first()
        )
        if membership is not None and membership.active:
            raise RoleAlreadyHeldError(membership)
        again = membership is not None
        if membership is None:
            membership = Membership.objects.create(user=user, partnership=partnership, agency=agency, role=role)
        else:
            membership.active = True
            membership.save(update_fields=["active"])
        audit_record(
            actor=actor,
            verb=Verb.CREATE,
            target=membership,
            partnership_id=partnership.id,
            details={
                "summary": f"Gave {user.email} the role {role.label}" + (f" for {agency.name}" if agency else ""),
                "email": user.email,
                "role": str(role),
                "agency": agency.name if agency else None,
                "given_again": again,
            },
        )
        # The person is told by email and in their messages by the receiver, in this transaction.
        role_given.send(sender=Membership, membership=membership, actor=actor)
    _forget_roles(actor, user)
    return membership


def ending_leaves_no_inviter(*, actor: User, membership: Membership) -> bool:
    """Whether ending this role is refused: it is the actor's own last role that lets them invite in
    its partnership, or the partnership's last such role of anyone's."""
    if membership.role not in INVITING_ROLES or not membership.active:
        return False
    others = (
        Membership.objects.active()
        .filter(partnership_id=membership.partnership_id, role__in=list(INVITING_ROLES))  # type: ignore[misc]
        .exclude(pk=membership.pk)
    )
    if membership.user_id == getattr(actor, "pk", None):
        others = others.filter(user=actor)
    return not others.exists()


def membership_end(*, actor: User, membership: Membership) -> Membership:
    """Ends a person's role (the membership stays, inactive, so its history is kept and it may be given
    again). Raises LastInvitingRoleError rather than leave the actor or the partnership with nobody
    who may invite, and MembershipError if the role has already ended."""
    _may_manage(actor, membership.partnership, Role(membership.role))
    with transaction.atomic():
        # Lock the partnership's inviting roles, so two people ending each other's at once cannot both.
        list(
            Membership.objects.select_for_update()
            .filter(partnership_id=membership.partnership_id, role__in=list(INVITING_ROLES))  # type: ignore[misc]
            .values_list("pk", flat=True)
        )
        membership = (
            Membership.objects.select_for_update(of=("self",)).select_related("user", "agency").get(pk=membership.pk)
        )
        if not membership.active:
            raise MembershipError("This role has already ended")
        if ending_leaves_no_inviter(actor=actor, membership=membership):
            raise LastInvitingRoleError("You cannot end your own last role that lets you invite people")
        membership.active = False
        membership.save(update_fields=["active"])
        membership_ended.send(sender=Membership, membership=membership)
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=membership,
            partnership_id=membership.partnership_id,
            details={
                "summary": f"Ended the role {membership.get_role_display()} of {membership.user.email}"
                + (f" for {membership.agency.name}" if membership.agency else ""),
                "email": membership.user.email,
                "role": membership.role,
                "agency": membership.agency.name if membership.agency else None,
                "ended": True,
            },
        )
    _forget_roles(actor, membership.user)
    return membership


def _forget_roles(*people: Any) -> None:
    """Drops the roles `roles_of` cached on these user objects, so they are read afresh."""
    for person in people:
        if hasattr(person, "_roles_cache"):
            del person._roles_cache
        if hasattr(person, "_roles_cache_rows"):
            del person._roles_cache_rows


def service_admin_set(*, user: User, on: bool) -> bool:
    """Make `user` a service administrator, or no longer one; False if nothing changed."""
    with transaction.atomic():
        changed = User.objects.filter(pk=user.pk, is_staff=not on).update(is_staff=on)
        if changed:
            audit_record(
                actor=None,
                actor_label="manage.py service_admin",
                verb=Verb.UPDATE,
                target=user,
                details={"summary": "Made a service administrator" if on else "No longer a service administrator"},
            )
    user.refresh_from_db(fields=["is_staff"])
    return bool(changed)
