from django.conf import settings
from django.db import models

from rapidreviews.models.review import RapidReviewDecision


class Regulation11Criterion(models.Model):
    """One regulation 11 criterion, considered at the meeting."""

    class Criterion(models.TextChoices):
        A = "a", "(a) highlights, or may highlight, improvements needed, including ones identified before"
        B = "b", "(b) shows recurrent themes"
        C = "c", "(c) raises concerns about two or more agencies working together"
        D = "d", "(d) the Panel has considered it and concluded a local review may be more appropriate"

    class Answer(models.TextChoices):
        MET = "met", "Met"
        NOT_MET = "not_met", "Not met"
        UNSURE = "unsure", "Not yet known"

    review = models.ForeignKey("rapidreviews.RapidReview", on_delete=models.CASCADE, related_name="criteria")
    criterion = models.CharField(max_length=1, choices=Criterion.choices)
    answer = models.CharField(max_length=10, choices=Answer.choices)
    notes = models.TextField(blank=True)
    # Two pages saving the same criterion: the second is shown the first's answer, never overwrites it silently.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "regulation 11 criterion"
        ordering = ["criterion"]
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="rr_criterion_once")]

    def __str__(self) -> str:
        return f"Criterion {self.get_criterion_display()}: {self.get_answer_display()}"


class ImmediateActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class ImmediateAction(models.Model):
    """An immediate safeguarding action. The log stays open after the review closes."""

    review = models.ForeignKey("rapidreviews.RapidReview", on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=200, help_text="Person or agency responsible")
    due = models.DateField()
    status = models.CharField(max_length=20, choices=ImmediateActionStatus.choices, default=ImmediateActionStatus.OPEN)
    evidence = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    # The "add" form's own token: the same form sent twice (a double click, Back then Save) adds one action.
    client_token = models.CharField(max_length=40, blank=True, db_index=True)

    class Meta:
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return f"Immediate action: {self.description[:60]}"


class SignOffDecision(models.TextChoices):
    APPROVED = "approved", "Approved"
    CHANGES = "changes", "Asked for changes"
    COMMENT = "comment", "Commented"


class SignOff(models.Model):
    """One step of sign-off: a delegate approving or asking for changes, or the scrutineer commenting."""

    review = models.ForeignKey("rapidreviews.RapidReview", on_delete=models.CASCADE, related_name="sign_offs")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=30)
    decision = models.CharField(max_length=20, choices=SignOffDecision.choices)
    comments = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Sign-off: {self.get_decision_display()} ({self.role_label})"

    @property
    def role_label(self) -> str:
        from accounts.roles import Role

        try:
            return str(Role(self.role).label)
        except ValueError:
            return self.role


class PanelResponseKind(models.TextChoices):
    """What the Panel said about the partners' decision. Whether it will hold a national review is
    a separate answer (`PanelResponse.national_review`): it can agree or challenge and hold one too."""

    AGREES = "agrees", "Agrees with the decision"
    CHALLENGES = "challenges", "Challenges the decision"
    MORE_INFORMATION = "more_information", "Asks for more information"


class PanelResponse(models.Model):
    review = models.ForeignKey("rapidreviews.RapidReview", on_delete=models.CASCADE, related_name="panel_responses")
    received_on = models.DateField()
    kind = models.CharField(max_length=30, choices=PanelResponseKind.choices)
    national_review = models.BooleanField(default=False, help_text="The Panel will hold a national review")
    said = models.TextField()
    reopened_tasks = models.JSONField(default=list, blank=True)
    # The decision the Panel answered, as it was sent (a challenge clears it from the review, and
    # the decision page shows what was challenged from here). Blank on a few replies recorded
    # before it was kept, where the ledger did not say.
    sent_decision = models.CharField(max_length=30, choices=RapidReviewDecision.choices, blank=True)
    sent_alternative_review_type = models.CharField(max_length=200, blank=True)
    sent_rationale = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        national = "; it will hold a national review" if self.national_review else ""
        return f"The Panel's response of {self.received_on:%-d %B %Y}: {self.get_kind_display()}{national}"
