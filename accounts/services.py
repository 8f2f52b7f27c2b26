"""Writing people: invitations and accepting them. Each change is audited in its transaction."""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Membership, User, hash_token
from accounts.roles import Role
from accounts.selectors import account_with_email, normalised_email
from accounts.signals import invitation_accepted
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
    Raises AccountExistsError if the address already has an account.
    """
    address = normalised_email(email)
    existing = account_with_email(address)
    if existing is not None:
        raise AccountExistsError(existing)
    token = Invitation.new_token()
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
        audit_record(
            actor=invited_by,
            verb=Verb.INVITE,
            target=invitation,
            partnership_id=partnership.id,
            details={"email": invitation.email, "role": str(role), "agency": agency.name if agency else None},
        )
        link = settings.SERVICE_URL.rstrip("/") + reverse("accounts:accept_invitation", args=[token])
        body = _invitation_body(invitation, link=link, reason=reason, then=then)
        subject = subject or f"You have been invited to {settings.SERVICE_NAME}"
        transaction.on_commit(lambda: send_mail(subject, body, None, [invitation.email]))
    return invitation, token


def _invitation_body(invitation: Invitation, *, link: str, reason: str, then: str) -> str:
    role = Role(invitation.role)
    agency = f" for {invitation.agency.name}" if invitation.agency else ""
    return (
        f"Dear {invitation.first_name} {invitation.last_name},\n\n"
        f"{invitation.invited_by.display_name} has invited you to {settings.SERVICE_NAME} for "
        f"{invitation.partnership.name} as {role.label}{agency}.\n\n"
        + (f"{reason.strip()}\n\n" if reason.strip() else "")
        + "What to do:\n\n"
        f"1. Set your password using this link. It works once and expires on "
        f"{timezone.localtime(invitation.expires_at):%-d %B %Y at %H:%M}:\n{link}\n\n"
        "2. Set up two-factor authentication with an authenticator app on your phone.\n\n"
        f"3. {then.strip() or 'You can then use the service.'}\n\n"
        "If you were not expecting this email, ignore it.\n"
    )


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


def invitation_revoke(*, actor: Any, invitation: Invitation) -> None:
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(actor=actor, verb=Verb.UPDATE, target=invitation, details={"revoked": True})
