"""The local review: a local child safeguarding practice review (LCSPR) or an alternative learning
review, commissioned by the partners on a case (domain.md §4). One per case; its own status moves
through its workflow table (localreviews/workflow.py), while the case's state says only that the
local review holds it."""

from django.conf import settings
from django.db import models


class ReviewKind(models.TextChoices):
    LCSPR = "lcspr", "Local child safeguarding practice review (LCSPR)"
    ALTERNATIVE = "alternative", "Alternative learning review"


class DecidedWhen(models.TextChoices):
    """When the partners decided on the review (the decision date starts the 6 months)."""

    RAPID_REVIEW = "rapid_review", "At the rapid review"
    PANEL_RESPONSE = "panel_response", "After the Panel's response"
    LATER = "later", "Later, by the safeguarding partners"


class LocalReviewStatus(models.TextChoices):
    COMMISSIONED = "commissioned", "Commissioned: reviewer to be appointed"
    REVIEWER_APPOINTED = "reviewer_appointed", "Reviewer appointed"
    # The final report's sign-off and what follows it (localreviews/signoff_workflow.py).
    REPORT_AWAITING_APPROVAL = "report_awaiting_approval", "Final report awaiting the partners' approval"
    REPORT_CHANGES_ASKED = "report_changes_asked", "Final report: changes asked for"
    REPORT_APPROVED = "report_approved", "Final report approved"
    SENT_AHEAD = "sent_ahead", "Final report sent to the Panel and the Secretary of State"
    PUBLICATION_PLANNED = "publication_planned", "Publication planned"
    IMPROVEMENTS_ONLY = "improvements_only", "Only the improvements to be published"
    PUBLICATION_DELAYED = "publication_delayed", "Publication delayed"


class LocalReview(models.Model):
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="local_review")
    kind = models.CharField(max_length=20, choices=ReviewKind.choices)
    alternative_type = models.CharField(max_length=200, blank=True)  # its named type, for an alternative review
    decided_on = models.DateField()
    decided_when = models.CharField(max_length=20, choices=DecidedWhen.choices)
    rationale = models.TextField(blank=True)
    status = models.CharField(max_length=30, default=LocalReviewStatus.COMMISSIONED)
    version = models.PositiveIntegerField(default=1)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Local review: {self.kind_label}"

    @property
    def kind_label(self) -> str:
        if self.kind == ReviewKind.ALTERNATIVE and self.alternative_type:
            return f"Alternative learning review ({self.alternative_type})"
        return str(ReviewKind(self.kind).label)

    @property
    def kind_words(self) -> str:
        """The kind in a sentence: "local child safeguarding practice review (LCSPR)", the acronym kept."""
        label = self.kind_label
        return label[0].lower() + label[1:]

    @property
    def status_label(self) -> str:
        try:
            return str(LocalReviewStatus(self.status).label)
        except ValueError:
            return self.status


class LocalReviewEvent(models.Model):
    """The review's own history: one row per step of its workflow table."""

    review = models.ForeignKey(LocalReview, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(max_length=60)
    from_status = models.CharField(max_length=30)
    to_status = models.CharField(max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Local review step: {self.step}"


class NationalBody(models.TextChoices):
    PANEL = "panel", "Child Safeguarding Practice Review Panel"
    OFSTED = "ofsted", "Ofsted"
    DFE = "dfe", "Department for Education"


class NoticeKind(models.TextChoices):
    COMMISSIONED = "commissioned", "Notice that a local review is being held"
    REVIEWER = "reviewer", "Notice of the reviewer's name"
    DELAY = "delay", "Notice of the reasons for delay"


class Notice(models.Model):
    """A notice to the national bodies, as sent: the date, who it went to (body and address), the
    letter's words, and the letter kept as DOCX and tagged PDF on the case."""

    review = models.ForeignKey(LocalReview, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    sent_on = models.DateField()
    recipients = models.JSONField(default=list)  # [{"body": NationalBody, "email": str}]
    letter = models.TextField()
    letter_docx = models.ForeignKey("documents.Document", on_delete=models.PROTECT, null=True, related_name="+")
    letter_pdf = models.ForeignKey("documents.Document", on_delete=models.PROTECT, null=True, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    client_token = models.CharField(max_length=40, blank=True, db_index=True)

    class Meta:
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.sent_on:%-d %B %Y})"

    @property
    def bodies(self) -> list[str]:
        return [str(NationalBody(r["body"]).label) for r in self.recipients if r.get("body") in NationalBody.values]


class Employment(models.TextChoices):
    INDEPENDENT = "independent", "Independent"
    EMPLOYED = "employed", "Employed by a partner agency"


class Reviewer(models.Model):
    """A reviewer appointed to the review (one or two), with the agreement's dates and their
    declaration of independence and any conflicts. `user` is their account, invited on appointment:
    their access is this case's local review only (localreviews/policies.py)."""

    review = models.ForeignKey(LocalReview, on_delete=models.CASCADE, related_name="reviewers")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    employment = models.CharField(max_length=20, choices=Employment.choices)
    organisation = models.CharField(max_length=200)
    agreement_starts = models.DateField()
    agreement_ends = models.DateField()
    independent_declared = models.BooleanField(default=False)
    independence_statement = models.TextField()
    conflicts = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The invitation sent to a new address: accepting it links `user` and grants the case.
    invitation = models.ForeignKey(
        "accounts.Invitation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    appointed_on = models.DateField()
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appointed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["appointed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "email"], name="reviewer_once_per_review")]

    def __str__(self) -> str:
        return f"Reviewer: {self.name}"


# The terms of reference live in their own module; imported here so Django finds them.
from localreviews.accuracy_models import AccuracyComment, AccuracyRound  # noqa: E402, F401
from localreviews.events_models import Invitee, LearningEvent  # noqa: E402, F401
from localreviews.family_models import FamilyContact  # noqa: E402, F401
from localreviews.monitoring_models import Checkpoint, Delay, WrittenRequest  # noqa: E402, F401
from localreviews.report_models import ReportDraft, ReportItem, ReportVersion  # noqa: E402, F401
from localreviews.signoff_models import FinalReport, PublicationDecision, SentAhead  # noqa: E402, F401
from localreviews.terms_models import Methodology, TermsOfReference  # noqa: E402, F401
