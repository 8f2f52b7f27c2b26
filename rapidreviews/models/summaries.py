from django.conf import settings
from django.db import models

from partnerships.models import Agency


class InformationRequest(models.Model):
    """The coordinator's request to one agency for its Individual Agency Summary."""

    review = models.ForeignKey("rapidreviews.RapidReview", on_delete=models.CASCADE, related_name="requests")
    agency = models.ForeignKey("partnerships.Agency", on_delete=models.PROTECT, related_name="+")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invitation = models.ForeignKey(
        "accounts.Invitation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField(blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["review", "agency"], name="rr_request_one_per_agency")]

    def __str__(self) -> str:
        return f"Request to {self.agency}"


class SummaryStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "In progress"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Sent back for changes"
    ACCEPTED = "accepted", "Accepted"
    # Never sent, and the rapid review went to the Panel without it: nothing more is asked.
    CLOSED = "closed", "Closed: review sent without it"


# Still with the agency: what the rapid review would go without.
OUTSTANDING_STATUSES = (SummaryStatus.NOT_STARTED, SummaryStatus.DRAFT, SummaryStatus.RETURNED)


class AgencySummary(models.Model):
    """The Individual Agency Summary. `version` guards against two people overwriting each other."""

    request = models.OneToOneField(InformationRequest, on_delete=models.CASCADE, related_name="agency_summary")
    status = models.CharField(max_length=20, choices=SummaryStatus.choices, default=SummaryStatus.NOT_STARTED)
    version = models.PositiveIntegerField(default=1)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    involvement_summary = models.TextField(blank=True)
    lived_experience = models.TextField(blank=True)
    inequalities = models.TextField(blank=True)
    immediate_actions = models.TextField(blank=True)
    learning = models.TextField(blank=True)
    parallel_processes = models.TextField(blank=True)
    # Sections the lead saved with their button; an autosaved draft is "in progress", never complete.
    completed_sections = models.JSONField(default=list, blank=True)
    # Each section's own version ({slug: n}): a section page is checked against its section only, so
    # two people (or tabs) writing different sections never clash; `version` covers the whole return.
    section_versions = models.JSONField(default=dict, blank=True)
    # Which open page ({slug: token}) wrote each section's latest version: that page's own saves may
    # overtake each other (an autosave still in flight as it is left) without clashing with itself.
    section_editors = models.JSONField(default=dict, blank=True)
    coordinator_comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Individual Agency Summary from {self.request.agency}"

    @property
    def agency(self) -> Agency:
        return self.request.agency

    @property
    def is_editable(self) -> bool:
        return self.status in {SummaryStatus.NOT_STARTED, SummaryStatus.DRAFT, SummaryStatus.RETURNED}


class SummaryEvent(models.Model):
    """One step of the submit / accept / return-with-comments loop: who, when, what they said."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Sent back for changes"
        ACCEPTED = "accepted", "Accepted"
        CLOSED = "closed", "Closed: review sent without it"
        REOPENED = "reopened", "Asked for again"

    agency_summary = models.ForeignKey(AgencySummary, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    comments = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Individual Agency Summary {self.get_kind_display().lower()}"


class ChronologyEntry(models.Model):
    agency_summary = models.ForeignKey(AgencySummary, on_delete=models.CASCADE, related_name="entries")
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    what_happened = models.TextField()
    source = models.CharField(max_length=300, help_text="The source record, for example a case note")
    significance = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    # The "add an entry" form's own token: the same form sent twice (Back, then Save) adds one entry.
    client_token = models.CharField(max_length=40, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "time", "id"]
        verbose_name_plural = "chronology entries"

    def __str__(self) -> str:
        return f"{self.date}: {self.what_happened[:40]}"


class PracticeEpisode(models.Model):
    """One key practice episode of an agency's summary, analysed: what went well and what could have
    been done differently. An agency names as many episodes as its involvement had."""

    agency_summary = models.ForeignKey(AgencySummary, on_delete=models.CASCADE, related_name="episodes")
    title = models.CharField(max_length=200, help_text="A short name, for example 'Emergency department visit'")
    date = models.DateField(null=True, blank=True)
    went_well = models.TextField(blank=True)
    could_differ = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    client_token = models.CharField(max_length=40, blank=True, db_index=True)  # as ChronologyEntry's
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [models.F("date").asc(nulls_last=True), "id"]

    def __str__(self) -> str:
        return self.title


class DuplicateOutcome(models.TextChoices):
    NOT_SAME = "not_same", "Not the same event"
    SAME = "same", "The same event"


class ChronologyDuplicateCheck(models.Model):
    """The coordinator's answer about two agencies' entries the merged chronology marked as a possible
    duplicate: the same event (shown as one event recorded by both) or not (the mark is dismissed,
    with the reason). `first` is the entry with the lower id, so a pair has one row."""

    review = models.ForeignKey("rapidreviews.RapidReview", on_delete=models.CASCADE, related_name="duplicate_checks")
    first = models.ForeignKey(ChronologyEntry, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(ChronologyEntry, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=20, choices=DuplicateOutcome.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="rr_duplicate_check_once_per_pair")]

    def __str__(self) -> str:
        return f"Possible duplicate in the chronology checked: {self.get_outcome_display().lower()}"
