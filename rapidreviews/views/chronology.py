from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthenticatedHttpRequest
from audit.models import Verb
from audit.services import audit_record
from cases.models import Case
from cases.policies import CaseAction, can
from core.http import serves
from rapidreviews.chronology import Chronology, chronology_for
from rapidreviews.exports import chronology_csv, chronology_docx
from rapidreviews.forms.chronology import ChronologyFilterForm
from rapidreviews.forms.duplicates import ChronologyDuplicateForm
from rapidreviews.models import ChronologyDuplicateCheck, ChronologyEntry, DuplicateOutcome, RapidReview
from rapidreviews.selectors import summaries_visible_to
from rapidreviews.services.duplicates import chronology_duplicate_check_record
from rapidreviews.views.common import base_context, load


def _filtered(
    request: AuthenticatedHttpRequest, case: Case, review: RapidReview
) -> tuple[ChronologyFilterForm, Chronology, str]:
    """The filter, the chronology it selects, and the selection in words ('' when everything)."""
    agencies = sorted(
        {(r.request.agency_id, r.request.agency.name) for r in summaries_visible_to(request.user, review)},
        key=lambda a: a[1],
    )
    form = ChronologyFilterForm(request.GET or None, agencies=agencies)
    agency_ids, start, end = None, None, None
    if form.is_bound and form.is_valid():
        agency_ids = [int(a) for a in form.cleaned_data["agency"]] or None
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    parts = []
    if agency_ids and len(agency_ids) < len(agencies):
        parts.append(", ".join(name for pk, name in agencies if pk in agency_ids))
    if start:
        parts.append(f"from {start:%-d %B %Y}")
    if end:
        parts.append(f"to {end:%-d %B %Y}")
    return form, chronology_for(request.user, review, agency_ids=agency_ids, start=start, end=end), " ".join(parts)


@serves("GET")
def chronology_page(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case, review = load(request, reference, CaseAction.VIEW_RECORD)
    form, chronology, selection = _filtered(request, case, review)
    query = request.GET.urlencode()
    return render(
        request,
        "rapidreviews/chronology.html",
        base_context(
            case,
            review,
            filter_form=form,
            chronology=chronology,
            query=query,
            selection=selection,
            not_shared_yet=review.summaries_shared_at is None
            and not can(request.user, CaseAction.RUN_RAPID_REVIEW, case),
            can_check_duplicates=can(request.user, CaseAction.RUN_RAPID_REVIEW, case),
        ),
    )


@serves("GET")
def chronology_download(request: AuthenticatedHttpRequest, reference: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "docx"):
        raise Http404("No such format")
    case, review = load(request, reference, CaseAction.VIEW_RECORD)
    _form, chronology, selection = _filtered(request, case, review)
    title = f"Merged chronology, {case.reference}"
    if fmt == "csv":
        data, content_type = chronology_csv(chronology), "text/csv; charset=utf-8"
    else:
        data = chronology_docx(chronology, title, selection=selection, author=case.partnership.name)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    audit_record(
        actor=request.user,
        verb=Verb.EXPORT,
        target=review,
        case=case,
        details={
            "summary": f"Merged chronology exported as {fmt.upper()}" + (f" ({selection})" if selection else ""),
            "entries": len(chronology.rows),
        },
    )
    response = HttpResponse(data, content_type=content_type)
    name = f"chronology-{case.reference}{'-filtered' if selection else ''}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@serves("GET", "POST")
def chronology_duplicate(request: AuthenticatedHttpRequest, reference: str, first: int, second: int) -> HttpResponse:
    """The coordinator says whether two entries marked as a possible duplicate are the same event."""
    case, review = load(request, reference, CaseAction.RUN_RAPID_REVIEW)
    entries = list(
        ChronologyEntry.objects.filter(agency_summary__request__review=review, pk__in=[first, second]).select_related(
            "agency_summary__request__agency"
        )
    )
    if first == second or len(entries) != 2:
        raise Http404("No such pair of entries")
    a, b = sorted(entries, key=lambda e: e.pk)
    existing = ChronologyDuplicateCheck.objects.filter(first=a, second=b).select_related("decided_by").first()
    initial = {"outcome": existing.outcome, "reason": existing.reason} if existing else {}
    form = ChronologyDuplicateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        check = chronology_duplicate_check_record(
            review=review,
            entries=(a, b),
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            request,
            "Recorded: the same event, recorded by both agencies."
            if check.outcome == DuplicateOutcome.SAME
            else "Recorded: different events. The possible duplicate mark is removed.",
        )
        return redirect("rapidreviews:chronology", reference)
    return render(
        request,
        "rapidreviews/chronology_duplicate.html",
        base_context(case, review, entries=(a, b), existing=existing, form=form),
    )
