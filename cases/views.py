"""The case page (a short summary with sub-navigation), its sub-pages, who has seen the case, and
the generic page for workflow steps that record only a note (closing ones need a reason and a
confirmation)."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.http import AuthenticatedHttpRequest
from cases import stage_registry
from cases.forms import TransitionForm
from cases.models import Case, CaseState
from cases.next_step import case_actions
from cases.panels import SUMMARY, case_panels, summary_rows, tab, tabs
from cases.policies import CaseAction, can, get_case_for_user
from cases.selectors import case_list, case_viewers
from cases.stages import stage_text
from cases.steps import has_own_page
from cases.workflow import (
    ConcurrentChange,
    TransitionError,
    case_transition,
    closes_the_case,
    stopped_by_closing,
    transitions,
)
from core.http import serves


@serves("GET")
def case_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    state = request.GET.get("state") or None
    if state not in {s.value for s in stage_registry.states()}:
        state = None
    page = Paginator(case_list(request.user, state=state), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "states": [(s.value, s.label) for s in stage_registry.states()],
            "state": state or "",
            "query": f"state={state}" if state else "",
            "nav": "cases",
        },
    )


@serves("GET")
def case_detail(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = get_case_for_user(
        request.user,
        reference,
        related=stage_registry.case_page_related(),
        annotations=stage_registry.case_page_annotations(),
    )
    if not can(request.user, CaseAction.VIEW_RECORD, case):
        # The referrer hears where their referral is and what was decided, not the whole record.
        return render(
            request,
            "cases/referrer_view.html",
            {"case": case, "stage_text": stage_text(case), "nav": "cases", "CaseState": CaseState},
        )
    context = {
        **_layout(request, case, SUMMARY),
        "stage_text": stage_text(case),
        "actions": case_actions(request.user, case),
        "summary_rows": summary_rows(request, case),
        "panels": _rendered_panels(request, case, SUMMARY),
    }
    return render(request, "cases/detail.html", context)


@serves("GET")
def case_tab(request: AuthenticatedHttpRequest, reference: str, tab_slug: str) -> HttpResponse:
    """One sub-page of the case: the sections registered for it (cases.panels)."""
    page = tab(tab_slug)
    if page is None:
        raise Http404("No such page of the case")
    case = get_case_for_user(request.user, reference, page.action)
    context = {**_layout(request, case, page.slug), "tab": page, "panels": _rendered_panels(request, case, page.slug)}
    return render(request, "cases/tab.html", context)


def _layout(request: AuthenticatedHttpRequest, case: Case, current: str) -> dict[str, Any]:
    """The case's heading and sub-navigation: the sub-pages this person may open."""
    items = [{"label": "Summary", "url": reverse("cases:detail", args=[case.reference]), "current": current == SUMMARY}]
    items += [
        {"label": t.label, "url": reverse(f"cases:{t.slug}", args=[case.reference]), "current": current == t.slug}
        for t in tabs()
        if can(request.user, t.action, case)
    ]
    return {"case": case, "sub_nav": items, "nav": "cases"}


def _rendered_panels(request: AuthenticatedHttpRequest, case: Case, on: str) -> list[str]:
    """Each section the journeys add, rendered with its own context (its keys at the top level,
    and the whole dict as `panel`, so either style of template works)."""
    return [
        render_to_string(panel["template"], {"case": case, "panel": panel, **panel}, request=request)
        for panel in case_panels(request, case, on)
    ]


@serves("GET")
def case_viewers_page(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case = get_case_for_user(request.user, reference, CaseAction.VIEW_VIEWERS)
    return render(request, "cases/viewers.html", {"case": case, "viewers": case_viewers(case), "nav": "cases"})


@serves("GET", "POST")
def case_transition_page(request: AuthenticatedHttpRequest, reference: str, name: str) -> HttpResponse:
    """The generic step page: for workflow steps that record nothing but a note. A step that closes
    the case asks why and for a confirmation, and names the open deadlines it stops."""
    transition = transitions().get(name)
    if transition is None or has_own_page(name):
        raise Http404("No such step")
    case = get_case_for_user(request.user, reference, transition.action)
    closing = closes_the_case(transition)
    form = TransitionForm(request.POST or None, initial={"version": case.version}, transition=transition)
    if request.method == "POST" and form.is_valid():
        try:
            case_transition(
                case=case,
                name=name,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"].strip(),
            )
        except ConcurrentChange as error:
            current = Case.objects.get(pk=case.pk)
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = TransitionForm(data, transition=transition)
            form.is_valid()
            form.add_error(None, str(error))
        except TransitionError as error:
            messages.error(request, str(error))
            return redirect("cases:detail", case.reference)
        else:
            messages.success(request, "The case is closed." if closing else f"{transition.label}: done.")
            return redirect("cases:detail", case.reference)
    context = {
        "case": case,
        "transition": transition,
        "form": form,
        "closing": closing,
        "stopping": stopped_by_closing(case) if closing else [],
        "nav": "cases",
        "CaseState": CaseState,
    }
    return render(request, "cases/transition.html", context)
