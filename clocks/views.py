"""Thin views: the "what's due" page, clock actions on a case, and the two calendars."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from cases.policies import CaseAction, get_case_for_user
from clocks import forms as clock_forms
from clocks.calendar import (
    SETTINGS_FIELDS,
    CalendarError,
    bank_holiday_add,
    bank_holiday_remove,
    clock_settings_update,
    closure_day_add,
    closure_day_remove,
    holiday_dates,
    settings_for,
)
from clocks.models import BankHoliday, Clock, ClosureDay
from clocks.policies import DueChecker, partnership_kept_by, require_bank_holiday_keeper
from clocks.selectors import DueGroup, clock_row, due_counts, due_for_user
from clocks.services import ClockError, clock_cancel, clock_extend, clock_meet, clock_pause, clock_resume
from core.http import serves

PER_PAGE = 25


class KnownCountPaginator(Paginator):
    """A paginator told its count (from the group counts already fetched), saving a COUNT query."""

    def __init__(self, object_list: Any, per_page: int, *, known: int) -> None:
        super().__init__(object_list, per_page)
        self._known = known

    @property
    def count(self) -> int:
        return self._known


@serves("GET")
def due_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = clock_forms.DueFilterForm(request.GET or None)
    group = rule = None
    mine = False
    if form.is_bound and form.is_valid():
        group = form.cleaned_data["group"] or None
        rule = form.cleaned_data["rule"] or None
        mine = bool(form.cleaned_data["mine"])
    counts = due_counts(request.user, today=today, rule=rule, own=mine)
    clocks = due_for_user(request.user, today=today, group=group, rule=rule, own=mine)
    paginator = KnownCountPaginator(clocks, PER_PAGE, known=counts[group] if group else sum(counts.values()))
    page = paginator.get_page(request.GET.get("page"))
    holidays = holiday_dates()
    rows = [clock_row(clock, today, holidays) for clock in page.object_list]
    query = urlencode({k: v for k, v in (("group", group), ("rule", rule), ("mine", "on" if mine else None)) if v})
    return render(
        request,
        "clocks/due.html",
        {
            "filter_form": form,
            "page": page,
            "page_links": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
            "rows": rows,
            "counts": [(g, DueGroup.LABELS[g], counts[g]) for g in DueGroup.ORDER],
            "group": group or "",
            "query": query,
            "is_coordinator": DueChecker(request.user).is_coordinator,
            "nav": "home",
        },
    )


ACTIONS: dict[str, dict[str, Any]] = {
    "extend": {"form": clock_forms.ExtendForm, "title": "Extend the deadline", "button": "Extend the deadline"},
    "pause": {"form": clock_forms.PauseForm, "title": "Pause the deadline", "button": "Pause the deadline"},
    "resume": {"form": clock_forms.ResumeForm, "title": "Restart the deadline", "button": "Restart the deadline"},
    "complete": {"form": clock_forms.CompleteForm, "title": "Record it as done", "button": "Save"},
    "cancel": {"form": clock_forms.CancelForm, "title": "Cancel the deadline", "button": "Cancel the deadline"},
}


def _form_kwargs(action: str, clock: Clock) -> dict[str, Any]:
    if action == "extend":
        return {"current_due": clock.effective_due}
    if action == "resume":
        return {"paused_on": clock.paused_on}
    if action == "complete":
        return {"due": clock.effective_due, "start": clock.start_date, "informational": clock.is_informational}
    return {}


def _apply(action: str, clock: Clock, data: dict[str, Any], user: User, version: int) -> Clock:
    if action == "extend":
        return clock_extend(
            clock=clock,
            new_due=data["new_due"],
            reason=data["reason"],
            agreed_by=data["agreed_by"],
            actor=user,
            version=version,
        )
    if action == "pause":
        return clock_pause(clock=clock, on=data["on"], reason=data["reason"], actor=user, version=version)
    if action == "resume":
        return clock_resume(clock=clock, on=data["on"], actor=user, version=version)
    if action == "cancel":
        return clock_cancel(clock=clock, reason=data["reason"], actor=user, version=version)
    if clock.version != version:
        raise ClockError("Someone else changed this deadline while you were looking at it. Check it and try again")
    return clock_meet(
        case=clock.case, rule=clock.rule, on=data["on"], actor=user, late_reason=data.get("late_reason", "")
    )


@serves("GET", "POST")
def clock_change(request: AuthenticatedHttpRequest, reference: str, pk: int, action: str) -> HttpResponse:
    case = get_case_for_user(request.user, reference, CaseAction.MANAGE_CLOCKS)
    if action not in ACTIONS:
        raise Http404("No such action")
    clock = get_object_or_404(Clock.objects.select_related("case"), pk=pk, case=case)
    spec = ACTIONS[action]
    form = spec["form"](request.POST if request.method == "POST" else None, **_form_kwargs(action, clock))
    if request.method == "POST" and form.is_valid():
        try:
            version = int(request.POST.get("version", clock.version))
        except ValueError:
            version = -1
        try:
            _apply(action, clock, form.cleaned_data, request.user, version)
        except ClockError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{clock.get_rule_display()}: saved.")
            return redirect("cases:deadlines", case.reference)
    today = timezone.localdate()
    return render(
        request,
        "clocks/change.html",
        {
            "form": form,
            "case": case,
            "clock": clock,
            "row": clock_row(clock, today, holiday_dates()),
            "title": spec["title"],
            "button": spec["button"],
            "nav": "cases",
        },
    )


@serves("GET", "POST")
def bank_holidays(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_bank_holiday_keeper(request.user)
    form = clock_forms.BankHolidayForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            holiday = bank_holiday_add(day=form.cleaned_data["day"], name=form.cleaned_data["name"], actor=request.user)
        except CalendarError as error:
            form.add_error("day", str(error))
        else:
            messages.success(request, f"Added {holiday}. Open deadlines have been recalculated.")
            return redirect("clocks:bank_holidays")
    year = timezone.localdate().year
    upcoming = BankHoliday.objects.filter(date__year__gte=year, date__year__lte=year + 2)
    return render(request, "clocks/bank_holidays.html", {"form": form, "holidays": upcoming, "nav": "home"})


@serves("GET", "POST")
def bank_holiday_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_bank_holiday_keeper(request.user)
    holiday = get_object_or_404(BankHoliday, pk=pk)
    if request.method == "POST":
        bank_holiday_remove(holiday=holiday, actor=request.user)
        messages.success(request, f"Removed {holiday}. Open deadlines have been recalculated.")
        return redirect("clocks:bank_holidays")
    return render(request, "clocks/bank_holiday_remove.html", {"holiday": holiday, "nav": "home"})


@serves("GET", "POST")
def closure_days(request: AuthenticatedHttpRequest) -> HttpResponse:
    partnership = partnership_kept_by(request.user)
    form = clock_forms.ClosureDayForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            closure = closure_day_add(
                partnership=partnership,
                day=form.cleaned_data["day"],
                name=form.cleaned_data["name"],
                actor=request.user,
            )
        except CalendarError as error:
            form.add_error("day", str(error))
        else:
            messages.success(request, f"Added closure day {closure}.")
            return redirect("clocks:closure_days")
    days = ClosureDay.objects.filter(partnership=partnership, date__gte=timezone.localdate())
    return render(
        request, "clocks/closure_days.html", {"form": form, "partnership": partnership, "days": days, "nav": "home"}
    )


@serves("GET", "POST")
def closure_day_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = partnership_kept_by(request.user)
    closure = get_object_or_404(ClosureDay, pk=pk, partnership=partnership)
    if request.method == "POST":
        closure_day_remove(closure=closure, actor=request.user)
        messages.success(request, f"Removed closure day {closure}.")
        return redirect("clocks:closure_days")
    return render(request, "clocks/closure_day_remove.html", {"closure": closure, "nav": "home"})


@serves("GET", "POST")
def clock_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    partnership = partnership_kept_by(request.user)
    current = settings_for(partnership.pk)
    initial = {f: getattr(current, f) for f in SETTINGS_FIELDS}
    initial["reminder_offsets"] = ", ".join(str(o) for o in current.reminder_offsets)
    form = clock_forms.ClockSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        clock_settings_update(partnership=partnership, actor=request.user, **form.cleaned_data)
        messages.success(request, "Deadline settings saved. Open deadlines have been recalculated.")
        return redirect("clocks:settings")
    return render(request, "clocks/settings.html", {"form": form, "partnership": partnership, "nav": "home"})
