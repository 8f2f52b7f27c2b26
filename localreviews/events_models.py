"""The local review's practitioner learning events (domain.md §4.5): when and where, who is invited
(the partnership's practitioners and agency leads, or anyone by name and email address), each sent
a calendar invitation, and, once the event has taken place, who attended and the notes. Planned and
changed by the coordinator or the reviewer; read by everyone who reads the review. Its status moves
through its own table (localreviews/events_workflow.py)."""

import uuid

from django.conf import settings
from django.db import models


class EventStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"


class LearningEvent(models.Model):
    review = models.ForeignKey("localreviews.LocalReview", on_delete=models.CASCADE, related_name="learning_events")
    title = models.CharField(max_length=200)
    date = models.DateField()
    start_time = models.TimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=180)
    place = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(blank=True)
    notes = models.TextField(blank=True)  # what the event learned, written after it
    status = models.CharField(max_length=20, choices=EventStatus.choices, default=EventStatus.PLANNED)
    version = models.PositiveIntegerField(default=1)
    # The calendar invitation's identity (RFC 5545 UID) and SEQUENCE, which rises when it moves.
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "start_time", "id"]

    def __str__(self) -> str:
        return f"Learning event: {self.title}"

    @property
    def where(self) -> str:
        return ", ".join(x for x in (self.place, self.online_link) if x)


class Attendance(models.TextChoices):
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Sent apologies"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"


class Invitee(models.Model):
    """Someone asked to the event: one of the partnership's people (`user`), or anyone by name and
    address. `attendance` is recorded after the event ("" until then)."""

    event = models.ForeignKey(LearningEvent, on_delete=models.CASCADE, related_name="invitees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField()
    role = models.CharField(max_length=200, blank=True)  # their job and agency, as the invitation names them
    attendance = models.CharField(max_length=20, choices=Attendance.choices, blank=True)
    invited_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["event", "email"], name="invitee_once_per_event")]

    def __str__(self) -> str:
        return f"Invitee: {self.name}"
