"""Triage by the safeguarding partners and the LA notifier's record of the notification."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthenticatedHttpRequest
from cases.models import Case, CaseState
from cases.policies import CaseAction, get_case_for_user
from cases.workflow import TransitionError
from clocks.models import Clock, ClockRule
from clocks.services import ClockError
from core.http import serves
from referrals.forms.decide import STALE, SinForm, TriageForm
from referrals.incident_criteria import sudi_but_survived
from referrals.models import Outcome, Referral, TriageDecisionKind, YesNoUnknown
from referrals.selectors import duplicate_warning
from referrals.services.sin import SinAnswers, SinError, sin_record, uncovered_children
from referrals.services.triage import TriageAnswers, triage_record
from referrals.summary import referral_sections


def _referral(case: Case) -> Referral | None:
    return Referral.objects.filter(case=case).select_related("agency", "created_by").first()


def _restale(form_class: Any, request: HttpRequest, case: Case, **kwargs: Any) -> Any:
    """Rebuilds the bound form with the case's current version and the stale-version message."""
    current = Case.objects.get(pk=case.pk)
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, STALE)
    return form


def sos_applicable(referral: Referral | None) -> bool:
    if referral is None or referral.outcome != Outcome.DIED:
        return False
    return any(
        c.looked_after == YesNoUnknown.YES or c.care_leaver == YesNoUnknown.YES for c in referral.children_list()
    )


def a_child_under_18(referral: Referral | None) -> bool:
    """Whether the referral is about a child under 18 at the incident (an unknown age counts as one)."""
    if referral is None:
        return True
    children = referral.children_list()
    return not children or any((age := c.age_on(referral.incident_date)) is None or age < 18 for c in children)


@serves("GET", "POST")
def triage(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = get_case_for_user(request.user, reference, CaseAction.TRIAGE)
    if case.state != CaseState.REFERRED:
        messages.info(request, "The partners have already decided on this referral.")
        return redirect("cases:detail", case.reference)
    referral = _referral(case)
    kwargs: dict[str, Any] = {
        "sos_applicable": sos_applicable(referral),
        "earliest": referral.incident_date if referral else None,
        "a_child_under_18": a_child_under_18(referral),
    }
    form = TriageForm(request.POST or None, initial={"version": case.version}, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answers = TriageAnswers(
            meeting_date=data["meeting_date"],
            attendee_la=data["attendee_la"],
            attendee_icb=data["attendee_icb"],
            attendee_police=data["attendee_police"],
            abuse_or_neglect=data["abuse_or_neglect"],
            death_or_serious_harm=data["death_or_serious_harm"],
            decision=data["decision"],
            rationale=data["rationale"].strip(),
            local_learning_review=data["local_learning_review"],
        )
        try:
            triage_record(case=case, actor=request.user, expected_version=data["version"], answers=answers)
        except TransitionError:
            form = _restale(TriageForm, request, case, **kwargs)
        else:
            messages.success(
                request, "Decision recorded. The referrer and their agency's safeguarding lead have been told."
            )
            return redirect("cases:detail", case.reference)
    return render(
        request,
        "referrals/triage.html",
        {
            "case": case,
            "referral": referral,
            "sections": referral_sections(referral, editable=False) if referral else [],
            "duplicates": duplicate_warning(request.user, referral) if referral else None,
            "sudi_but_survived": referral is not None and sudi_but_survived(referral.outcome, referral.category),
            "form": form,
            "nav": "cases",
        },
    )


def _sin_due(case: Case) -> Any:
    clock = Clock.objects.filter(case=case, rule=ClockRule.SIN).order_by("-id").first()
    return clock.effective_due if clock is not None else None


def _other_home_authorities(case: Case, children: list[Any]) -> list[str]:
    """Children's home authorities other than this partnership's: usually told about the incident."""
    own = case.partnership.local_authority_name.strip().lower()
    names = {c.home_local_authority.strip() for c in children if c.home_local_authority.strip()}
    return sorted(n for n in names if n.lower() != own)


@serves("GET", "POST")
def sin(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = get_case_for_user(request.user, reference, CaseAction.RECORD_SIN)
    referral = _referral(case)
    remaining = uncovered_children(case) if referral is not None else []
    first = case.state == CaseState.TO_NOTIFY
    if referral is None or not remaining or not (first or case.state == CaseState.NOTIFIED):
        messages.info(request, "There is no notification to record on this case now.")
        return redirect("cases:detail", case.reference)
    kwargs: dict[str, Any] = {
        "children": remaining,
        "la_aware_on": referral.la_aware_on,
        "sin_due": _sin_due(case) if first else None,
    }
    initial = {
        "version": case.version,
        "submitted_by": request.user.display_name,
        "children": [str(c.pk) for c in remaining[:4]],
        "other_partnerships": "\n".join(_other_home_authorities(case, remaining)) if first else "",
    }
    form = SinForm(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answers = SinAnswers(
            submitted_at=data["submitted_at"],
            panel_reference=data["panel_reference"].strip(),
            submitted_by=data["submitted_by"].strip(),
            children=form.chosen_children(),
            late_reason=(data.get("late_reason") or "").strip(),
            other_partnerships=[(name, data["other_told_on"]) for name in data["other_names"]],
        )
        try:
            sin_record(case=case, actor=request.user, expected_version=data["version"], answers=answers)
        except TransitionError:
            form = _restale(SinForm, request, case, **kwargs)
        except (SinError, ClockError) as error:
            form.add_error(None, str(error))
        else:
            left = len(remaining) - len(answers.children)
            text = "Notification recorded."
            if left:
                text += f" {left} more {'child needs' if left == 1 else 'children need'} a notification."
            messages.success(request, text)
            return redirect("cases:detail", case.reference)
    return render(
        request,
        "referrals/sin.html",
        {
            "case": case,
            "referral": referral,
            "form": form,
            "first": first,
            "sin_due": kwargs["sin_due"],
            "sos": sos_applicable(referral),
            "TriageDecisionKind": TriageDecisionKind,
            "nav": "cases",
        },
    )
