"""The local review's terms of reference (domain.md §4.3-4.5): the review period, the agencies in
scope, the key lines of enquiry, the methodology (from the partnership's own list), the family
engagement plan, the parallel processes, the timetable and governance. One per review, drafted by
the coordinator or the commissioned reviewer; its status moves through its own table
(localreviews/terms_workflow.py): approved by the three partners for an LCSPR, agreed by the
coordinator for an alternative review (localreviews/plan.py)."""

from django.conf import settings
from django.db import models

# The methodologies a partnership starts with (domain.md §4.4); it adds its own and retires any.
STANDARD_METHODOLOGIES = (
    "Significant Incident Learning Process (SILP)",
    "SCIE Learning Together (systems model)",
    "Appreciative inquiry",
    "Welsh child practice review learning event",
    "Hybrid",
    "Other",
)


class Methodology(models.Model):
    """A review methodology on a partnership's list. Retired entries stay (terms that chose one
    still name it) but are not offered again."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="methodology_unique_name_in_partnership")
        ]

    def __str__(self) -> str:
        return self.name


class TermsStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    APPROVED = "approved", "Approved"


class TermsOfReference(models.Model):
    review = models.OneToOneField("localreviews.LocalReview", on_delete=models.CASCADE, related_name="terms")
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    agencies = models.ManyToManyField("partnerships.Agency", blank=True, related_name="+")
    # The key lines of enquiry, in order: the questions the review will answer (a list of strings,
    # written and read as a whole with the terms).
    lines = models.JSONField(default=list, blank=True)
    methodology = models.ForeignKey(Methodology, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    methodology_notes = models.TextField(blank=True)
    family_engagement = models.TextField(blank=True)
    timetable = models.TextField(blank=True)
    governance = models.TextField(blank=True)
    status = models.CharField(max_length=30, choices=TermsStatus.choices, default=TermsStatus.DRAFT)
    version = models.PositiveIntegerField(default=1)
    # Each time the terms go for approval (or change while awaiting it) a new round begins: only
    # the partners' steps in the current round count.
    approval_round = models.PositiveIntegerField(default=0)
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "Terms of reference"

    @property
    def status_label(self) -> str:
        return str(TermsStatus(self.status).label)


class ParallelKind(models.TextChoices):
    CRIMINAL_INVESTIGATION = "criminal_investigation", "Criminal investigation"
    PROSECUTION = "prosecution", "Prosecution"
    INQUEST = "inquest", "Inquest"
    DISCIPLINARY = "disciplinary", "Disciplinary or regulatory process"


class ParallelStatus(models.TextChoices):
    EXPECTED = "expected", "Expected"
    UNDER_WAY = "under_way", "Under way"
    CONCLUDED = "concluded", "Concluded"
    NOT_PROCEEDING = "not_proceeding", "Not proceeding"


class ParallelProcess(models.Model):
    """A process running alongside the review, with where it stands and its expected dates."""

    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="parallel_processes")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=30, choices=ParallelKind.choices)
    status = models.CharField(max_length=20, choices=ParallelStatus.choices)
    next_date = models.DateField(null=True, blank=True)  # the next expected event: a hearing, a trial
    expected_end = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class TermsDecision(models.TextChoices):
    APPROVED = "approved", "Approved"
    CHANGES = "changes", "Asked for changes"


class TermsApproval(models.Model):
    """A partner delegate's step on the terms: approved, or asked for changes with comments."""

    terms = models.ForeignKey(TermsOfReference, on_delete=models.CASCADE, related_name="approvals")
    approval_round = models.PositiveIntegerField()
    role = models.CharField(max_length=30)
    decision = models.CharField(max_length=20, choices=TermsDecision.choices)
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
