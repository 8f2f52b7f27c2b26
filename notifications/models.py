"""The log of every message the service sends. One row per recipient; `dedupe_key` is unique, so a
message that must go once (a reminder) cannot be recorded, and therefore sent, twice."""

from django.conf import settings
from django.db import models


class MessageKind(models.TextChoices):
    GENERAL = "general", "Message"
    REMINDER = "reminder", "Deadline reminder"
    ESCALATION = "escalation", "Overdue deadline"
    REQUEST = "request", "Request for information"
    INVITATION = "invitation", "Invitation"
    DECISION = "decision", "Decision"
    DELIVERY_FAILED = "delivery_failed", "Not delivered by email"


class Message(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages_received"
    )
    to_email = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    kind = models.CharField(max_length=30, default=MessageKind.GENERAL)
    dedupe_key = models.CharField(max_length=300, unique=True, null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The last error sending it; cleared once it goes (notifications/delivery.py).
    error = models.CharField(max_length=300, blank=True)
    # Tries so far, when the next is due (None once sent or given up), until when one process holds
    # it to send (so two never send it at once), and when it was given up after too many tries.
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sending_until = models.DateTimeField(null=True, blank=True)
    gave_up_at = models.DateTimeField(null=True, blank=True)
    # When the recipient first opened it in the service ("Your messages").
    read_at = models.DateTimeField(null=True, blank=True)
    # One text attachment (a calendar invitation), kept so the message can be shown and re-sent as sent.
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment_text = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["case", "created_at"]),
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["next_attempt_at"], name="message_next_attempt"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to_email}"

    def get_kind_display_label(self) -> str:
        try:
            return str(MessageKind(self.kind).label)
        except ValueError:
            return self.kind.replace("_", " ").capitalize()
