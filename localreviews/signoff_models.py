"""The final report's sign-off and what follows it (issue 15, part 10; domain.md §4.8-4.9).

- `FinalReport` is a kept version of the report (`ReportVersion`) put forward as final by the
  coordinator. Each one put forward starts approval again: only the steps on the latest count.
- `FinalReportStep` is a partner delegate approving it or asking for changes (with what should
  change), or the scrutineer or the chair commenting.
- `SentAhead` records the final report (or, where only the improvements will be published, that
  information) sent to the Panel and the Secretary of State: the date, what, to whom, the letter
  and the PDF sent, and the earliest publication date it gives (7 working days later).
- `PublicationDecision` records the partners' decision: publish on a planned date, publish only the
  improvements, or delay (with the reasons, sent to the Panel and the Secretary of State as a
  notice). The publishing itself is the publication stage's.
"""

from django.conf import settings
from django.db import models


class FinalReport(models.Model):
    review = models.ForeignKey("localreviews.LocalReview", on_delete=models.CASCADE, related_name="final_reports")
    report_version = models.ForeignKey("localreviews.ReportVersion", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    put_forward_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    put_forward_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["put_forward_at", "id"]

    def __str__(self) -> str:
        return f"Final report (draft {self.report_version.number})"


class FinalDecision(models.TextChoices):
    APPROVED = "approved", "Approved"
    CHANGES = "changes", "Asked for changes"
    COMMENT = "comment", "Commented"


class FinalReportStep(models.Model):
    final = models.ForeignKey(FinalReport, on_delete=models.CASCADE, related_name="steps")
    role = models.CharField(max_length=30)
    decision = models.CharField(max_length=20, choices=FinalDecision.choices)
    comments = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.role})"

    @property
    def role_label(self) -> str:
        from accounts.roles import Role

        return str(Role(self.role).label)


class SentWhat(models.TextChoices):
    REPORT = "report", "The final report"
    IMPROVEMENTS = "improvements", "Only the information about improvements"


class SentAhead(models.Model):
    review = models.ForeignKey("localreviews.LocalReview", on_delete=models.CASCADE, related_name="sent_ahead")
    final = models.ForeignKey(FinalReport, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=20, choices=SentWhat.choices)
    improvements = models.TextField(blank=True)  # the information sent, when only the improvements are
    sent_on = models.DateField()
    earliest_publication = models.DateField()  # sent_on + 7 working days (England and Wales)
    recipients = models.JSONField(default=list)  # [{"body": NationalBody, "email": str}]
    letter = models.TextField()
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    letter_docx = models.ForeignKey("documents.Document", on_delete=models.PROTECT, null=True, related_name="+")
    letter_pdf = models.ForeignKey("documents.Document", on_delete=models.PROTECT, null=True, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    client_token = models.CharField(max_length=40, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_what_display()} sent ahead of publication ({self.sent_on:%-d %B %Y})"


class Publication(models.TextChoices):
    PUBLISH = "publish", "Publish the report"
    IMPROVEMENTS = "improvements", "Publish only the information about improvements"
    DELAY = "delay", "Delay publication"


class PublicationDecision(models.Model):
    review = models.ForeignKey(
        "localreviews.LocalReview", on_delete=models.CASCADE, related_name="publication_decisions"
    )
    decision = models.CharField(max_length=20, choices=Publication.choices)
    planned_on = models.DateField(null=True, blank=True)  # the planned publication date, to publish
    reasons = models.TextField(blank=True)  # why: required to delay or to publish only the improvements
    decided_on = models.DateField()
    # A delay's notice of its reasons to the Panel and the Secretary of State.
    recipients = models.JSONField(default=list)
    letter = models.TextField(blank=True)
    letter_docx = models.ForeignKey("documents.Document", on_delete=models.PROTECT, null=True, related_name="+")
    letter_pdf = models.ForeignKey("documents.Document", on_delete=models.PROTECT, null=True, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    client_token = models.CharField(max_length=40, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.decided_on:%-d %B %Y})"
