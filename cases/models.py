"""The case: one joined-up record from the referral of a serious incident onwards."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from partnerships.models import Agency, Partnership


class CaseState(models.TextChoices):
    """The names of the states today's stages hold, kept here so existing code can spell them. Each
    state's label, words and steps come from the stage that holds it (cases.stage_registry, its
    `states` and `transitions`); a new stage's states need no entry here."""

    DRAFT = "draft", "Referral being written"
    REFERRED = "referred", "Referred, awaiting triage"
    NOT_NOTIFIED = "not_notified", "Decided not to notify"
    TO_NOTIFY = "to_notify", "To be notified to the Panel"
    NOTIFIED = "notified", "Notified to the Panel"
    RAPID_REVIEW = "rapid_review", "Rapid review under way"
    RAPID_REVIEW_SUBMITTED = "rapid_review_submitted", "Rapid review submitted to the Panel"
    CLOSED = "closed", "Closed"


class CaseStage(models.TextChoices):
    """Where a case is, coarsely and stably: each journey keeps its own finer status. The stage that
    holds a case's state says which of these it is (cases.stage_registry.case_stage)."""

    REFERRAL = "referral", "Referral"
    RAPID_REVIEW = "rapid_review", "Rapid review"
    LOCAL_REVIEW = "local_review", "Local review"
    PUBLICATION = "publication", "Publication"
    CLOSED = "closed", "Closed"


class Case(models.Model):
    reference = models.CharField(max_length=30, unique=True)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="cases")
    state = models.CharField(max_length=40, default=CaseState.REFERRED, help_text="A state a stage holds")
    version = models.PositiveIntegerField(default=1, help_text="Optimistic lock: bumped by every transition")
    title = models.CharField(max_length=200, help_text="A pseudonym, for example 'Child N'")
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="referred_cases"
    )
    referring_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="referred_cases"
    )
    involved_agencies = models.ManyToManyField(Agency, blank=True, related_name="involved_cases")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["partnership", "state"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_state_display(self) -> str:
        from cases.workflow import state_label

        return state_label(self.state)

    @property
    def stage(self) -> str:
        """The coarse stage (a CaseStage value), from the stage that holds the case's state."""
        from cases.stage_registry import case_stage

        return case_stage(self.state)


class CaseAccess(models.Model):
    """An explicit grant to one person for one case: a commissioned reviewer, an invited agency lead."""

    class Reason(models.TextChoices):
        COMMISSIONED_REVIEWER = "reviewer", "Commissioned reviewer"
        INFORMATION_REQUEST = "request", "Information request to their agency"
        MEETING_MEMBER = "meeting", "Member of the review meeting"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_grants")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user", "reason"], name="case_access_unique")]

    def __str__(self) -> str:
        return f"Access to the case: {self.get_reason_display()}"


class StateChange(models.Model):
    """The status history: one row per transition, written by cases.workflow.case_transition."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="state_changes")
    transition = models.CharField(max_length=60)
    from_state = models.CharField(max_length=40)
    to_state = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Status changed from {self.get_from_state_display()} to {self.get_to_state_display()}"

    # The states' labels come from the stages that hold them (no choices on the columns).
    def get_from_state_display(self) -> str:
        from cases.workflow import state_label

        return state_label(self.from_state)

    def get_to_state_display(self) -> str:
        from cases.workflow import state_label

        return state_label(self.to_state)
