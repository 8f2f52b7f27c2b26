"""The clocks' sections of the home page ("What's due") and of the case page (its deadlines)."""

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from cases.models import Case
from clocks.calendar import closure_dates, holiday_dates
from clocks.models import RUNNING_STATUSES, Clock, ClockStatus
from clocks.policies import ClockChecker, DueChecker
from clocks.selectors import DueGroup, clock_row, clocks_for_case, due_counts, due_for_user

PER_GROUP = 5  # rows shown per group on the home page; one query per group, whatever the numbers


def closure_warning(due: date, today: date, closures: frozenset[date]) -> str:
    """A warning when the partnership's closure days eat into the time left (never moves the date)."""
    if due in closures:
        return "Due on a day the partnership's office is closed"
    inside = sum(1 for d in closures if today <= d < due)
    if inside:
        return f"{inside} closure day{'s' if inside != 1 else ''} before this deadline"
    return ""


def due_home_panel(user: User) -> dict[str, Any] | None:
    """'What's due': the soonest deadlines on the cases this person can see, grouped."""
    checker = DueChecker(user)
    service_admin = checker.keeps_service_calendar
    # The calendars an administrator keeps: the service's bank holidays, a partnership's closure days.
    admin_link = (
        {
            "template": "clocks/_admin_home_panel.html",
            "service_admin": service_admin,
            "partnership_admin": True,
            "todo": False,
        }
        if checker.keeps_partnership_calendar
        else {
            "template": "clocks/_admin_home_panel.html",
            "service_admin": True,
            "partnership_admin": False,
            "todo": False,
        }
        if service_admin
        else None
    )
    if not checker.has_deadlines:
        return admin_link
    today = timezone.localdate()
    # Someone who works for one agency sees the deadlines they or their agency answer for, not every
    # step of the cases they can read (clocks.policies). Their own requests show their own due dates
    # (rapidreviews' home panel).
    own = checker.own_only
    counts = due_counts(user, today=today, own=own)
    total = sum(counts.values())
    if not total:
        return admin_link
    holidays = holiday_dates()
    groups = []
    for g in DueGroup.ORDER:
        rows = []
        if g != DueGroup.LATER and counts[g]:
            rows = [
                clock_row(c, today, holidays) for c in due_for_user(user, today=today, group=g, own=own)[:PER_GROUP]
            ]
        groups.append({"key": g, "label": DueGroup.LABELS[g], "count": counts[g], "rows": rows})
    return {
        "template": "clocks/_home_panel.html",
        # The coordinator's deadlines, and a lead's own, are theirs to act on; a partner, the
        # scrutineer or the chair watches the partnership's deadlines without acting on them.
        "todo": checker.acts_on_due,
        "due_groups": groups,
        "due_total": total,
        "due_is_coordinator": checker.is_coordinator,
        "due_own_only": own,
        "due_is_admin": checker.keeps_partnership_calendar,
        "due_is_service_admin": service_admin,
    }


def clocks_case_panel(request: AuthenticatedHttpRequest, case: Case) -> dict[str, Any] | None:
    """The case's deadlines with status tags; coordinators get the actions."""
    clocks = list(clocks_for_case(case))
    can_manage = ClockChecker(request.user, case).can_manage
    if not clocks and not can_manage:
        return None
    today = timezone.localdate()
    holidays = holiday_dates()
    closures = closure_dates(case.partnership_id) if clocks else frozenset()
    rows = []
    for clock in clocks:
        row = clock_row(clock, today, holidays)
        warning = closure_warning(clock.effective_due, today, closures) if clock.is_active else ""
        actions: list[tuple[str, str]] = []
        if can_manage:
            if clock.status in (ClockStatus.OPEN, ClockStatus.EXTENDED):
                overdue = clock.effective_due < today and not clock.is_informational
                actions = [
                    ("complete", "Mark late" if overdue else "Mark as done"),
                    ("extend", "Extend"),
                    ("pause", "Pause"),
                    ("cancel", "Cancel"),
                ]
            elif clock.status == ClockStatus.PAUSED:
                actions = [("resume", "Restart"), ("cancel", "Cancel")]
        rows.append({"row": row, "warning": warning, "actions": actions})
    return {"template": "clocks/_case_panel.html", "clock_rows": rows, "can_manage_clocks": can_manage}


def key_deadline_row(request: AuthenticatedHttpRequest, case: Case) -> dict[str, Any] | None:
    """The one deadline that matters, for the case page's summary: the soonest running deadline (an
    overdue one is the soonest; while the review waits for the Panel, the reply it expects), before a
    paused one. The rest are on the case's deadlines sub-page."""
    clocks = [c for c in clocks_for_case(case) if c.is_active]
    if not clocks:
        return None

    def rank(clock: Clock) -> tuple[int, Any, int]:
        return (0 if clock.status in RUNNING_STATUSES else 1, clock.effective_due, clock.pk)

    clock = min(clocks, key=rank)
    row = clock_row(clock, timezone.localdate(), holiday_dates())
    return {
        "key": "Deadline",
        "value": f"{clock.get_rule_display()}: {row.due_text}",
        "tag": row.tag_text,
        "tag_class": row.tag_class,
        "hint": row.progress,
        "url": reverse("cases:deadlines", args=[case.reference]),
        "link_text": "All deadlines",
    }
