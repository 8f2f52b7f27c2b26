"""Clocks as data: the bank-holiday calendar, local closure days, per-partnership clock settings and
one row per deadline of a case.

A statutory deadline counts England and Wales bank holidays only (domain brief §8); a partnership's
closure days are recorded so the service can warn, never to move a deadline.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class BankHoliday(models.Model):
    class Source(models.TextChoices):
        SEEDED = "seeded", "Official calendar"
        ADDED = "added", "Added by an administrator"

    date = models.DateField(unique=True)
    name = models.CharField(max_length=120)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SEEDED)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%-d %B %Y} {self.name}"


class ClosureDay(models.Model):
    """A day the partnership's office is closed. Shown as a warning beside deadlines; never counted."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="closure_days")
    date = models.DateField()
    name = models.CharField(max_length=120)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["partnership", "date"], name="closure_day_unique")]

    def __str__(self) -> str:
        return f"{self.date:%-d %B %Y} {self.name}"


class ClockRule(models.TextChoices):
    """The names of the rules today's stages register, kept here so existing code can spell them.
    A rule's length, basis and label come from the stage that registers it (clocks.rules); a new
    stage's rules need no entry here."""

    SIN = "sin", "Serious Incident Notification"
    RAPID_REVIEW = "rapid_review", "Rapid review"
    RR_REQUESTS_OUT = "rr_requests_out", "Information requests sent"
    RR_RETURNS = "rr_returns", "Agency summaries"
    RR_MEETING = "rr_meeting", "Rapid review meeting"
    RR_SIGN_OFF = "rr_sign_off", "Sign-off by the safeguarding partners"
    RR_SUBMISSION = "rr_submission", "Rapid review sent to the Panel"
    PANEL_RESPONSE = "panel_reply", "Panel's response expected"
    LCSPR = "lcspr", "Local child safeguarding practice review"
    PUBLICATION_NOTICE = "publication_notice", "Notice to the Panel and Secretary of State"


class ClockStatus(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Met"
    LATE = "late", "Met late"
    EXTENDED = "extended", "Extended"
    PAUSED = "paused", "Paused"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATUSES = (ClockStatus.OPEN, ClockStatus.EXTENDED, ClockStatus.PAUSED)
RUNNING_STATUSES = (ClockStatus.OPEN, ClockStatus.EXTENDED)


class RapidReviewStart(models.TextChoices):
    SIN_SUBMITTED = "sin_submitted", "The date the Serious Incident Notification was sent"
    LA_AWARE = "la_aware", "The date the local authority became aware"


def default_reminder_offsets() -> list[int]:
    return [2, 0]


class ClockSettings(models.Model):
    """A partnership's choices for its clocks. `clocks.selectors.settings_for` gives defaults if absent."""

    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="clock_settings"
    )
    rapid_review_start = models.CharField(
        max_length=20, choices=RapidReviewStart.choices, default=RapidReviewStart.SIN_SUBMITTED
    )
    rapid_review_days = models.PositiveSmallIntegerField(default=15)
    rr_requests_out_day = models.PositiveSmallIntegerField(default=2)
    rr_returns_day = models.PositiveSmallIntegerField(default=8)
    rr_meeting_day = models.PositiveSmallIntegerField(
        default=12, help_text="The meeting is held between returns and this day"
    )
    rr_sign_off_day = models.PositiveSmallIntegerField(default=13)
    rr_submission_day = models.PositiveSmallIntegerField(default=15)
    panel_reply_days = models.PositiveSmallIntegerField(default=10)
    reminder_offsets = models.JSONField(
        default=default_reminder_offsets,
        help_text="Working days before the due date to remind the owner (0 = on the day)",
    )
    escalate_overdue = models.BooleanField(default=True)
    # A window for the independent scrutineer's and the chair's comments: when the partnership wants
    # them, sign-off stays open after the three partners approve until both have commented or this
    # many working days have passed.
    signoff_wait_for_comments = models.BooleanField(default=False)
    signoff_comment_days = models.PositiveSmallIntegerField(default=2)
    # The local review's monitoring (regulation 14): how long the reviewer has to answer the
    # partners' written request, and how often the partners hold a progress checkpoint.
    lr_written_request_days = models.PositiveSmallIntegerField(default=10)
    lr_checkpoint_weeks = models.PositiveSmallIntegerField(default=4)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Clock settings for {self.partnership_id}"


class Clock(models.Model):
    """One deadline of one case. `due_date` is the computed deadline (recomputed when the calendar
    changes); `extended_to` an agreed later date. `paused_days` working days are added to the due
    date for every pause resumed."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="clocks")
    rule = models.CharField(max_length=30, help_text="A rule registered by a stage (clocks.rules)")
    start_date = models.DateField(help_text="Day 0 (for the publication notice: the planned publication date)")
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=ClockStatus.choices, default=ClockStatus.OPEN)
    met_on = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was late, extended, paused or cancelled")
    extended_to = models.DateField(null=True, blank=True)
    agreed_by = models.CharField(max_length=200, blank=True)
    paused_on = models.DateField(null=True, blank=True)
    paused_days = models.PositiveIntegerField(default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="clocks"
    )
    owner_agency = models.ForeignKey(
        "partnerships.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="clocks"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "rule"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="clock_one_active_per_rule",
            )
        ]
        indexes = [models.Index(fields=["status", "due_date"]), models.Index(fields=["case", "rule"])]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}, {self.case.reference}"

    @property
    def effective_due(self) -> date:
        return self.extended_to or self.due_date

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def get_rule_display(self) -> str:
        from clocks.rules import rule_label

        return rule_label(self.rule)

    @property
    def is_informational(self) -> bool:
        from clocks.rules import rule_spec

        try:
            return rule_spec(self.rule).informational
        except ValueError:
            return False
