from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from audit.models import Verb
from audit.services import audit_record
from cases.models import CaseState
from cases.policies import CaseAction, can, get_case_for_user
from cases.selectors import case_list, case_timeline, case_viewers


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
    from cases.panels import case_panels

    context = {
        "case": case,
        "documents": case.documents.select_related("uploaded_by").all(),
        "agencies": case.involved_agencies.all(),
        "timeline": case_timeline(case),
        "can_upload": can(request.user, CaseAction.UPLOAD_DOCUMENT, case),
        "can_see_viewers": can(request.user, CaseAction.VIEW_VIEWERS, case),
        "panels": case_panels(request, case),
        "nav": "cases",
    }
    return render(request, "cases/detail.html", context)


def case_viewers_page(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_case_for_user(request.user, reference, CaseAction.VIEW_VIEWERS)
    audit_record(actor=request.user, verb=Verb.VIEW, target=case, case=case, details={"page": "viewers"})
    return render(request, "cases/viewers.html", {"case": case, "viewers": case_viewers(case), "nav": "cases"})
