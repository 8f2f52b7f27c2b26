"""The coordinator's task list: each task's status and its clock, from the record."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, Func, IntegerField, OuterRef, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cases.models import Case, CaseState
from documents.models import Document
from rapidreviews.integrations import ClockRule, due_label
from rapidreviews.models import (
    ChronologyEntry,
    RapidReview,
    RapidReviewDecision,
    Regulation11Criterion,
    SignOffDecision,
    SummaryStatus,
)
from rapidreviews.outcome import current_reply, latest_response
from rapidreviews.sections import TaskStatus
from rapidreviews.services.document import TOPIC
from rapidreviews.services.signoff_state import sign_off_state


@dataclass
class Task:
    title: str
    url: str
    status: str
    clock: str = ""


def _url(name: str, reference: str) -> str:
    try:
        return reverse(name, args=[reference])
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class TaskCounts:
    entries: int  # in the merged chronology
    documents: int  # versions of the rapid review document
    criteria: bool  # a criterion considered at the meeting


def task_counts() -> dict[str, Any]:
    """The task list's counts as annotations on the case, so a page reads them with the case."""

    def count(rows: QuerySet[Any]) -> Subquery:
        return Subquery(rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"), IntegerField())

    return {
        "task_entries": count(ChronologyEntry.objects.filter(agency_summary__request__review__case=OuterRef("pk"))),
        "task_documents": count(Document.objects.filter(case=OuterRef("pk"), topic=TOPIC)),
        "task_criteria": Exists(Regulation11Criterion.objects.filter(review__case=OuterRef("pk"))),
    }


def task_counts_of(case: Case) -> TaskCounts:
    """The counts read with the case (`task_counts()`), or else read now, in one query."""
    names = task_counts()
    row: dict[str, Any] = case.__dict__
    if not all(n in row for n in names):
        row = dict(Case.objects.filter(pk=case.pk).values(**names).get())
    return TaskCounts(int(row["task_entries"]), int(row["task_documents"]), bool(row["task_criteria"]))


def review_tasks(review: RapidReview) -> list[Task]:
    case = review.case
    ref = case.reference
    requests = list(review.requests.select_related("agency_summary"))
    statuses = [r.agency_summary.status for r in requests]
    accepted = sum(1 for s in statuses if s == SummaryStatus.ACCEPTED)
    closed = sum(1 for s in statuses if s == SummaryStatus.CLOSED)
    submitted = sum(1 for s in statuses if s in (SummaryStatus.SUBMITTED, SummaryStatus.ACCEPTED))
    counts = task_counts_of(case)
    entries, documents, has_criteria = counts.entries, counts.documents, counts.criteria
    meeting = getattr(review, "meeting", None)
    signoff = sign_off_state(review)
    latest = latest_response(review)
    responses = 1 if current_reply(review) else 0
    reopened = latest is not None and bool(latest.reopened_tasks) and case.state == CaseState.RAPID_REVIEW
    submitted_state = case.state in (CaseState.RAPID_REVIEW_SUBMITTED, CaseState.CLOSED) and review.submitted_at

    def state(done: bool, started: bool) -> str:
        return TaskStatus.COMPLETED if done else (TaskStatus.IN_PROGRESS if started else TaskStatus.NOT_STARTED)

    # After the Panel's response reopened parts of the review, their old deadlines (met before the review
    # was sent) say nothing useful: those tasks say what reopened them instead.
    reopened_by = ""
    if reopened and latest is not None:
        reopened_by = f"Reopened by the Panel's response of {latest.received_on:%-d %B}"
    again = set(latest.reopened_tasks) if reopened and latest else set()
    if "decision" in again:
        again.add("sign_off")  # a new decision is signed off again

    def clock(task: str, label: str, rule: ClockRule) -> str:
        return reopened_by if task in again or (reopened and task == "submission") else due_label(case, label, rule)

    held = meeting is not None and meeting.held_on is not None
    meeting_status: str
    if meeting is None:
        meeting_status = TaskStatus.NOT_STARTED
    elif not held:
        meeting_status = f"Planned for {meeting.date:%-d %B}" if meeting.date > timezone.localdate() else "Not held yet"
    else:
        meeting_status = TaskStatus.COMPLETED if review.facts_agreed else "Held, record to write"

    return [
        Task(
            "Agencies involved and information requests",
            _url("rapidreviews:requests", ref),
            state(bool(requests), False) if not requests else f"{len(requests)} sent",
            due_label(case, "Requests due", ClockRule.RR_REQUESTS_OUT),
        ),
        Task(
            "Agency summaries",
            _url("rapidreviews:requests", ref),
            TaskStatus.NOT_STARTED
            if not requests
            else (
                TaskStatus.COMPLETED
                if accepted == len(requests)
                else f"{accepted} of {len(requests)} accepted" + (f", {closed} sent without" if closed else "")
            ),
            clock("returns", "Returns due", ClockRule.RR_RETURNS),
        ),
        Task(
            "Merged chronology",
            _url("rapidreviews:chronology", ref),
            f"{entries} entries" if entries else TaskStatus.NOT_STARTED,
            f"Shared with the meeting's members: {'yes' if review.summaries_shared_at else 'not yet'}"
            + (f" ({submitted} return{'s' if submitted != 1 else ''})" if submitted else ""),
        ),
        Task(
            "Meeting",
            _url("rapidreviews:meeting", ref),
            meeting_status,
            clock("meeting", "Meeting by", ClockRule.RR_MEETING),
        ),
        Task(
            "Decision",
            _url("rapidreviews:decision", ref),
            state(bool(review.decision and review.decision_rationale), has_criteria),
            clock("decision", "Decision by", ClockRule.RR_MEETING),
        ),
        Task(
            "Sign-off by the three safeguarding partners",
            _url("rapidreviews:sign_off", ref),
            TaskStatus.COMPLETED
            if signoff.complete
            else f"Open for comments until {timezone.localtime(signoff.window_ends):%-d %B, %H:%M}"
            if signoff.approved_by_all and signoff.window_ends
            else (f"{signoff.approved_count} of 3 approved" if signoff.steps else TaskStatus.NOT_STARTED)
            + (
                " (changes asked for)"
                if any(s.decision == SignOffDecision.CHANGES for s in signoff.latest.values())
                else ""
            ),
            clock("sign_off", "Sign-off by", ClockRule.RR_SIGN_OFF),
        ),
        Task(
            "Rapid review document",
            _url("rapidreviews:document", ref),
            f"{documents} version{'s' if documents != 1 else ''}" if documents else TaskStatus.NOT_STARTED,
        ),
        Task(
            "Submission to the Panel",
            _url("rapidreviews:submission", ref),
            TaskStatus.COMPLETED if submitted_state else TaskStatus.NOT_STARTED,
            clock("submission", "Submission due", ClockRule.RR_SUBMISSION),
        ),
        Task(
            "The Panel's response",
            _url("rapidreviews:panel_response", ref),
            "Reopened"
            if reopened
            else "Not needed"
            if case.state == CaseState.CLOSED and review.decision == RapidReviewDecision.CRITERIA_NOT_MET
            else (
                TaskStatus.COMPLETED
                if responses
                else (TaskStatus.NOT_STARTED if submitted_state else TaskStatus.CANNOT_START_YET)
            ),
        ),
    ]
