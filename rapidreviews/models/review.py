from django.conf import settings
from django.db import models


class RapidReviewDecision(models.TextChoices):
    """The outcomes of a rapid review (domain.md §2.5)."""

    LCSPR = "lcspr", "Local child safeguarding practice review (LCSPR)"
    NO_LCSPR = "no_lcspr", "No LCSPR: learning captured in the rapid review"
    ALTERNATIVE = "alternative", "An alternative learning review"
    NATIONAL = "national", "Suggest a national review to the Panel"
    CRITERIA_NOT_MET = (
        "criteria_not_met",
        "The serious incident criteria were not met after all: no rapid review is needed",
    )


class Theme(models.TextChoices):
    """Controlled list of incident and harm themes (domain.md §6.2)."""

    NAI_INFANT = "nai_infant", "Non-accidental injury or physical abuse in infants (under 1)"
    SUDI = "sudi", "Sudden unexpected death in infancy, unsafe sleep"
    CSA = "csa", "Child sexual abuse, including intrafamilial"
    CSE = "cse", "Child sexual exploitation"
    CCE = "cce", "Child criminal exploitation, county lines, serious youth violence"
    EXTRAFAMILIAL = "extrafamilial", "Extrafamilial harm"
    NEGLECT = "neglect", "Neglect"
    SUICIDE = "suicide", "Suicide or suspected suicide"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse context"
    CHILD_PERPETRATOR = "child_perpetrator", "Child as perpetrator"
    LAC_DEATH = "lac_death", "Looked-after child or care leaver death"
    HSB = "hsb", "Harmful sexual behaviour, coercive control in adolescent relationships"


class RapidReview(models.Model):
    """The rapid review of one case. Text fields are what the meeting records."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="rapid_review")
    started_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    gap_days = models.PositiveSmallIntegerField(default=90, help_text="Chronology gaps longer than this are shown")
    summaries_shared_at = models.DateTimeField(null=True, blank=True)
    # The partners shared the submitted and accepted summaries and the merged chronology with the
    # case's local review: its commissioned reviewer reads them (never a draft). Set by the local
    # review's coordinator; kept here so this app's checker reads it without importing that stage.
    shared_with_local_review_at = models.DateTimeField(null=True, blank=True)
    shared_with_local_review_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What the meeting records
    incident_summary = models.TextField(blank=True)
    family_context = models.TextField(blank=True)
    family_informed = models.TextField(blank=True)
    facts_agreed = models.TextField(blank=True)
    learning = models.TextField(blank=True)
    decision = models.CharField(max_length=30, choices=RapidReviewDecision.choices, blank=True)
    alternative_review_type = models.CharField(max_length=200, blank=True)
    decision_rationale = models.TextField(blank=True)
    themes = models.JSONField(default=list, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Submission to the Panel
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    late_reason = models.TextField(blank=True)
    # Why the review went to the Panel without the summaries of some agencies asked (in the document).
    missing_summaries_reason = models.TextField(blank=True)
    national_review = models.BooleanField(default=False, help_text="The Panel will hold a national review")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Rapid review of {self.case.reference}"

    def theme_labels(self) -> list[str]:
        return [Theme(t).label for t in self.themes if t in Theme.values]
