"""Writing people: invitations and accepting them. Each change is audited in its transaction."""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Membership, User, hash_token
from accounts.roles import Role
from accounts.signals import invitation_accepted
from audit.models import Verb
from audit.services import audit_record


class InvitationError(Exception):
    pass


def invitation_create(
    *, invited_by: Any, partnership: Any, email: str, first_name: str, last_name: str, role: Role, agency: Any
) -> tuple[Invitation, str]:
    """Creates an invitation and emails its single-use link. Returns the invitation and the raw token."""
    token = Invitation.new_token()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email.lower(),
            first_name=first_name,
            last_name=last_name,
            partnership=partnership,
            agency=agency,
            role=role,
            token_hash=hash_token(token),
            invited_by=invited_by,
            expires_at=Invitation.default_expiry(),
        )
        audit_record(
            actor=invited_by,
            verb=Verb.INVITE,
            target=invitation,
            partnership_id=partnership.id,
            details={"email": invitation.email, "role": str(role), "agency": agency.name if agency else None},
        )
        link = settings.SERVICE_URL.rstrip("/") + reverse("accounts:accept_invitation", args=[token])
        body = (
            f"Dear {first_name} {last_name},\n\n"
            f"{invited_by.display_name} has invited you to {settings.SERVICE_NAME} for {partnership.name} "
            f"as {role.label}.\n\n"
            f"Set your password using this link (it works once and expires on "
            f"{timezone.localtime(invitation.expires_at):%d %B %Y at %H:%M}):\n{link}\n\n"
            "You will then set up two-factor authentication with an authenticator app.\n\n"
            "If you were not expecting this, ignore this email.\n"
        )
        transaction.on_commit(
            lambda: send_mail(f"You have been invited to {settings.SERVICE_NAME}", body, None, [invitation.email])
        )
    return invitation, token


def invitation_from_token(token: str) -> Invitation | None:
    invitation = Invitation.objects.select_related("partnership", "agency").filter(token_hash=hash_token(token)).first()
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


def invitation_accept(*, token: str, password: str) -> User:
    """Creates (or extends) the person's account from a usable invitation and uses the link up."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(token_hash=hash_token(token)).first()
        if invitation is None or not invitation.is_usable:
            raise InvitationError("This invitation link has expired or has already been used.")
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            user = User(
                username=invitation.email,
                email=invitation.email,
                first_name=invitation.first_name,
                last_name=invitation.last_name,
            )
        user.set_password(password)
        user.save()
        Membership.objects.get_or_create(
            user=user,
            partnership=invitation.partnership,
            agency=invitation.agency,
            role=invitation.role,
            defaults={"active": True},
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        audit_record(actor=user, verb=Verb.INVITE_ACCEPTED, target=invitation, partnership_id=invitation.partnership_id)
        invitation_accepted.send(sender=Invitation, invitation=invitation, user=user)
    return user


def invitation_revoke(*, actor: Any, invitation: Invitation) -> None:
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(actor=actor, verb=Verb.UPDATE, target=invitation, details={"revoked": True})
