"""The append-only audit ledger. Each row carries a hash chaining it to the one before."""

import re
from typing import Any

from django.conf import settings
from django.db import models

_UNNAMED = re.compile(r"\w+ object \(\S+\)")


class Verb(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    TRANSITION = "transition", "Status changed"
    DOWNLOAD = "download", "Downloaded"
    UPLOAD = "upload", "Uploaded"
    EXPORT = "export", "Exported"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed to sign in"
    SIGN_OUT = "sign_out", "Signed out"
    TWO_FACTOR_ENROLLED = "2fa_enrolled", "Set up two-factor authentication"
    TWO_FACTOR_FAILED = "2fa_failed", "Entered a wrong security code"
    LOCKED_OUT = "locked_out", "Locked out"
    INVITE = "invite", "Invited"
    INVITE_ACCEPTED = "invite_accepted", "Accepted an invitation"
    PASSWORD_RESET = "password_reset", "Reset a password"
    SEND = "send", "Sent a message"
    CALENDAR_CHANGE = "calendar_change", "Changed the calendar"
    RECOMPUTE = "recompute", "Recomputed"
    DENIED = "denied", "Was refused"


# Models renamed after events about them were recorded. The ledger keeps the name each event was
# written with (it is never rewritten), so a reader that needs the model looks the old name up here.
RENAMED_TARGET_TYPES = {
    "referrals.notification": "referrals.seriousincidentnotification",
    "rapidreviews.criterionnote": "rapidreviews.regulation11criterion",
    "rapidreviews.agencyreturn": "rapidreviews.agencysummary",
    "rapidreviews.returnevent": "rapidreviews.summaryevent",
}


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    """Bulk changes through the ORM are refused as well as single ones."""

    def update(self, **kwargs: Any) -> int:
        raise RuntimeError("Audit events are append-only: an existing event cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit events are append-only: they cannot be deleted.")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise RuntimeError("Audit events are append-only: an existing event cannot be changed.")


class AuditEvent(models.Model):
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_label = models.CharField(max_length=300, blank=True)
    actor_agency = models.ForeignKey("partnerships.Agency", on_delete=models.PROTECT, null=True, related_name="+")
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, null=True, related_name="+")
    verb = models.CharField(max_length=30, choices=Verb.choices)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, related_name="audit_events")
    ip_address = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=400, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["case", "verb", "at"]), models.Index(fields=["actor", "at"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuntimeError("Audit events are append-only: an existing event cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("Audit events are append-only: they cannot be deleted.")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.verb} {self.target_label}"

    @property
    def target_display(self) -> str:
        """The target in words. Events recorded before every record had a name carry Django's
        "PanelResponse object (4)": the ledger is never rewritten, so they are shown by their kind."""
        if _UNNAMED.fullmatch(self.target_label) and self.target_type:
            from django.apps import apps

            try:
                model = apps.get_model(RENAMED_TARGET_TYPES.get(self.target_type, self.target_type))
            except (LookupError, ValueError):
                return self.target_label
            return str(model._meta.verbose_name).capitalize()
        return self.target_label


class ChainHead(models.Model):
    """One row holding the newest hash; locked while an event is appended so the chain never forks.

    `ledger` names this ledger (checkpoints outside the database carry it, so a ledger emptied and
    started again is told apart from the one they recorded); `mac` seals `last_id` and `last_hash`
    with the key, so they cannot be set back by hand (`audit.chain.seal_head`).
    """

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    ledger = models.CharField(max_length=32, default="")
    key_id = models.CharField(max_length=16, default="")
    mac = models.CharField(max_length=64, default="")

    def __str__(self) -> str:
        return f"The audit ledger's newest event ({self.last_id})"
