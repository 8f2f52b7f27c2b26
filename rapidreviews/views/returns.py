from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.http import AuthenticatedHttpRequest
from cases.policies import CaseAction
from core.forms import VersionedForm
from core.http import serves
from rapidreviews.forms.returns import (
    ReviewReturnForm,
    clean_period,
    section_form_class,
    section_initial,
)
from rapidreviews.integrations import summary_deadline
from rapidreviews.models import AgencyReturn, ReturnStatus
from rapidreviews.policies import ReviewChecker
from rapidreviews.sections import (
    ONE_PAGE_SECTIONS,
    SECTIONS,
    SECTIONS_BY_SLUG,
    Section,
    TaskStatus,
    missing_sections,
    return_answers,
    section_answers,
    section_status,
)
from rapidreviews.selectors import (
    SHARED_STATUSES,
    member_labels,
    requests_for,
    return_for,
    return_for_writing,
)
from rapidreviews.services.requests import returns_share
from rapidreviews.services.returns import (
    ReturnConflict,
    ReturnStateError,
    agency_return_review,
    agency_return_save,
    agency_return_submit,
    chronology_entry_delete,
    section_version,
)
from rapidreviews.views.common import base_context, editable_or_403, load, section_url
from rapidreviews.views.episodes import episodes_page
from rapidreviews.views.items import conflict_form, editable_or_closed, summary_closed


@serves("GET")
def return_page(request: AuthenticatedHttpRequest, reference: str, agency_id: int) -> HttpResponse:
    case, review = load(request, reference)
    agency_return, own_agency = return_for_writing(request.user, review, agency_id)
    prefetch_related_objects([agency_return], "episodes")
    sections = [
        {"section": s, "status": section_status(agency_return, s), "url": section_url(reference, agency_id, s)}
        for s in SECTIONS
    ]
    checker = ReviewChecker(request.user, case)  # reads their roles once, for every question below
    context = base_context(
        case,
        review,
        agency_return=agency_return,
        sections=sections,
        entries=agency_return.entries.all(),
        events=agency_return.events.select_related("actor"),
        can_edit=own_agency and agency_return.is_editable,
        is_own_agency=own_agency,
        can_review=checker.runs_review and agency_return.status == ReturnStatus.SUBMITTED,
        deadline=summary_deadline(case, agency_return),
        answers=return_answers(agency_return, episodes=False),
        episodes=agency_return.episodes.all(),
        is_staff=checker.is_staff,
    )
    return render(request, "rapidreviews/return.html", context)


@serves("GET", "POST")
def return_section(request: AuthenticatedHttpRequest, reference: str, agency_id: int, slug: str) -> HttpResponse:
    case, review = load(request, reference)
    agency_return = return_for(request.user, review, agency_id)
    section = SECTIONS_BY_SLUG.get(slug)
    if section is None:
        raise Http404("No such section")
    form_class = section_form_class(section)
    form = form_class(request.POST or None, initial=section_initial(agency_return, section))
    closed = editable_or_closed(request, case, review, agency_return, form if request.method == "POST" else None)
    if closed is not None:
        return closed
    if section.episodes:
        return episodes_page(request, case, review, agency_return)
    if section in ONE_PAGE_SECTIONS and request.method != "POST":
        # Written on the one page now; a page of the section left open in a tab still saves here.
        return redirect(section_url(reference, agency_id, section))
    saved_now: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        clean_period(form)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "editor")}
        had_answers = any(getattr(agency_return, f) for f in section.fields)
        if not had_answers and not any(data.values()):
            # Nothing typed and nothing stored: nothing to save, and no green banner for it.
            messages.info(request, f"Nothing saved: you have not entered anything in {section.title}.")
            return redirect("rapidreviews:return", reference, agency_id)
        try:
            agency_return_save(
                agency_return=agency_return,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                fields=data,
                section=section.slug,
                editor=form.cleaned_data.get("editor", ""),
            )
        except ReturnConflict:
            agency_return.refresh_from_db()
            form = conflict_form(form_class, request, section_version(agency_return, section.slug))
            saved_now = section_answers(agency_return, section)
        except ReturnStateError:
            return summary_closed(request, case, review, agency_return, form)
        else:
            status = section_status(agency_return, section)
            if status == TaskStatus.NOT_STARTED:
                messages.info(request, f"{section.title}: cleared. Nothing is entered in this section now.")
                return redirect("rapidreviews:return", reference, agency_id)
            messages.success(
                request,
                f"{section.title}: saved"
                if status == TaskStatus.COMPLETED
                else f"{section.title}: saved, but not complete. {_missing_text(agency_return, section)}",
            )
            return redirect("rapidreviews:return", reference, agency_id)
    return render(
        request,
        "rapidreviews/return_section.html",
        base_context(
            case,
            review,
            agency_return=agency_return,
            section=section,
            form=form,
            saved_now=saved_now,
            # After a clash only the Save button replaces what is saved: no autosave behind the person's back.
            autosave_url=""
            if saved_now
            else reverse("rapidreviews:return_section_autosave", args=[reference, agency_id, slug]),
        ),
    )


def _missing_text(agency_return: AgencyReturn, section: Section) -> str:
    """Which answers the section still needs before the summary can be sent."""
    labels = {"period_start": "the start of the period", "period_end": "the end of the period"}
    missing = [labels.get(f, "the summary") for f in section.fields if not getattr(agency_return, f)]
    return f"Add {' and '.join(missing)} before you send the summary." if missing else ""


@serves("POST")
def return_section_autosave(
    request: AuthenticatedHttpRequest, reference: str, agency_id: int, slug: str
) -> JsonResponse:
    """Saves the valid answers of a section as the lead types; never reports validation errors.
    Answers back the section's new version, which the page keeps for its next save."""
    _case, review = load(request, reference)
    agency_return = return_for(request.user, review, agency_id)
    section = SECTIONS_BY_SLUG.get(slug)
    if section is None or section.episodes:
        raise Http404("No such section")
    checker = ReviewChecker(request.user, _case)
    if not checker.can_edit_return(agency_return):
        if checker.leads(agency_return.request.agency_id):
            return JsonResponse({"saved": False, "reason": "submitted", "message": SENT_MESSAGE}, status=409)
        raise PermissionDenied("Only the agency's safeguarding lead can change its return while it is open")
    form = section_form_class(section)(request.POST)
    form.is_valid()
    version = form.cleaned_data.get("version")
    if version is None:
        return JsonResponse({"saved": False, "reason": "version"}, status=400)
    fields = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "editor") and k not in form.errors}
    start, end = fields.get("period_start"), fields.get("period_end")
    if start and end and end < start:
        fields.pop("period_start"), fields.pop("period_end")
    try:
        agency_return_save(
            agency_return=agency_return,
            actor=request.user,
            expected_version=version,
            fields=fields,
            complete=False,
            section=section.slug,
            editor=form.cleaned_data.get("editor", ""),
        )
    except ReturnConflict:
        message = (
            "Not saved: this part of the summary was changed elsewhere (by someone else or in another tab). "
            "Your text is kept on this page: press Save to see both."
        )
        return JsonResponse({"saved": False, "reason": "conflict", "message": message}, status=409)
    except ReturnStateError:
        return JsonResponse({"saved": False, "reason": "submitted", "message": SENT_MESSAGE}, status=409)
    return JsonResponse({"saved": True, "version": section_version(agency_return, section.slug)})


SENT_MESSAGE = (
    "Not saved: your agency's summary has been sent, so it can no longer be changed. Your text is kept on this page."
)


@serves("GET", "POST")
def entry_delete(request: AuthenticatedHttpRequest, reference: str, agency_id: int, entry_id: int) -> HttpResponse:
    """GET asks "Are you sure?"; POST removes the entry."""
    case, review = load(request, reference)
    agency_return = return_for(request.user, review, agency_id)
    editable_or_403(request, agency_return)
    entry = get_object_or_404(agency_return.entries, pk=entry_id)
    if request.method != "POST":
        return render(
            request,
            "rapidreviews/item_delete.html",
            base_context(
                case,
                review,
                agency_return=agency_return,
                page_title="Remove a chronology entry",
                question=f"Are you sure you want to remove the entry of {entry.date:%-d %B %Y}?",
                quote=entry.what_happened,
                back_url=reverse("rapidreviews:return", args=[reference, agency_id]),
                back_text="Back to your summary",
            ),
        )
    try:
        chronology_entry_delete(agency_return=agency_return, actor=request.user, entry=entry)
    except ReturnStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Chronology entry removed")
    return redirect("rapidreviews:return", reference, agency_id)


@serves("GET", "POST")
def return_submit(request: AuthenticatedHttpRequest, reference: str, agency_id: int) -> HttpResponse:
    case, review = load(request, reference)
    agency_return = return_for(request.user, review, agency_id)
    editable_or_403(request, agency_return)
    prefetch_related_objects([agency_return], "episodes")
    form = VersionedForm(request.POST or None, initial={"version": agency_return.version})
    missing = missing_sections(agency_return) if request.method == "POST" else []
    if request.method == "POST" and form.is_valid() and not missing:
        try:
            agency_return_submit(
                agency_return=agency_return, actor=request.user, expected_version=form.cleaned_data["version"]
            )
        except (ReturnConflict, ReturnStateError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your summary has been submitted to the review coordinator")
            return redirect("rapidreviews:return", reference, agency_id)
    sections = [
        {
            "section": s,
            "status": section_status(agency_return, s),
            "answers": section_answers(agency_return, s),
            "url": section_url(reference, agency_id, s),
        }
        for s in SECTIONS
    ]
    missing_links = [{"section": s, "url": section_url(reference, agency_id, s)} for s in missing]
    return render(
        request,
        "rapidreviews/return_submit.html",
        base_context(
            case,
            review,
            agency_return=agency_return,
            form=form,
            sections=sections,
            missing=missing_links,
            has_errors=missing,
        ),
    )


@serves("GET", "POST")
def return_review(request: AuthenticatedHttpRequest, reference: str, agency_id: int) -> HttpResponse:
    case, review = load(request, reference, CaseAction.RUN_RAPID_REVIEW)
    agency_return = return_for(request.user, review, agency_id)
    if agency_return.status != ReturnStatus.SUBMITTED:
        # Nothing to accept or send back: say where the summary is instead of a form that cannot work.
        return render(
            request, "rapidreviews/return_review.html", base_context(case, review, agency_return=agency_return)
        )
    form = ReviewReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["outcome"] == "accept"
        try:
            agency_return_review(
                agency_return=agency_return,
                actor=request.user,
                accept=accept,
                comments=form.cleaned_data["comments"],
            )
        except (ReturnConflict, ReturnStateError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Summary accepted" if accept else "Summary sent back to the agency")
            return redirect("rapidreviews:requests", reference)
    return render(
        request, "rapidreviews/return_review.html", base_context(case, review, agency_return=agency_return, form=form)
    )


@serves("GET", "POST")
def share_returns(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """GET asks first, saying what is shared and with whom; POST shares and tells the members."""
    case, review = load(request, reference, CaseAction.RUN_RAPID_REVIEW)
    requests = list(requests_for(review))
    meeting = getattr(review, "meeting", None)
    if request.method != "POST":
        return render(
            request,
            "rapidreviews/share_returns.html",
            base_context(
                case,
                review,
                shared=[r for r in requests if r.agency_return.status in SHARED_STATUSES],
                not_shared=[r for r in requests if r.agency_return.status not in SHARED_STATUSES],
                members=member_labels(review),
                meeting=meeting,
            ),
        )
    returns_share(review=review, actor=request.user)
    messages.success(
        request,
        "The submitted summaries are shared"
        + (". Each member of the meeting has been sent a link to the papers." if meeting else "."),
    )
    return redirect("rapidreviews:requests", reference)
