"""Reading clocks: a case's clocks, labels ("Working day 9 of 15", "Thursday 15 January") and the
"what's due" list of one person, in a fixed number of queries whatever the number of cases."""

from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from accounts.models import User
from cases.models import Case
from cases.policies import cases_with_record_access
from clocks.models import ACTIVE_STATUSES, Clock, ClockStatus
from clocks.rules import Basis, rule_spec
from core.request_context import request_memo
from core.workdays import working_days_between


class DueGroup:
    OVERDUE = "overdue"
    TODAY = "today"
    WEEK = "week"
    LATER = "later"
    ORDER = (OVERDUE, TODAY, WEEK, LATER)
    LABELS = {OVERDUE: "Overdue", TODAY: "Due today", WEEK: "Due in the next 7 days", LATER: "Due later"}


STATUS_TAGS: dict[str, tuple[str, str]] = {
    ClockStatus.OPEN: ("Open", "govuk-tag--blue"),
    ClockStatus.MET: ("Met", "govuk-tag--green"),
    ClockStatus.LATE: ("Met late", "govuk-tag--orange"),
    ClockStatus.EXTENDED: ("Extended", "govuk-tag--purple"),
    ClockStatus.PAUSED: ("Paused", "govuk-tag--grey"),
    ClockStatus.CANCELLED: ("Cancelled", "govuk-tag--grey"),
}
GROUP_TAGS: dict[str, tuple[str, str]] = {
    DueGroup.OVERDUE: ("Overdue", "govuk-tag--red"),
    DueGroup.TODAY: ("Due today", "govuk-tag--orange"),
    DueGroup.WEEK: ("Due soon", "govuk-tag--yellow"),
    DueGroup.LATER: ("On track", "govuk-tag--green"),
}


def due_date_text(due: date, today: date) -> str:
    """'Thursday 15 January', with the year when it is not this year."""
    text = f"{due:%A} {due.day} {due:%B}"
    return text if due.year == today.year else f"{text} {due.year}"


def progress_label(clock: Clock, today: date, holidays: Container[date]) -> str:
    """Where the clock is: 'Working day 9 of 15', 'Day 40 of 182' for a calendar-month rule."""
    due = clock.effective_due
    if clock.status == ClockStatus.PAUSED:
        return f"Paused since {clock.paused_on:%-d %B}" if clock.paused_on else "Paused"
    spec = rule_spec(clock.rule)
    if spec.backwards:
        left = working_days_between(today, due, holidays)
        if left > 0:
            return f"{left} working day{'s' if left != 1 else ''} to go"
        return "Due today" if left == 0 else f"{-left} working day{'s' if left != -1 else ''} late"
    if spec.basis == Basis.CALENDAR:
        return f"Day {(today - clock.start_date).days} of {(due - clock.start_date).days}"
    elapsed = max(0, working_days_between(clock.start_date, today, holidays))
    label = f"Working day {elapsed} of {working_days_between(clock.start_date, due, holidays)}"
    over = working_days_between(due, today, holidays) if today > due else 0
    return f"{label}, {over} working day{'s' if over != 1 else ''} over" if over > 0 else label


def group_of(due: date, status: str, today: date) -> str:
    if status == ClockStatus.PAUSED or due > today + timedelta(days=7):
        return DueGroup.LATER
    if due < today:
        return DueGroup.OVERDUE
    return DueGroup.TODAY if due == today else DueGroup.WEEK


@dataclass
class ClockRow:
    clock: Clock
    group: str
    progress: str
    due_text: str
    tag_text: str
    tag_class: str
    status_text: str
    status_class: str


def clock_row(clock: Clock, today: date, holidays: Container[date]) -> ClockRow:
    group = group_of(clock.effective_due, clock.status, today)
    if clock.is_active:
        tag_text, tag_class = GROUP_TAGS[group]
        if clock.status == ClockStatus.PAUSED:
            tag_text, tag_class = STATUS_TAGS[ClockStatus.PAUSED]
    else:
        tag_text, tag_class = STATUS_TAGS[clock.status]
    status_text, status_class = STATUS_TAGS[clock.status]
    return ClockRow(
        clock=clock,
        group=group,
        progress=progress_label(clock, today, holidays) if clock.is_active else "",
        due_text=due_date_text(clock.effective_due, today),
        tag_text=tag_text,
        tag_class=tag_class,
        status_text=status_text,
        status_class=status_class,
    )


def clocks_for_case(case: Case) -> QuerySet[Clock]:
    """Every clock of the case (active first, then by due date). The caller has checked access."""
    return (
        Clock.objects.filter(case=case)
        .select_related("owner", "owner_agency")
        .annotate(effective=Coalesce("extended_to", "due_date"))
        .order_by("effective", "id")
    )


def _clocks_memo() -> dict[int, list[Clock]] | None:
    memo = request_memo()
    return None if memo is None else memo.setdefault("case_clocks", {})


def prime_case_clocks(case_ids: Iterable[int]) -> None:
    """Reads the clocks of these cases in one query for the rest of a page that only reads, so that
    asking for each case's deadline (`latest_clock`) costs nothing more however many cases it lists."""
    memo = _clocks_memo()
    if memo is None:
        return
    wanted = {pk for pk in case_ids if pk not in memo}
    if not wanted:
        return
    for pk in wanted:
        memo[pk] = []
    for clock in Clock.objects.filter(case_id__in=wanted).order_by("-id"):
        memo[clock.case_id].append(clock)


def latest_clock(case: Case, rule: str) -> Clock | None:
    """The case's newest clock for the rule (its deadline for that step), or None."""
    memo = _clocks_memo()
    if memo is None:
        return Clock.objects.filter(case=case, rule=rule).order_by("-id").first()
    prime_case_clocks([case.pk])
    return next((c for c in memo[case.pk] if c.rule == rule), None)


def group_condition(group: str, today: date) -> Q:
    """A group as date conditions on `effective` (paused clocks count as later, never overdue)."""
    running = ~Q(status=ClockStatus.PAUSED)
    if group == DueGroup.OVERDUE:
        return running & Q(effective__lt=today)
    if group == DueGroup.TODAY:
        return running & Q(effective=today)
    if group == DueGroup.WEEK:
        return running & Q(effective__gt=today, effective__lte=today + timedelta(days=7))
    if group == DueGroup.LATER:
        return Q(status=ClockStatus.PAUSED) | Q(effective__gt=today + timedelta(days=7))
    return Q(pk__in=[])


def due_for_user(
    user: User,
    *,
    today: date,
    group: str | None = None,
    rule: str | None = None,
    groups: tuple[str, ...] | None = None,
    own: bool = False,
) -> QuerySet[Clock]:
    """Active clocks on the cases this person can see, soonest first, annotated with `effective` (the due date, or the extension).

    `own`: only those this person or one of their agencies is responsible for (the home page of
    someone who works for one agency, such as its safeguarding lead)."""
    qs = (
        Clock.objects.filter(case__in=cases_with_record_access(user).values("pk"), status__in=ACTIVE_STATUSES)
        .select_related("case", "owner", "owner_agency")
        .annotate(effective=Coalesce("extended_to", "due_date"))
    )
    if rule:
        qs = qs.filter(rule=rule)
    if own:
        from accounts.models import Membership

        agencies = Membership.objects.active().filter(user=user, agency__isnull=False).values("agency")
        qs = qs.filter(Q(owner=user) | Q(owner_agency__in=agencies))
    wanted = ([group] if group else []) + list(groups or [])
    if wanted:
        condition = Q()
        for g in wanted:
            condition |= group_condition(g, today)
        qs = qs.filter(condition)
    return qs.order_by("effective", "id")


def due_counts(user: User, *, today: date, rule: str | None = None, own: bool = False) -> dict[str, int]:
    """How many active clocks fall in each group (one query)."""
    qs = due_for_user(user, today=today, rule=rule, own=own).order_by()
    result = qs.aggregate(**{g: Count("id", filter=group_condition(g, today)) for g in DueGroup.ORDER})
    return {g: int(result[g] or 0) for g in DueGroup.ORDER}
