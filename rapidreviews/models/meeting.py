import uuid

from django.conf import settings
from django.db import models


class Meeting(models.Model):
    """The rapid review meeting. `sequence` rises with each reschedule (RFC 5545 SEQUENCE)."""

    review = models.OneToOneField("rapidreviews.RapidReview", on_delete=models.CASCADE, related_name="meeting")
    date = models.DateField()
    start_time = models.TimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=120)
    place = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    # The day it took place, as the coordinator records it: until then the meeting is only planned,
    # and the steps that need it (decision, sign-off, document, submission) wait.
    held_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Rapid review meeting on {self.held_on or self.date}"
