"""What the local review's pages read."""

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from localreviews.models import LocalReview, LocalReviewStatus, NoticeKind, ReviewKind
from localreviews.plan import REQUIREMENT_TEXT, Requirement, requires
from localreviews.policies import LocalReviewChecker
from rapidreviews.models import RapidReview, RapidReviewDecision

# What each rapid review decision opens, if anything.
KIND_OF_DECISION = {
    RapidReviewDecision.LCSPR: ReviewKind.LCSPR,
    RapidReviewDecision.ALTERNATIVE: ReviewKind.ALTERNATIVE,
}


def review_on_page(case: Case) -> LocalReview | None:
    """The case's local review or None, read once per case object (with the case, where the page
    asked for `local_review` in the same query)."""
    try:
        return case.local_review  # type: ignore[no-any-return]  # the reverse one-to-one, cached on the case
    except LocalReview.DoesNotExist:
        return None


@dataclass(frozen=True)
class DecisionToOpen:
    """What the rapid review decided, as the opening page's defaults: "" and None where it said nothing."""

    kind: str = ""
    alternative_type: str = ""
    decided_on: dt.date | None = None
    rationale: str = ""
    started_on: dt.date | None = None  # the rapid review began: no decision before it


def decision_to_open(case: Case) -> DecisionToOpen:
    try:
        rapid_review = RapidReview.objects.get(case=case)
    except RapidReview.DoesNotExist:
        return DecisionToOpen()
    started_on = timezone.localdate(rapid_review.started_at)
    kind = (
        KIND_OF_DECISION.get(RapidReviewDecision(rapid_review.decision))
        if rapid_review.decision in RapidReviewDecision.values
        else None
    )
    if kind is None:
        return DecisionToOpen(started_on=started_on)
    return DecisionToOpen(
        kind=kind,
        alternative_type=rapid_review.alternative_review_type,
        decided_on=timezone.localdate(rapid_review.decided_at) if rapid_review.decided_at else None,
        rationale=rapid_review.decision_rationale,
        started_on=started_on,
    )


@dataclass(frozen=True)
class Task:
    """A line of the review's task list: what, whether this kind of review needs it, and where it is."""

    text: str
    status: str  # "Completed", "Not started", "Not needed", ...
    done: bool
    needed: bool = True
    url: str = ""


def task_list(review: LocalReview, checker: LocalReviewChecker | None = None) -> list[Task]:
    """The review's plan as a GOV.UK task list: the steps every review takes and those its kind
    requires (localreviews/plan.py), each with where it stands. Lines for what only some readers
    may see (the family involvement log) are shown to them only (`checker`: the person's)."""
    notices = {n.kind for n in review.notices.all()}
    counts = _counts(review)
    reviewers = counts["reviewers"]
    tasks: list[Task] = []
    national = requires(review.kind, Requirement.NATIONAL_NOTICES)
    tasks.append(
        Task(
            "Tell the Panel, Ofsted and DfE that the review is being held",
            "Sent" if NoticeKind.COMMISSIONED in notices else ("Not started" if national else "Not needed"),
            NoticeKind.COMMISSIONED in notices,
            national,
            reverse("localreviews:notice", args=[review.case.reference, NoticeKind.COMMISSIONED]),
        )
    )
    appointed = review.status != LocalReviewStatus.COMMISSIONED
    tasks.append(
        Task(
            "Appoint the reviewer",
            "Completed" if appointed else ("In progress" if reviewers else "Not started"),
            appointed,
            url=reverse("localreviews:reviewers", args=[review.case.reference]),
        )
    )
    tasks.append(
        Task(
            "Tell the Panel, Ofsted and DfE the reviewer's name",
            "Sent" if NoticeKind.REVIEWER in notices else ("Not started" if national else "Not needed"),
            NoticeKind.REVIEWER in notices,
            national,
            reverse("localreviews:notice", args=[review.case.reference, NoticeKind.REVIEWER]),
        )
    )
    tasks.append(terms_task(review))
    tasks.append(events_task(review, counts))
    if checker is not None and checker.may_read_family_log:
        tasks.append(family_task(review, counts))
    tasks.append(report_task(review, counts))
    tasks.append(accuracy_task(review, counts))
    tasks.append(monitoring_task(review))
    from localreviews.signoff_selectors import signoff_tasks

    tasks.extend(signoff_tasks(review))
    return tasks


def accuracy_task(review: LocalReview, counts: dict[str, Any] | None = None) -> Task:
    """Factual accuracy: agencies check a draft's facts (every kind of review keeps this step)."""
    counts = counts or _counts(review)
    if counts["rounds_open"]:
        status = "In progress"
    elif counts["rounds"]:
        status = "Completed"
    else:
        status = "Not started"
    return Task(
        "Factual accuracy round",
        status,
        status == "Completed",
        requires(review.kind, Requirement.ACCURACY_ROUND),
        reverse("localreviews:accuracy", args=[review.case.reference]),
    )


def terms_task(review: LocalReview) -> Task:
    """The terms of reference: approved by the three partners, or agreed by the coordinator, as the
    review's plan says."""
    from django.urls import reverse

    from localreviews.terms_models import TermsOfReference, TermsStatus

    by_partners = requires(review.kind, Requirement.TERMS_BY_PARTNERS)
    text = (
        "Agree the terms of reference with the three safeguarding partners"
        if by_partners
        else "Agree the terms of reference"
    )
    try:
        terms = review.terms
    except TermsOfReference.DoesNotExist:
        terms = None
    if terms is None:
        status = "Not started"
    elif terms.status == TermsStatus.APPROVED:
        status = "Approved" if by_partners else "Agreed"
    elif terms.status == TermsStatus.AWAITING_APPROVAL:
        status = "Awaiting approval"
    else:
        status = "In progress"
    done = terms is not None and terms.status == TermsStatus.APPROVED
    return Task(text, status, done, url=reverse("localreviews:terms", args=[review.case.reference]))


def report_task(review: LocalReview, counts: dict[str, Any] | None = None) -> Task:
    """Writing the report: not started until a section is written or a draft uploaded, then in
    progress with how many versions are kept (sign-off says when it is final)."""
    counts = counts or _counts(review)
    kept = int(counts["versions"])
    written = any((counts["draft_sections"] or {}).values())
    if kept:
        status = f"In progress ({kept} version{'s' if kept != 1 else ''} kept)"
    elif written:
        status = "In progress (no version kept yet)"
    else:
        status = "Not started"
    return Task("Write the report", status, False, url=reverse("localreviews:report", args=[review.case.reference]))


def _counts(review: LocalReview) -> dict[str, Any]:
    """What the task list counts, in one query whatever the review holds: its reviewers, its
    learning events (and how many are held), its family log entries (and how many await an
    answer), its kept report versions and whether the working draft has any text."""
    from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
    from django.db.models.functions import Coalesce

    from localreviews.accuracy_models import AccuracyRound, RoundStatus
    from localreviews.events_models import EventStatus, LearningEvent
    from localreviews.family_models import FamilyContact, FamilyResponse
    from localreviews.models import Reviewer
    from localreviews.report_models import ReportVersion

    def count(rows: QuerySet[Any], where: Q | None = None) -> Coalesce:
        counted = (
            rows.filter(where or Q(), review=OuterRef("pk"))
            .order_by()
            .values("review")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    row = (
        LocalReview.objects.filter(pk=review.pk)
        .annotate(
            n_events=count(LearningEvent.objects.all()),
            n_events_held=count(LearningEvent.objects.all(), Q(status=EventStatus.HELD)),
            n_family=count(FamilyContact.objects.all()),
            n_family_waiting=count(FamilyContact.objects.all(), Q(response=FamilyResponse.NO_RESPONSE)),
            n_reviewers=count(Reviewer.objects.all()),
            n_versions=count(ReportVersion.objects.all()),
            n_rounds=count(AccuracyRound.objects.all()),
            n_rounds_open=count(AccuracyRound.objects.all(), Q(status=RoundStatus.OPEN)),
        )
        .values(
            "n_events",
            "n_events_held",
            "n_family",
            "n_family_waiting",
            "n_reviewers",
            "n_versions",
            "n_rounds",
            "n_rounds_open",
            "report_draft__sections",
        )
        .get()
    )
    counts: dict[str, Any] = {
        key.removeprefix("n_"): cast(int, value) for key, value in row.items() if key.startswith("n_")
    }
    counts["draft_sections"] = row["report_draft__sections"]
    return counts


def events_task(review: LocalReview, counts: dict[str, Any] | None = None) -> Task:
    """The practitioner learning events: none yet, some still to hold, or all held."""
    counts = counts or _counts(review)
    if not counts["events"]:
        status = "Not started"
    elif counts["events_held"] == counts["events"]:
        status = "Completed"
    else:
        status = "In progress"
    return Task(
        "Practitioner learning events",
        status,
        status == "Completed",
        url=reverse("localreviews:learning_events", args=[review.case.reference]),
    )


def family_task(review: LocalReview, counts: dict[str, Any] | None = None) -> Task:
    """The family involvement log: no offer yet, offers awaiting an answer, or every offer answered."""
    counts = counts or _counts(review)
    if not counts["family"]:
        status = "Not started"
    elif counts["family_waiting"]:
        status = "In progress"
    else:
        status = "Completed"
    return Task(
        "Family involvement",
        status,
        status == "Completed",
        url=reverse("localreviews:family", args=[review.case.reference]),
    )


def requirements(review: LocalReview) -> list[tuple[str, bool]]:
    """What the review's kind asks of it, each with whether it is asked (localreviews/plan.py)."""
    return [(REQUIREMENT_TEXT[r], requires(review.kind, r)) for r in Requirement]


def monitoring_task(review: LocalReview) -> Task:
    """The partners' monitoring (regulation 14): what is overdue (checkpoints, answers to written
    requests) or holding the review, else whether any has begun. One query: the review page has no
    more to spare. A checkpoint held on a date an earlier interval gave counts against those due."""
    from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
    from django.db.models.functions import Coalesce

    from clocks.models import Clock, ClockSettings
    from localreviews.clock_rules import SIX_MONTHS
    from localreviews.monitoring_models import DelayStatus, RequestStatus
    from localreviews.monitoring_services import checkpoint_dates, six_months_due

    today = timezone.localdate()
    clocks = Clock.objects.filter(case_id=OuterRef("case_id"), rule=SIX_MONTHS).order_by("-id")
    facts = (
        LocalReview.objects.filter(pk=review.pk)
        .annotate(
            weeks=Coalesce(
                Subquery(
                    ClockSettings.objects.filter(partnership_id=review.case.partnership_id).values(
                        "lr_checkpoint_weeks"
                    )[:1],
                    output_field=IntegerField(),
                ),
                ClockSettings._meta.get_field("lr_checkpoint_weeks").default,
            ),
            due_date=Subquery(clocks.values("due_date")[:1]),
            extended_to=Subquery(clocks.values("extended_to")[:1]),
            requests=Count("written_requests", distinct=True),
            late_requests=Count(
                "written_requests",
                filter=Q(written_requests__status=RequestStatus.OPEN, written_requests__due_on__lt=today),
                distinct=True,
            ),
            delays_count=Count("delays", distinct=True),
            holding=Count("delays", filter=Q(delays__status=DelayStatus.HOLDING), distinct=True),
            held=Count("checkpoints", distinct=True),
            held_before=Count("checkpoints", filter=Q(checkpoints__due_on__lt=today), distinct=True),
        )
        .values(
            "weeks",
            "due_date",
            "extended_to",
            "requests",
            "late_requests",
            "delays_count",
            "holding",
            "held",
            "held_before",
        )
        .get()
    )
    until = facts["extended_to"] or facts["due_date"] or six_months_due(review, None)
    due_before = sum(1 for d in checkpoint_dates(review.decided_on, int(facts["weeks"]), until) if d < today)
    late = max(0, due_before - facts["held_before"]) + facts["late_requests"]
    if late:
        status = f"{late} overdue"
    elif facts["holding"]:
        status = "Delayed"
    elif facts["requests"] or facts["delays_count"] or facts["held"]:
        status = "In progress"
    else:
        status = "Not started"
    return Task(
        "Monitor the review: written requests, progress checkpoints and delays",
        status,
        False,
        url=reverse("localreviews:monitoring", args=[review.case.reference]),
    )
