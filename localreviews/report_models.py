"""The review's report: written by section (the content the guidance asks of a review), kept as
numbered versions, with its findings and recommendations as structured items (issue 15, part 8).

- `ReportDraft` is the reviewer's working copy, one per review: its sections' text as they type
  (saved with a version check, so nothing typed is lost when two people write at once).
- `ReportVersion` is a kept draft: "Draft 1", "Draft 2"... frozen when the reviewer saves a version
  or uploads a Word draft. Accuracy rounds, the partners' sign-off and sending ahead of publication
  all name the version they are about.
- `ReportItem` is a finding or a recommendation, addressed to agencies or to the partnership: the
  action plans pick these up later.
"""

from django.conf import settings
from django.db import models


class ReportSection(models.TextChoices):
    """The report's sections, in order (issue 15, part 8; domain.md §4.6)."""

    INTRODUCTION = "introduction", "Introduction and process"
    FAMILY = "family", "Family involvement"
    OVERVIEW = "overview", "Overview of the key circumstances, background and context"
    DECISIONS = "decisions", "Why the professionals' decisions were taken"
    WORKING_TOGETHER = "working_together", "How agencies worked together, and their shortcomings"
    PRACTICE = "practice", "Whether the shortcomings are features of practice in general"
    DIFFERENTLY = "differently", "What would need to be done differently to prevent harm"
    FINDINGS = "findings", "Findings"
    RECOMMENDATIONS = "recommendations", "Recommendations"


class ReportDraft(models.Model):
    review = models.OneToOneField("localreviews.LocalReview", on_delete=models.CASCADE, related_name="report_draft")
    sections = models.JSONField(default=dict)  # {ReportSection value: text}
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "The report's working draft"


class ReportVersion(models.Model):
    class Source(models.TextChoices):
        WRITTEN = "written", "Written in the service"
        UPLOADED = "uploaded", "Uploaded as a Word document"

    review = models.ForeignKey("localreviews.LocalReview", on_delete=models.CASCADE, related_name="report_versions")
    number = models.PositiveIntegerField()
    sections = models.JSONField(default=dict)  # {ReportSection value: text}, as it was kept
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.WRITTEN)
    document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="report_version_number_once")]

    def __str__(self) -> str:
        return f"Draft {self.number}"


class ReportItem(models.Model):
    class Kind(models.TextChoices):
        FINDING = "finding", "Finding"
        RECOMMENDATION = "recommendation", "Recommendation"

    review = models.ForeignKey("localreviews.LocalReview", on_delete=models.CASCADE, related_name="report_items")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    position = models.PositiveIntegerField(default=0)
    text = models.TextField()
    to_partnership = models.BooleanField(default=False)  # addressed to the partnership as a whole
    agencies = models.ManyToManyField("partnerships.Agency", blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "position", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.position}"
