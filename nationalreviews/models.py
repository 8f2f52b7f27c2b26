"""The Panel's national reviews, as the partnership records its part in them.

A national review belongs to the Panel, not to one case: a review of one case, or a thematic review
that spans several cases. The partnership keeps its record of each review it takes part in (what
was agreed with the Panel, the national report when it comes) and links its cases to it. Who may
read a review is whoever may read one of its linked cases; each case's contributions (what the
partnership sent or attended) stay with that case.
"""

from django.conf import settings
from django.db import models


class NationalReviewKind(models.TextChoices):
    CASE = "case", "A national review of this case"
    THEMATIC = "thematic", "A thematic national review spanning several cases"


class NationalReviewStatus(models.TextChoices):
    SCOPING = "scoping", "Scope being agreed with the Panel"
    UNDER_WAY = "under_way", "Under way"
    REPORTED = "reported", "National report published"


class NationalReview(models.Model):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=NationalReviewKind.choices)
    panel_reference = models.CharField(max_length=100, blank=True)
    # What was agreed with the Panel.
    scope = models.TextField(blank=True)
    methodology = models.TextField(blank=True)
    scope_agreed_on = models.DateField(null=True, blank=True)
    report_expected_on = models.DateField(null=True, blank=True)
    # The national report, when it comes.
    report_published_on = models.DateField(null=True, blank=True)
    report_url = models.URLField(max_length=500, blank=True)
    report_learning = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=NationalReviewStatus.choices, default=NationalReviewStatus.SCOPING)
    version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"National review: {self.title}"

    @property
    def is_thematic(self) -> bool:
        return self.kind == NationalReviewKind.THEMATIC


class NationalReviewCase(models.Model):
    """A case the partnership has linked to a national review."""

    review = models.ForeignKey(NationalReview, on_delete=models.CASCADE, related_name="links")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="national_review_links")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["linked_at", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "case"], name="national_review_case_once")]

    def __str__(self) -> str:
        return f"{self.case_id} in national review {self.review_id}"


class ContributionKind(models.TextChoices):
    SENT = "sent", "Information or records sent"
    ATTENDED = "attended", "A meeting or learning event attended"
    OTHER = "other", "Something else"


class Contribution(models.Model):
    """What the partnership gave a national review for one case: information sent, a meeting attended."""

    review = models.ForeignKey(NationalReview, on_delete=models.CASCADE, related_name="contributions")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    kind = models.CharField(max_length=20, choices=ContributionKind.choices)
    what = models.TextField()
    by_whom = models.CharField(max_length=200)
    document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The "add" form's token: the same form sent twice adds one contribution.
    client_token = models.CharField(max_length=40, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "case", "client_token"],
                condition=~models.Q(client_token=""),
                name="national_review_contribution_once_per_form",
            )
        ]

    def __str__(self) -> str:
        return f"Contribution of {self.on:%-d %B %Y}: {self.get_kind_display()}"
