"""The terms of reference's pages: read them (and approve them, for a partner), draft them (the
coordinator or the reviewer), send them for approval or agree them, generate them as documents,
and the partnership's list of methodologies. Each reaches the case through the one door and the
review's checker (localreviews/views._load): 404 for a person who may not read the review."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.http import AuthenticatedHttpRequest
from core.http import serves
from documents.models import Document
from localreviews.plan import Requirement, requires
from localreviews.policies import methodologies_kept_by
from localreviews.terms_documents import FORMATS, TOPIC, terms_document_generate
from localreviews.terms_forms import MethodologyForm, TermsApprovalForm, TermsForm, TermsStepForm
from localreviews.terms_models import Methodology, TermsApproval, TermsDecision, TermsOfReference, TermsStatus
from localreviews.terms_services import (
    TermsContent,
    TermsError,
    approval_role,
    methodologies_for,
    methodology_add,
    methodology_retire,
    terms_approval_record,
    terms_of,
    terms_save,
    terms_step,
)
from localreviews.terms_state import ApprovalState, approval_state, missing_parts
from localreviews.views import _load
from partnerships.models import Agency

RELATED = ("local_review", "local_review__terms", "local_review__terms__methodology")


def _terms_with_items(terms: TermsOfReference | None, approvals: bool = True) -> TermsOfReference | None:
    """The terms with their agencies, processes and (for a page that shows them) approvals, one
    query each."""
    if terms is None:
        return None
    lookups: list[str | Prefetch[Any]] = ["agencies", "parallel_processes"]
    if approvals:
        lookups.append(Prefetch("approvals", queryset=TermsApproval.objects.select_related("actor")))
    prefetch_related_objects([terms], *lookups)
    return terms


@serves("GET", "POST")
def terms(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The terms as they stand, where approval is, and a partner's approval form."""
    case, review, checker = _load(request, reference, related=RELATED)
    current = _terms_with_items(terms_of(review))
    by_partners = requires(review.kind, Requirement.TERMS_BY_PARTNERS)
    role = approval_role(request.user, current) if current is not None and by_partners else None
    form = TermsApprovalForm(request.POST or None) if role is not None else None
    if request.method == "POST":
        if form is None or current is None:
            raise PermissionDenied("Only the safeguarding partners' delegates approve the terms of reference")
        if form.is_valid():
            try:
                terms_approval_record(
                    terms=current,
                    actor=request.user,
                    decision=TermsDecision(form.cleaned_data["decision"]),
                    comments=form.cleaned_data["comments"],
                )
            except TermsError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Recorded: {TermsDecision(form.cleaned_data['decision']).label.lower()}")
                return redirect("localreviews:terms", reference)
    state = approval_state(current) if current is not None else None
    mine = state.latest.get(role) if state is not None and role is not None else None
    drafter = checker.may_run or checker.is_reviewer
    awaiting = current is not None and current.status == TermsStatus.AWAITING_APPROVAL
    show_form = form is not None and (awaiting or bool(form.errors))
    documents = list(Document.objects.filter(case=case, topic=TOPIC).select_related("uploaded_by")) if current else []
    return render(
        request,
        "localreviews/terms.html",
        {
            "case": case,
            "review": review,
            "terms": current,
            "by_partners": by_partners,
            "partners": [{"role": r.label, "step": step} for r, step in (state or ApprovalState(steps=[])).by_partner],
            "state": state,
            "missing": missing_parts(current) if current is not None else [],
            "drafter": drafter,
            "may_send": drafter and by_partners and current is not None and current.status == TermsStatus.DRAFT,
            "may_agree": checker.may_run
            and not by_partners
            and current is not None
            and current.status == TermsStatus.DRAFT,
            "form": form if show_form else None,
            "approved_mine": mine if mine is not None and mine.decision == TermsDecision.APPROVED else None,
            "step_form": TermsStepForm(initial={"version": current.version}) if current is not None else None,
            "documents": documents,
            "may_generate": checker.may_generate_terms,
            "TermsStatus": TermsStatus,
            "nav": "cases",
        },
    )


def _initial(current: TermsOfReference | None) -> dict[str, Any]:
    if current is None:
        return {"version": 0}
    initial: dict[str, Any] = {
        "version": current.version,
        "period_start": current.period_start,
        "period_end": current.period_end,
        "agencies": [str(a.pk) for a in current.agencies.all()],
        "methodology": str(current.methodology_id or ""),
        "methodology_notes": current.methodology_notes,
        "family_engagement": current.family_engagement,
        "timetable": current.timetable,
        "governance": current.governance,
    }
    for i, line in enumerate(current.lines, start=1):
        initial[f"line_{i}"] = line
    for i, p in enumerate(current.parallel_processes.all(), start=1):
        initial.update(
            {
                f"pp{i}_kind": p.kind,
                f"pp{i}_status": p.status,
                f"pp{i}_next_date": p.next_date,
                f"pp{i}_expected_end": p.expected_end,
                f"pp{i}_notes": p.notes,
            }
        )
    return initial


@serves("GET", "POST")
def terms_edit(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The coordinator or the reviewer drafts the terms. A stale version brings the page back with
    what was typed and says so; a change to terms awaiting approval or approved starts approval again."""
    case, review, checker = _load(request, reference, related=RELATED)
    if not (checker.may_run or checker.is_reviewer):
        raise PermissionDenied("Only the coordinator or the reviewer drafts the terms of reference")
    current = _terms_with_items(terms_of(review), approvals=False)
    chosen = {current.methodology_id} if current is not None and current.methodology_id else set()
    methodologies = [(m.pk, m.name) for m in methodologies_for(case.partnership) if m.active or m.pk in chosen]
    in_scope = {a.pk for a in current.agencies.all()} if current is not None else set()
    agencies = [
        (a.pk, a.name)
        for a in Agency.objects.filter(partnership_id=case.partnership_id).order_by("name")
        if a.active or a.pk in in_scope
    ]
    form = TermsForm(
        request.POST or None,
        initial=_initial(current),
        agencies=agencies,
        methodologies=methodologies,
        lines=len(current.lines) if current is not None else 0,
        parallel=len(current.parallel_processes.all()) if current is not None else 0,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content = TermsContent(
            period_start=data["period_start"],
            period_end=data["period_end"],
            agency_ids=[int(pk) for pk in data["agencies"]],
            lines=form.lines(),
            methodology_id=int(data["methodology"]) if data["methodology"] else None,
            methodology_notes=data["methodology_notes"],
            family_engagement=data["family_engagement"],
            timetable=data["timetable"],
            governance=data["governance"],
            parallel=form.parallel(),
        )
        try:
            saved = terms_save(review=review, actor=request.user, content=content, expected_version=data["version"])
        except TermsError as error:
            form.add_error(None, str(error))
        else:
            was = current.status if current is not None else TermsStatus.DRAFT
            if was != TermsStatus.DRAFT and saved.status == TermsStatus.AWAITING_APPROVAL:
                messages.success(request, "Saved. The terms changed, so the partners' approval starts again.")
            elif was == TermsStatus.APPROVED:
                messages.success(request, "Saved. The terms changed, so they are a draft to agree again.")
            else:
                messages.success(request, "The terms of reference are saved.")
            return redirect("localreviews:terms", reference)
    return render(
        request,
        "localreviews/terms_edit.html",
        {
            "case": case,
            "review": review,
            "terms": current,
            "form": form,
            "may_keep_list": checker.may_run,
            "TermsStatus": TermsStatus,
            "nav": "cases",
        },
    )


@serves("POST")
def terms_step_view(request: AuthenticatedHttpRequest, reference: str, step: str) -> HttpResponse:
    """Send the terms to the partners (LCSPR) or agree them (alternative review)."""
    _case, review, checker = _load(request, reference, related=RELATED)
    current = terms_of(review)
    if current is None or not (checker.may_run or checker.is_reviewer):
        raise PermissionDenied("Only the coordinator or the reviewer sends the terms of reference")
    names = {"send": "terms_send", "agree": "terms_agree"}
    if step not in names:
        raise Http404("No such step")
    form = TermsStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Someone else changed the terms of reference. Check them and try again.")
        return redirect("localreviews:terms", reference)
    try:
        terms_step(terms=current, actor=request.user, step=names[step], expected_version=form.cleaned_data["version"])
    except TermsError as error:
        messages.error(request, str(error))
    except PermissionDenied:
        raise
    else:
        messages.success(
            request,
            "Sent to the three safeguarding partners for approval."
            if step == "send"
            else "The terms of reference are agreed.",
        )
    return redirect("localreviews:terms", reference)


@serves("POST")
def terms_document(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """A new DOCX or tagged PDF of the terms as they stand, kept on the case."""
    _case, review, checker = _load(request, reference, related=RELATED)
    current = _terms_with_items(terms_of(review))
    if current is None:
        raise Http404("No terms of reference yet")
    if not checker.may_generate_terms:
        raise PermissionDenied("Only the coordinator, the reviewer and the partners generate the terms")
    fmt = request.POST.get("format", "")
    if fmt in FORMATS:
        document = terms_document_generate(terms=current, actor=request.user, fmt=fmt)
        messages.success(request, f"Generated: {document.title}")
    return redirect("localreviews:terms", reference)


@serves("GET", "POST")
def methodologies(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The partnership's list of review methodologies: add one, retire one."""
    partnership = methodologies_kept_by(request.user)
    form = MethodologyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = methodology_add(partnership=partnership, actor=request.user, name=form.cleaned_data["name"])
        except TermsError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"Added {added.name} to the list.")
            return redirect("localreviews:methodologies")
    return render(
        request,
        "localreviews/methodologies.html",
        {"partnership": partnership, "methodologies": methodologies_for(partnership), "form": form, "nav": "home"},
    )


@serves("POST")
def methodology_retire_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = methodologies_kept_by(request.user)
    methodology = get_object_or_404(Methodology, pk=pk, partnership=partnership)
    if methodology.active:
        methodology_retire(methodology=methodology, actor=request.user)
    messages.success(request, f"{methodology.name} is no longer offered. Terms that chose it keep it.")
    return redirect("localreviews:methodologies")
