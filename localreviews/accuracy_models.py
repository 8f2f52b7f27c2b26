"""Factual accuracy rounds (issue 15, part 9): the reviewer sends a kept version of the report to
named agencies with a deadline; each agency's leads comment on its sections; the reviewer accepts or
declines each comment with a reason.

- `AccuracyRound` is one sending: which version, to which agencies, by when. Its status (open,
  closed) moves through its own table (localreviews/accuracy_workflow.py); its deadline is the
  round's clock (localreviews/clock_rules.py, ACCURACY).
- `AccuracyComment` is one comment, never overwritten by another: two people commenting at once
  write two rows, so nothing is lost. A thread is a comment (`parent` empty) and its replies
  (`parent` the thread's first comment). A thread belongs to one agency: that agency's leads and the
  reviewer and coordinator read it; once the review side replies (`replied_at`), the review's other
  readers (the partners, the scrutineer, the chair) read it too. Another agency never does.
"""

from django.conf import settings
from django.db import models

from localreviews.report_models import ReportSection


class RoundStatus(models.TextChoices):
    OPEN = "open", "Open for comments"
    CLOSED = "closed", "Closed"


class AccuracyRound(models.Model):
    review = models.ForeignKey("localreviews.LocalReview", on_delete=models.CASCADE, related_name="accuracy_rounds")
    report_version = models.ForeignKey(
        "localreviews.ReportVersion", on_delete=models.PROTECT, related_name="accuracy_rounds"
    )
    agencies = models.ManyToManyField("partnerships.Agency", related_name="+")
    deadline = models.DateField()  # the round's clock's due date, as computed when it was sent
    message = models.TextField(blank=True)  # the reviewer's words to the agencies
    status = models.CharField(max_length=20, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    version = models.PositiveIntegerField(default=1)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"Factual accuracy round on draft {self.report_version.number}"

    @property
    def status_label(self) -> str:
        return str(RoundStatus(self.status).label)


class Decision(models.TextChoices):
    PENDING = "pending", "Awaiting the reviewer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class AccuracyComment(models.Model):
    round = models.ForeignKey(AccuracyRound, on_delete=models.CASCADE, related_name="comments")
    agency = models.ForeignKey("partnerships.Agency", on_delete=models.PROTECT, related_name="+")  # the thread's
    section = models.CharField(max_length=30, choices=ReportSection.choices)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    by_review = models.BooleanField(default=False)  # written by the reviewer or coordinator, not the agency
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # On a thread's first comment: when the review side first answered it (a reply or a decision).
    replied_at = models.DateTimeField(null=True, blank=True)
    # An agency's comment is accepted or declined by the reviewer (a reason is needed to decline).
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Accuracy comment on {self.get_section_display().lower()}"

    @property
    def thread_id(self) -> int:
        return int(self.parent_id or self.pk)
