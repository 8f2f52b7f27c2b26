"""The partners' monitoring of the local review (regulation 14, domain.md §4.1 and §4.7): their
written requests to the reviewer for information or a draft, each kept with its answer; the progress
checkpoints held at the interval the partnership sets; and the delays that hold the review, with
their reasons (the notice of those reasons to the Panel and the Secretary of State is a Notice)."""

from django.conf import settings
from django.db import models


class RequestWhat(models.TextChoices):
    INFORMATION = "information", "Information"
    DRAFT = "draft", "A draft report"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Awaiting the reviewer's answer"
    ANSWERED = "answered", "Answered"


class WrittenRequest(models.Model):
    """A request in writing from the partners (the coordinator or a partner delegate) to the
    reviewer, with its due date, and the reviewer's answer once given."""

    review = models.ForeignKey("localreviews.LocalReview", on_delete=models.CASCADE, related_name="written_requests")
    what = models.CharField(max_length=20, choices=RequestWhat.choices)
    text = models.TextField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    answer = models.TextField(blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    client_token = models.CharField(max_length=40, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["asked_on", "id"]

    def __str__(self) -> str:
        return f"Written request to the reviewer ({self.asked_on:%-d %B %Y})"


class ProgressRag(models.TextChoices):
    GREEN = "green", "Green: on track"
    AMBER = "amber", "Amber: some concerns"
    RED = "red", "Red: off track"


class Checkpoint(models.Model):
    """A progress checkpoint as held: the scheduled date it answers (`due_on`, one of the dates the
    partnership's interval gives from the decision), when it was held, the progress and notes."""

    review = models.ForeignKey("localreviews.LocalReview", on_delete=models.CASCADE, related_name="checkpoints")
    due_on = models.DateField()
    held_on = models.DateField()
    rag = models.CharField(max_length=10, choices=ProgressRag.choices)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "due_on"], name="checkpoint_once_per_date")]

    def __str__(self) -> str:
        return f"Progress checkpoint ({self.due_on:%-d %B %Y})"


class DelayReason(models.TextChoices):
    CRIMINAL_INVESTIGATION = "criminal_investigation", "Criminal investigation"
    PROSECUTION = "prosecution", "Prosecution or trial"
    INQUEST = "inquest", "Inquest"
    OTHER = "other", "Other"


class DelayStatus(models.TextChoices):
    HOLDING = "holding", "Holding the review"
    ENDED = "ended", "Ended"


class Delay(models.Model):
    """Something holding the review (a parallel process, most often), with its reason and when it is
    expected to end. `paused_clock`: the 6 months were paused with it, and restart when it ends."""

    review = models.ForeignKey("localreviews.LocalReview", on_delete=models.CASCADE, related_name="delays")
    reason = models.CharField(max_length=30, choices=DelayReason.choices)
    text = models.TextField()
    starts_on = models.DateField()
    expected_until = models.DateField(null=True, blank=True)
    paused_clock = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=DelayStatus.choices, default=DelayStatus.HOLDING)
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return f"Delay: {self.get_reason_display()} from {self.starts_on:%-d %B %Y}"
