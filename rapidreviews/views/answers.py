"""The five short free-text sections of an agency's summary on one page, with one Save.

Nothing about a section changes by being on this page: each has its own version, its own autosave
address and its own clash. A clash on one section shows what is saved now beside the lead's own
text for that section only (its autosave off, its version the saved one), while the others save."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.http import AuthenticatedHttpRequest
from core.http import serves
from rapidreviews.forms.answers import AnswersForm, answer_field, answers_initial
from rapidreviews.models import AgencySummary
from rapidreviews.sections import ONE_PAGE_SECTIONS, Section, section_answers
from rapidreviews.selectors import summary_for_writing
from rapidreviews.services.answers import SectionAnswer, agency_summary_save_sections
from rapidreviews.services.summaries import SummaryStateError, section_version
from rapidreviews.views.common import base_context, load
from rapidreviews.views.items import summary_closed, writable_or_closed


@serves("GET", "POST")
def summary_answers(request: AuthenticatedHttpRequest, reference: str, agency_id: int) -> HttpResponse:
    case, review = load(request, reference)
    agency_summary, own_agency = summary_for_writing(request.user, review, agency_id)
    form = AnswersForm(request.POST or None, initial=answers_initial(agency_summary))
    closed = writable_or_closed(
        request, case, review, agency_summary, own_agency, form if request.method == "POST" else None
    )
    if closed is not None:
        return closed
    clashed: list[Section] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answers = [
            SectionAnswer(
                section=section,
                value=data[answer_field(section)],
                version=data[f"{answer_field(section)}_version"],
                editor=data[f"{answer_field(section)}_editor"],
            )
            for section in ONE_PAGE_SECTIONS
        ]
        try:
            outcome = agency_summary_save_sections(agency_summary=agency_summary, actor=request.user, answers=answers)
        except SummaryStateError:
            return summary_closed(request, case, review, agency_summary, form)
        _say_what_was_saved(request, agency_summary, outcome.saved, clashed=bool(outcome.clashed))
        if not outcome.clashed:
            return redirect("rapidreviews:summary", reference, agency_id)
        clashed = outcome.clashed
        form = _after_clash(request, agency_summary, clashed)
    parts = form.parts()
    for part in parts:
        section = part["section"]
        clash = section in clashed
        part["saved_now"] = section_answers(agency_summary, section) if clash else []
        # After a clash only the Save button replaces what is saved: no autosave behind the person's back.
        part["autosave_url"] = (
            "" if clash else reverse("rapidreviews:summary_section_autosave", args=[reference, agency_id, section.slug])
        )
    return render(
        request,
        "rapidreviews/summary_answers.html",
        base_context(case, review, agency_summary=agency_summary, form=form, parts=parts),
    )


def _after_clash(
    request: AuthenticatedHttpRequest, agency_summary: AgencySummary, clashed: list[Section]
) -> AnswersForm:
    """The lead's own text again, each section carrying the version saved now: the sections just
    saved their new one, the clashed ones the one saved elsewhere, so the next Save replaces it
    knowingly."""
    agency_summary.refresh_from_db()
    data = request.POST.copy()
    for section in ONE_PAGE_SECTIONS:
        data[f"{answer_field(section)}_version"] = str(section_version(agency_summary, section.slug))
    form = AnswersForm(data)
    form.is_valid()
    for section in clashed:
        form.add_error(
            answer_field(section),
            f"{section.title} was changed elsewhere (by someone else, or by you in another tab) while you were "
            "editing it. Your text has not been saved: compare it with what is saved now, then save again to "
            "replace it.",
        )
    return form


def _say_what_was_saved(
    request: AuthenticatedHttpRequest, agency_summary: AgencySummary, saved: list[Section], *, clashed: bool
) -> None:
    """A green banner only for answers really saved; an honest word when nothing was."""
    empty = [s.title for s in ONE_PAGE_SECTIONS if not getattr(agency_summary, answer_field(s))]
    cleared = [s.title for s in saved if s.title in empty]
    written = [s.title for s in saved if s.title not in empty]
    if cleared:
        messages.info(request, f"Cleared: {', '.join(cleared)}. Nothing is entered there now.")
    if written:
        still = f" Still to answer before you send the summary: {', '.join(empty)}." if empty and not clashed else ""
        messages.success(request, f"Saved: {', '.join(written)}.{still}")
    elif saved or clashed:
        return
    elif len(empty) == len(ONE_PAGE_SECTIONS):
        messages.info(request, "Nothing has been entered yet: your summary is unchanged.")
    else:
        messages.info(request, "No changes to save: your answers were already saved.")
