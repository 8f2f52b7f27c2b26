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
from rapidreviews.forms.summaries import (
    SummaryCheckForm,
    clean_period,
    section_form_class,
    section_initial,
)
from rapidreviews.integrations import summary_deadline
from rapidreviews.models import AgencySummary, SummaryStatus
from rapidreviews.policies import ReviewChecker
from rapidreviews.sections import (
    ONE_PAGE_SECTIONS,
    SECTIONS,
    SECTIONS_BY_SLUG,
    Section,
    TaskStatus,
    missing_sections,
    section_answers,
    section_status,
    summary_answers,
)
from rapidreviews.selectors import (
    SHARED_STATUSES,
    member_labels,
    requests_for,
    summary_for,
    summary_for_writing,
)
from rapidreviews.services.requests import summaries_share
from rapidreviews.services.summaries import (
    SummaryConflict,
    SummaryStateError,
    agency_summary_check,
    agency_summary_save,
    agency_summary_submit,
    chronology_entry_delete,
    section_version,
)
from rapidreviews.views.common import base_context, editable_or_403, load, section_url
from rapidreviews.views.episodes import episodes_page
from rapidreviews.views.items import conflict_form, editable_or_closed, summary_closed


@serves("GET")
def summary_page(request: AuthenticatedHttpRequest, reference: str, agency_id: int) -> HttpResponse:
    case, review = load(request, reference)
    agency_summary, own_agency = summary_for_writing(request.user, review, agency_id)
    prefetch_related_objects([agency_summary], "episodes")
    sections = [
        {"section": s, "status": section_status(agency_summary, s), "url": section_url(reference, agency_id, s)}
        for s in SECTIONS
    ]
    checker = ReviewChecker(request.user, case)  # reads their roles once, for every question below
    context = base_context(
        case,
        review,
        agency_summary=agency_summary,
        sections=sections,
        entries=agency_summary.entries.all(),
        events=agency_summary.events.select_related("actor"),
        can_edit=own_agency and agency_summary.is_editable,
        is_own_agency=own_agency,
        can_review=checker.runs_review and agency_summary.status == SummaryStatus.SUBMITTED,
        deadline=summary_deadline(case, agency_summary),
        answers=summary_answers(agency_summary, episodes=False),
        episodes=agency_summary.episodes.all(),
        is_staff=checker.is_staff,
    )
    return render(request, "rapidreviews/summary.html", context)


@serves("GET", "POST")
def summary_section(request: AuthenticatedHttpRequest, reference: str, agency_id: int, slug: str) -> HttpResponse:
    case, review = load(request, reference)
    agency_summary = summary_for(request.user, review, agency_id)
    section = SECTIONS_BY_SLUG.get(slug)
    if section is None:
        raise Http404("No such section")
    form_class = section_form_class(section)
    form = form_class(request.POST or None, initial=section_initial(agency_summary, section))
    closed = editable_or_closed(request, case, review, agency_summary, form if request.method == "POST" else None)
    if closed is not None:
        return closed
    if section.episodes:
        return episodes_page(request, case, review, agency_summary)
    if section in ONE_PAGE_SECTIONS and request.method != "POST":
        # Written on the one page now; a page of the section left open in a tab still saves here.
        return redirect(section_url(reference, agency_id, section))
    saved_now: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        clean_period(form)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "editor")}
        had_answers = any(getattr(agency_summary, f) for f in section.fields)
        if not had_answers and not any(data.values()):
            # Nothing typed and nothing stored: nothing to save, and no green banner for it.
            messages.info(request, f"Nothing saved: you have not entered anything in {section.title}.")
            return redirect("rapidreviews:summary", reference, agency_id)
        try:
            agency_summary_save(
                agency_summary=agency_summary,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                fields=data,
                section=section.slug,
                editor=form.cleaned_data.get("editor", ""),
            )
        except SummaryConflict:
            agency_summary.refresh_from_db()
            form = conflict_form(form_class, request, section_version(agency_summary, section.slug))
            saved_now = section_answers(agency_summary, section)
        except SummaryStateError:
            return summary_closed(request, case, review, agency_summary, form)
        else:
            status = section_status(agency_summary, section)
            if status == TaskStatus.NOT_STARTED:
                messages.info(request, f"{section.title}: cleared. Nothing is entered in this section now.")
                return redirect("rapidreviews:summary", reference, agency_id)
            messages.success(
                request,
                f"{section.title}: saved"
                if status == TaskStatus.COMPLETED
                else f"{section.title}: saved, but not complete. {_missing_text(agency_summary, section)}",
            )
            return redirect("rapidreviews:summary", reference, agency_id)
    return render(
        request,
        "rapidreviews/summary_section.html",
        base_context(
            case,
            review,
            agency_summary=agency_summary,
            section=section,
            form=form,
            saved_now=saved_now,
            # After a clash only the Save button replaces what is saved: no autosave behind the person's back.
            autosave_url=""
            if saved_now
            else reverse("rapidreviews:summary_section_autosave", args=[reference, agency_id, slug]),
        ),
    )


def _missing_text(agency_summary: AgencySummary, section: Section) -> str:
    """Which answers the section still needs before the summary can be sent."""
    labels = {"period_start": "the start of the period", "period_end": "the end of the period"}
    missing = [labels.get(f, "the summary") for f in section.fields if not getattr(agency_summary, f)]
    return f"Add {' and '.join(missing)} before you send the summary." if missing else ""


@serves("POST")
def summary_section_autosave(
    request: AuthenticatedHttpRequest, reference: str, agency_id: int, slug: str
) -> JsonResponse:
    """Saves the valid answers of a section as the lead types; never reports validation errors.
    Answers back the section's new version, which the page keeps for its next save."""
    _case, review = load(request, reference)
    agency_summary = summary_for(request.user, review, agency_id)
    section = SECTIONS_BY_SLUG.get(slug)
    if section is None or section.episodes:
        raise Http404("No such section")
    checker = ReviewChecker(request.user, _case)
    if not checker.can_edit_summary(agency_summary):
        if checker.leads(agency_summary.request.agency_id):
            return JsonResponse({"saved": False, "reason": "submitted", "message": SENT_MESSAGE}, status=409)
        raise PermissionDenied("Only the agency's safeguarding lead can change its summary while it is open")
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
        agency_summary_save(
            agency_summary=agency_summary,
            actor=request.user,
            expected_version=version,
            fields=fields,
            complete=False,
            section=section.slug,
            editor=form.cleaned_data.get("editor", ""),
        )
    except SummaryConflict:
        message = (
            "Not saved: this part of the summary was changed elsewhere (by someone else or in another tab). "
            "Your text is kept on this page: press Save to see both."
        )
        return JsonResponse({"saved": False, "reason": "conflict", "message": message}, status=409)
    except SummaryStateError:
        return JsonResponse({"saved": False, "reason": "submitted", "message": SENT_MESSAGE}, status=409)
    return JsonResponse({"saved": True, "version": section_version(agency_summary, section.slug)})


SENT_MESSAGE = (
    "Not saved: your agency's summary has been sent, so it can no longer be changed. Your text is kept on this page."
)


@serves("GET", "POST")
def entry_delete(request: AuthenticatedHttpRequest, reference: str, agency_id: int, entry_id: int) -> HttpResponse:
    """GET asks "Are you sure?"; POST removes the entry."""
    case, review = load(request, reference)
    agency_summary = summary_for(request.user, review, agency_id)
    editable_or_403(request, agency_summary)
    entry = get_object_or_404(agency_summary.entries, pk=entry_id)
    if request.method != "POST":
        return render(
            request,
            "rapidreviews/item_delete.html",
            base_context(
                case,
                review,
                agency_summary=agency_summary,
                page_title="Remove a chronology entry",
                question=f"Are you sure you want to remove the entry of {entry.date:%-d %B %Y}?",
                quote=entry.what_happened,
                back_url=reverse("rapidreviews:summary", args=[reference, agency_id]),
                back_text="Back to your summary",
            ),
        )
    try:
        chronology_entry_delete(agency_summary=agency_summary, actor=request.user, entry=entry)
    except SummaryStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Chronology entry removed")
    return redirect("rapidreviews:summary", reference, agency_id)


@serves("GET", "POST")
def summary_submit(request: AuthenticatedHttpRequest, reference: str, agency_id: int) -> HttpResponse:
    case, review = load(request, reference)
    agency_summary = summary_for(request.user, review, agency_id)
    editable_or_403(request, agency_summary)
    prefetch_related_objects([agency_summary], "episodes")
    form = VersionedForm(request.POST or None, initial={"version": agency_summary.version})
    missing = missing_sections(agency_summary) if request.method == "POST" else []
    if request.method == "POST" and form.is_valid() and not missing:
        try:
            agency_summary_submit(
                agency_summary=agency_summary, actor=request.user, expected_version=form.cleaned_data["version"]
            )
        except (SummaryConflict, SummaryStateError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your summary has been submitted to the review coordinator")
            return redirect("rapidreviews:summary", reference, agency_id)
    sections = [
        {
            "section": s,
            "status": section_status(agency_summary, s),
            "answers": section_answers(agency_summary, s),
            "url": section_url(reference, agency_id, s),
        }
        for s in SECTIONS
    ]
    missing_links = [{"section": s, "url": section_url(reference, agency_id, s)} for s in missing]
    return render(
        request,
        "rapidreviews/summary_submit.html",
        base_context(
            case,
            review,
            agency_summary=agency_summary,
            form=form,
            sections=sections,
            missing=missing_links,
            has_errors=missing,
        ),
    )


@serves("GET", "POST")
def summary_check(request: AuthenticatedHttpRequest, reference: str, agency_id: int) -> HttpResponse:
    case, review = load(request, reference, CaseAction.RUN_RAPID_REVIEW)
    agency_summary = summary_for(request.user, review, agency_id)
    if agency_summary.status != SummaryStatus.SUBMITTED:
        # Nothing to accept or send back: say where the summary is instead of a form that cannot work.
        return render(
            request, "rapidreviews/summary_check.html", base_context(case, review, agency_summary=agency_summary)
        )
    form = SummaryCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["outcome"] == "accept"
        try:
            agency_summary_check(
                agency_summary=agency_summary,
                actor=request.user,
                accept=accept,
                comments=form.cleaned_data["comments"],
            )
        except (SummaryConflict, SummaryStateError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Summary accepted" if accept else "Summary sent back to the agency")
            return redirect("rapidreviews:requests", reference)
    return render(
        request, "rapidreviews/summary_check.html", base_context(case, review, agency_summary=agency_summary, form=form)
    )


@serves("GET", "POST")
def share_summaries(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """GET asks first, saying what is shared and with whom; POST shares and tells the members."""
    case, review = load(request, reference, CaseAction.RUN_RAPID_REVIEW)
    requests = list(requests_for(review))
    meeting = getattr(review, "meeting", None)
    if request.method != "POST":
        return render(
            request,
            "rapidreviews/share_summaries.html",
            base_context(
                case,
                review,
                shared=[r for r in requests if r.agency_summary.status in SHARED_STATUSES],
                not_shared=[r for r in requests if r.agency_summary.status not in SHARED_STATUSES],
                members=member_labels(review),
                meeting=meeting,
            ),
        )
    summaries_share(review=review, actor=request.user)
    messages.success(
        request,
        "The submitted summaries are shared"
        + (". Each member of the meeting has been sent a link to the papers." if meeting else "."),
    )
    return redirect("rapidreviews:requests", reference)
