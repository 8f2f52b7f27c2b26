from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from audit.models import Verb
from audit.services import audit_record
from cases.actions import has_own_page, transition_links
from cases.forms import TransitionForm
from cases.models import Case, CaseState
from cases.policies import CaseAction, can, get_case_for_user
from cases.selectors import case_list, case_people, case_viewers
from cases.stages import stage_text
from cases.timeline import case_timeline
from cases.workflow import TRANSITIONS, ConcurrentChange, TransitionError, case_transition
from documents.access import documents_visible_to


def case_index(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state") or None
    if state not in CaseState.values:
        state = None
    page = Paginator(case_list(request.user, state=state), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "states": CaseState.choices,
            "state": state or "",
            "query": f"state={state}" if state else "",
            "nav": "cases",
        },
    )


def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_case_for_user(request.user, reference)
    audit_record(actor=request.user, verb=Verb.VIEW, target=case, case=case, details={"page": "case"})
    if not can(request.user, CaseAction.VIEW_RECORD, case):
        # The referrer hears where their referral is and what was decided, not the whole record.
        return render(
            request, "cases/referrer_view.html", {"case": case, "stage_text": stage_text(case), "nav": "cases"}
        )
    context = {
        "case": case,
        "documents": documents_visible_to(request.user, case).select_related("uploaded_by"),
        "agencies": case.involved_agencies.all(),
        "people": case_people(case),
        "stage_text": stage_text(case),
        "actions": transition_links(request.user, case),
        **_latest_events(request, case),
        "can_upload": can(request.user, CaseAction.UPLOAD_DOCUMENT, case),
        "can_see_viewers": can(request.user, CaseAction.VIEW_VIEWERS, case),
        "panels": _rendered_panels(request, case),
        "nav": "cases",
    }
    return render(request, "cases/detail.html", context)


CASE_PAGE_EVENTS = 20
HISTORY_PAGE_EVENTS = 50


def _events(request: HttpRequest, case: Case) -> list[Any]:
    return case_timeline(case, user=request.user, include_messages=can(request.user, CaseAction.VIEW_VIEWERS, case))


def _latest_events(request: HttpRequest, case: Case) -> dict[str, Any]:
    events = _events(request, case)
    return {
        "timeline": events[:CASE_PAGE_EVENTS],
        "more_events": len(events) > CASE_PAGE_EVENTS,
        "event_count": len(events),
    }


def case_history(request: HttpRequest, reference: str) -> HttpResponse:
    """Everything that has happened on the case, newest first, a page at a time."""
    case = get_case_for_user(request.user, reference, CaseAction.VIEW_RECORD)
    audit_record(actor=request.user, verb=Verb.VIEW, target=case, case=case, details={"page": "history"})
    page = Paginator(_events(request, case), HISTORY_PAGE_EVENTS).get_page(request.GET.get("page"))
    return render(request, "cases/history.html", {"case": case, "page": page, "nav": "cases"})


def _rendered_panels(request: HttpRequest, case: Case) -> list[str]:
    """Each section other journeys add, rendered with its own context (its keys at the top level,
    and the whole dict as `panel`, so either style of template works)."""
    from cases.panels import case_panels

    return [
        render_to_string(panel["template"], {"case": case, "panel": panel, **panel}, request=request)
        for panel in case_panels(request, case)
    ]


def case_viewers_page(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_case_for_user(request.user, reference, CaseAction.VIEW_VIEWERS)
    audit_record(actor=request.user, verb=Verb.VIEW, target=case, case=case, details={"page": "viewers"})
    return render(request, "cases/viewers.html", {"case": case, "viewers": case_viewers(case), "nav": "cases"})


def case_transition_page(request: HttpRequest, reference: str, name: str) -> HttpResponse:
    """The generic step page: for workflow steps that record nothing but a note."""
    transition = TRANSITIONS.get(name)
    if transition is None or has_own_page(name):
        raise Http404("No such step")
    case = get_case_for_user(request.user, reference, transition.action)
    form = TransitionForm(request.POST or None, initial={"version": case.version})
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
            form = TransitionForm(data)
            form.is_valid()
            form.add_error(None, str(error))
        except TransitionError as error:
            messages.error(request, str(error))
            return redirect("cases:detail", case.reference)
        else:
            messages.success(request, f"{transition.label}: done.")
            return redirect("cases:detail", case.reference)
    return render(
        request, "cases/transition.html", {"case": case, "transition": transition, "form": form, "nav": "cases"}
    )
