"""Referrals of serious incidents: the draft a person writes, the children in it, the triage
decision of the safeguarding partners and the notifications the LA records.

A `Referral` is owned by the person writing it and saved at every step, so nothing typed is
lost; on submission it becomes a `Case` (cases app) and the draft is frozen.
"""

from datetime import date

from django.conf import settings
from django.db import models

from cases.models import Case
from partnerships.models import Agency, Partnership


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class YesNoUnknown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known"


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Sent"


class Location(models.TextChoices):
    IN_AREA = "in_area", "In the partnership's area"
    ELSEWHERE_ENGLAND = "elsewhere_england", "Elsewhere in England"
    OUTSIDE_ENGLAND = "outside_england", "Outside England"


class Outcome(models.TextChoices):
    DIED = "died", "The child died"
    SERIOUS_HARM = "serious_harm", "The child was seriously harmed"


class Category(models.TextChoices):
    NON_ACCIDENTAL_INJURY = "nai", "Non-accidental injury"
    SUDI = "sudi", "Sudden unexpected death in infancy"
    SEXUAL_ABUSE = "sexual_abuse", "Sexual abuse"
    EXPLOITATION = "exploitation", "Exploitation"
    SUICIDE = "suicide", "Suicide or suspected suicide"
    NEGLECT = "neglect", "Neglect"
    OTHER = "other", "Other"


class AbuseNeglect(models.TextChoices):
    KNOWN = "known", "Known"
    SUSPECTED = "suspected", "Suspected"
    NOT_SUSPECTED = "not_suspected", "Not known or suspected"


class ParallelProcess(models.TextChoices):
    POLICE = "police", "Police investigation"
    CORONER = "coroner", "Coroner's inquest"
    CHILD_DEATH_REVIEW = "cdr", "Child death review"
    DHR_SAR = "dhr_sar", "Domestic homicide review or safeguarding adults review"
    CARE_PROCEEDINGS = "care", "Care proceedings"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    UNKNOWN = "unknown", "Not known"


class Ethnicity(models.TextChoices):
    WHITE = "white", "White"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    OTHER = "other", "Other ethnic group"
    UNKNOWN = "unknown", "Not known"


class Referral(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="referrals")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT)
    case = models.OneToOneField(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="referral")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    # About the referrer and their lead's agreement
    referrer_phone = models.CharField(max_length=40, blank=True)
    lead_agreed = models.CharField(max_length=10, choices=YesNo.choices, blank=True)
    lead_name = models.CharField(max_length=200, blank=True)
    lead_agreed_on = models.DateField(null=True, blank=True)

    # Household
    other_children = models.CharField(max_length=10, choices=YesNoUnknown.choices, blank=True)
    other_children_details = models.TextField(blank=True)

    # The incident
    incident_date = models.DateField(null=True, blank=True)
    la_aware_on = models.DateField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True)
    location = models.CharField(max_length=30, choices=Location.choices, blank=True)
    what_happened = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    category = models.CharField(max_length=20, choices=Category.choices, blank=True)
    category_other = models.CharField(max_length=200, blank=True)
    # Why the answers above disagree, when they do (a sudden unexpected death in infancy, but the child survived).
    outcome_explanation = models.TextField(blank=True)
    abuse_neglect = models.CharField(max_length=20, choices=AbuseNeglect.choices, blank=True)
    abuse_neglect_reason = models.TextField(blank=True)

    # Agencies, parallel processes, safety
    agencies = models.ManyToManyField(Agency, blank=True, related_name="+")
    other_agencies = models.CharField(max_length=400, blank=True)
    parallel_processes = models.JSONField(default=list, blank=True)
    safety_actions = models.TextField(blank=True)

    possible_duplicates = models.ManyToManyField(Case, blank=True, related_name="+")

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["created_by", "status"])]

    def __str__(self) -> str:
        if self.case_id:
            return f"Referral for {self.case}"
        return f"Draft referral {self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == ReferralStatus.DRAFT

    @property
    def is_death(self) -> bool:
        return self.outcome == Outcome.DIED

    def children_list(self) -> list["ReferralChild"]:
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("children")
        if prefetched is not None:
            return sorted(prefetched, key=lambda c: (c.position, c.id))
        return list(self.children.order_by("position", "id"))

    def parallel_labels(self) -> list[str]:
        labels = dict(ParallelProcess.choices)
        return [str(labels.get(v, v)) for v in self.parallel_processes]


class ReferralChild(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="children")
    position = models.PositiveSmallIntegerField(default=1)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    born = models.CharField(max_length=10, choices=YesNo.choices, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    ethnicity = models.CharField(max_length=10, choices=Ethnicity.choices, blank=True)
    disability = models.CharField(max_length=10, choices=YesNoUnknown.choices, blank=True)
    home_area = models.CharField(max_length=200, blank=True)
    home_local_authority = models.CharField(max_length=200, blank=True)
    looked_after = models.CharField(max_length=10, choices=YesNoUnknown.choices, blank=True)
    care_leaver = models.CharField(max_length=10, choices=YesNoUnknown.choices, blank=True)
    child_protection_plan = models.CharField(max_length=10, choices=YesNoUnknown.choices, blank=True)
    child_in_need = models.CharField(max_length=10, choices=YesNoUnknown.choices, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        if name:
            return name
        return "Unborn child" if self.is_unborn else f"Child {self.position}"

    @property
    def slug(self) -> str:
        return f"child-{self.position}"

    @property
    def is_unborn(self) -> bool:
        return self.born == YesNo.NO

    def age_on(self, when: date | None) -> int | None:
        """Age in whole years on a date; None if unborn or not known."""
        if self.is_unborn:
            return 0
        if self.date_of_birth is None or when is None:
            return None
        dob = self.date_of_birth
        return when.year - dob.year - ((when.month, when.day) < (dob.month, dob.day))

    def may_be_care_leaver(self, when: date | None) -> bool:
        """Care-leaver questions apply from 16 (leaving care) up to and including 24."""
        age = self.age_on(when)
        return age is not None and 16 <= age <= 24


class TriageDecisionKind(models.TextChoices):
    NOTIFY = "notify", "Notify the Panel"
    SOS_OFSTED_ONLY = "sos_ofsted", "Notify the Secretary of State and Ofsted only"
    NOT_NOTIFY = "not_notify", "Do not notify"


class TriageDecision(models.Model):
    """The safeguarding partners' decision meeting on one referral."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="triage")
    meeting_date = models.DateField()
    attendee_la = models.CharField(max_length=200)
    attendee_icb = models.CharField(max_length=200)
    attendee_police = models.CharField(max_length=200)
    abuse_or_neglect = models.CharField(max_length=10, choices=YesNo.choices)
    death_or_serious_harm = models.CharField(max_length=10, choices=YesNo.choices)
    decision = models.CharField(max_length=20, choices=TriageDecisionKind.choices)
    rationale = models.TextField(blank=True)
    local_learning_review = models.BooleanField(default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Triage of {self.case}: {self.get_decision_display()}"

    @property
    def criteria_met(self) -> bool:
        return self.abuse_or_neglect == YesNo.YES and self.death_or_serious_harm == YesNo.YES


class SeriousIncidentNotification(models.Model):
    """One notification as submitted through the DfE system: up to 4 children each."""

    MAX_CHILDREN = 4

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notifications")
    to_panel = models.BooleanField(default=True, help_text="A Serious Incident Notification to the Panel")
    to_sos_ofsted = models.BooleanField(default=False, help_text="A looked-after child or care leaver death")
    submitted_at = models.DateTimeField()
    panel_reference = models.CharField(max_length=60)
    submitted_by = models.CharField(max_length=200)
    children = models.ManyToManyField(ReferralChild, related_name="notifications")
    late_reason = models.TextField(blank=True)
    rapid_review_required = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"Notification {self.panel_reference}"

    @property
    def no_rapid_review_reason(self) -> str:
        """Why this notification brings no rapid review (every one to the Panel about a child does)."""
        if self.rapid_review_required:
            return ""
        if not self.to_panel:
            return "the partners decided to notify the Secretary of State and Ofsted only"
        return "the notification covers no child under 18"

    @property
    def kind_label(self) -> str:
        parts = []
        if self.to_panel:
            parts.append("Serious Incident Notification to the Panel")
        if self.to_sos_ofsted:
            parts.append("Secretary of State and Ofsted")
        return " and ".join(parts)


class OtherPartnershipTold(models.Model):
    """Another partnership or local authority told about the incident (e.g. the home authority)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="other_partnerships_told")
    name = models.CharField(max_length=200)
    told_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["told_on", "id"]

    def __str__(self) -> str:
        return self.name


class DuplicateOutcome(models.TextChoices):
    NOT_SAME = "not_same", "Not the same incident"
    SAME = "same", "The same incident"


class DuplicateCheck(models.Model):
    """What those who triage found about a possible duplicate: two cases about the same incident
    (linked), or not (the warning is dismissed, with the reason). One row per pair of cases, whichever
    of the two it was recorded from (`referrals.selectors.duplicate_checks_of`)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="duplicate_checks")
    other = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=DuplicateOutcome.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "other"], name="duplicate_check_once_per_pair")]

    def __str__(self) -> str:
        return f"Possible duplicate checked: {self.get_outcome_display().lower()}"
