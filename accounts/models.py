import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.roles import Role
from partnerships.models import Agency, Partnership


class User(AbstractUser):
    """A person. Accounts exist only by invitation; the username is the email address."""

    email = models.EmailField(unique=True)
    job_title = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> "MembershipQuerySet":
        return self.filter(active=True)


class Membership(models.Model):
    """A person's role in a partnership, for an agency. A person may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships", null=True, blank=True)
    role = models.CharField(max_length=30, choices=Role.choices)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership", "agency", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} - {self.agency or self.partnership}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A single-use link that lets an invited person set a password. Only the hash is stored."""

    email = models.EmailField()
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="invitations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations")
    role = models.CharField(max_length=30, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per address, partnership, role and agency: the same invitation
            # sent twice at once is one (accounts.services.invitation_create says so).
            models.UniqueConstraint(
                "partnership",
                "email",
                "role",
                Coalesce("agency", Value(0)),
                condition=Q(accepted_at=None, revoked_at=None),
                name="invitation_open_once",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.first_name} {self.last_name} as {self.get_role_display()}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def default_expiry() -> datetime:
        return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "cancelled"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class Attempt(models.Model):
    """Something counted to slow it down (a password reset asked for, a wrong security code),
    kept for a day. `key` is a keyed hash of what is counted (accounts.throttle), never an address."""

    class Kind(models.TextChoices):
        RESET_FOR_ADDRESS = "reset_address", "Password reset for an email address"
        RESET_FROM_IP = "reset_ip", "Password reset from an internet address"
        CODE_FROM_SOURCE = "code_source", "Wrong security code for a person from one place"
        CODE_FOR_PERSON = "code_person", "Wrong security code for a person from anywhere"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["kind", "key", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"
