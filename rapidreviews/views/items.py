"""Writing an agency's summary when something changed under the page: nothing typed is lost.

- A summary sent (in another tab, or by a colleague) while a lead was typing: their text is shown
  back on a page that says so (`summary_closed`), never a bare 403.
- A clash with a save made elsewhere: the page shows what is saved now beside the lead's own text,
  and takes the saved version as its own, so the next Save knowingly replaces it (`conflict_form`).
- An item (chronology entry, key practice episode) removed elsewhere while being changed: the text
  comes back as a new item to add (`item_edit`).
- The same "add" form sent twice (Back, then Save): one item (`client_token`, see services).
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.http import AuthenticatedHttpRequest
from cases.models import Case
from core.http import serves
from rapidreviews.forms.summaries import ChronologyEntryForm, PracticeEpisodeForm
from rapidreviews.models import AgencySummary, ChronologyEntry, PracticeEpisode, RapidReview, SummaryStatus
from rapidreviews.policies import ReviewChecker
from rapidreviews.sections import SECTIONS_BY_SLUG
from rapidreviews.selectors import summary_for
from rapidreviews.services.summaries import (
    SummaryConflict,
    SummaryStateError,
    chronology_entry_save,
    duplicate_add,
    practice_episode_save,
)
from rapidreviews.views.common import base_context, load


def typed_answers(form: forms.Form) -> list[tuple[str, str]]:
    """What the person typed, label by label, as it arrived (valid or not)."""
    rows = []
    for field in form.visible_fields():
        widget_value = field.value()
        if isinstance(widget_value, list | tuple):  # a date's day, month and year
            value = "/".join(str(v) for v in widget_value if v)
        else:
            value = "" if widget_value is None else str(widget_value)
        if value.strip():
            rows.append((str(field.label), value))
    return rows


def summary_closed(
    request: AuthenticatedHttpRequest,
    case: Case,
    review: RapidReview,
    agency_summary: AgencySummary,
    form: forms.Form | None,
    typed: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    """The summary was sent while this lead was writing: say so, and give their text back to copy
    (the form's answers, or `typed` for a page of several forms)."""
    given = typed if typed is not None else typed_answers(form) if form is not None else []
    return render(
        request,
        "rapidreviews/summary_closed.html",
        base_context(case, review, agency_summary=agency_summary, typed=given),
        status=409,
    )


def closed_message(agency_summary: AgencySummary) -> str:
    if agency_summary.status == SummaryStatus.CLOSED:
        return (
            "The request for your agency's summary is closed: the rapid review was sent to the Panel without it, "
            "so it can no longer be changed."
        )
    return "Your agency's summary has been sent, so it can no longer be changed."


def editable_or_closed(
    request: AuthenticatedHttpRequest,
    case: Case,
    review: RapidReview,
    agency_summary: AgencySummary,
    form: forms.Form | None = None,
) -> HttpResponse | None:
    """None when the person may write the summary now. The agency's own lead, once it has been sent,
    gets a page that says so (a POST keeps their text); anyone else 403, as before."""
    checker = ReviewChecker(request.user, case)
    if checker.can_edit_summary(agency_summary):
        return None
    if not checker.leads(agency_summary.request.agency_id):
        raise PermissionDenied("Only the agency's safeguarding lead can change its summary while it is open")
    if request.method == "POST":
        return summary_closed(request, case, review, agency_summary, form)
    messages.info(request, closed_message(agency_summary))
    return redirect("rapidreviews:summary", case.reference, agency_summary.request.agency_id)


def writable_or_closed(
    request: AuthenticatedHttpRequest,
    case: Case,
    review: RapidReview,
    agency_summary: AgencySummary,
    own_agency: bool,
    form: forms.Form | None = None,
    typed: list[tuple[str, str]] | None = None,
) -> HttpResponse | None:
    """As `editable_or_closed`, for a page that already knows whether the person leads the agency
    (`selectors.summary_for_writing`)."""
    if not own_agency:
        raise PermissionDenied("Only the agency's safeguarding lead can change its summary while it is open")
    if agency_summary.is_editable:
        return None
    if request.method == "POST":
        return summary_closed(request, case, review, agency_summary, form, typed=typed)
    messages.info(request, closed_message(agency_summary))
    return redirect("rapidreviews:summary", case.reference, agency_summary.request.agency_id)


def conflict_form[F: forms.Form](form_class: type[F], request: HttpRequest, saved_version: int, **kwargs: Any) -> F:
    """The person's own text, bound again with the version saved now: the message says what
    happened, and the next Save replaces the saved version knowingly."""
    data = request.POST.copy()
    data["version"] = str(saved_version)
    again = form_class(data, **kwargs)
    again.is_valid()
    again.add_error(None, SummaryConflict.message)
    return again


@dataclass(frozen=True)
class ItemKind:
    """A list an agency's summary holds (chronology entries, key practice episodes)."""

    noun: str
    model: type[Any]
    related: str  # the summary's related name for its items
    item_arg: str  # the save service's name for the item ("entry", "episode")
    form_class: type[forms.Form]
    template: str
    url_new: str
    save: Callable[..., Model]
    values: Callable[[dict[str, Any]], dict[str, Any]]  # the form's answers as the save service takes them
    stored: Callable[[dict[str, Any]], dict[str, Any]]  # the save service's arguments as the model stores them
    saved: Callable[[Model], list[tuple[str, str]]]
    done_url: Callable[[str, int], str]


def _entry_saved(entry: Any) -> list[tuple[str, str]]:
    rows = [("Date of the event", f"{entry.date:%-d %B %Y}" + (f" {entry.time:%H:%M}" if entry.time else ""))]
    rows += [("What happened", entry.what_happened), ("Source record", entry.source)]
    return rows + ([("Significance", entry.significance)] if entry.significance else [])


def _episode_saved(episode: Any) -> list[tuple[str, str]]:
    rows = [("Name of the episode", episode.title)]
    if episode.date:
        rows.append(("Date of the episode", f"{episode.date:%-d %B %Y}"))
    return [
        *rows,
        ("What went well", episode.went_well),
        ("What could have been done differently", episode.could_differ),
    ]


ENTRY = ItemKind(
    noun="Chronology entry",
    model=ChronologyEntry,
    related="entries",
    item_arg="entry",
    form_class=ChronologyEntryForm,
    template="rapidreviews/entry_form.html",
    url_new="rapidreviews:entry_new",
    save=chronology_entry_save,
    values=lambda d: {
        "on": d["date"],
        "at": d["time"],
        "what_happened": d["what_happened"],
        "source": d["source"],
        "significance": d["significance"],
    },
    stored=lambda v: {
        "date": v["on"],
        "time": v["at"],
        **{k: v[k] for k in ("what_happened", "source", "significance")},
    },
    saved=_entry_saved,
    done_url=lambda ref, agency: reverse("rapidreviews:summary", args=[ref, agency]),
)
EPISODE = ItemKind(
    noun="Key practice episode",
    model=PracticeEpisode,
    related="episodes",
    item_arg="episode",
    form_class=PracticeEpisodeForm,
    template="rapidreviews/episode_form.html",
    url_new="rapidreviews:episode_new",
    save=practice_episode_save,
    values=lambda d: {
        "title": d["title"],
        "on": d["date"],
        "went_well": d["went_well"],
        "could_differ": d["could_differ"],
    },
    stored=lambda v: {"date": v["on"], **{k: v[k] for k in ("title", "went_well", "could_differ")}},
    saved=_episode_saved,
    done_url=lambda ref, agency: reverse("rapidreviews:summary_section", args=[ref, agency, "practice"]),
)


def item_edit(
    request: AuthenticatedHttpRequest, reference: str, agency_id: int, item_id: int | None, kind: ItemKind
) -> HttpResponse:
    case, review = load(request, reference)
    agency_summary = summary_for(request.user, review, agency_id)
    item = getattr(agency_summary, kind.related).filter(pk=item_id).first() if item_id else None
    if item_id and item is None and request.method != "POST":
        raise Http404("No such item")
    gone = bool(item_id) and item is None  # removed elsewhere while this page was open
    initial = kind.form_class.initial_for(item) if item is not None else {"version": 0}  # type: ignore[attr-defined]
    if item is None:
        initial["token"] = secrets.token_urlsafe(16)
    form = kind.form_class(request.POST or None, initial=initial)
    closed = editable_or_closed(request, case, review, agency_summary, form if request.method == "POST" else None)
    if closed is not None:
        return closed
    saved_now: list[tuple[str, str]] = []
    if gone:
        again = request.POST.copy()
        again["version"], again["token"] = "0", secrets.token_urlsafe(16)
        form = kind.form_class(again)
        form.is_valid()
        form.add_error(
            None,
            f"This {kind.noun.lower()} was removed elsewhere (by someone else, or by you in another tab) while you "
            "were changing it. Your text is below: save it to add it again.",
        )
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token = request.POST.get("token", "")[:40] if item is None else ""
        stored = kind.stored(kind.values(data))
        earlier = duplicate_add(kind.model, agency_summary, token, stored) if item is None else None
        resent = earlier is not None and all(getattr(earlier, k) == v for k, v in stored.items())
        try:
            kind.save(
                agency_summary=agency_summary,
                actor=request.user,
                expected_version=data["version"],
                token=token,
                **{kind.item_arg: item},
                **kind.values(data),
            )
        except SummaryConflict:
            assert item is not None
            current = getattr(agency_summary, kind.related).filter(pk=item.pk).first()
            if current is None:  # removed elsewhere between loading and saving
                return item_edit(request, reference, agency_id, item_id, kind)
            form = conflict_form(kind.form_class, request, current.version)  # type: ignore[attr-defined]
            saved_now = kind.saved(current)
        except SummaryStateError:
            return summary_closed(request, case, review, agency_summary, form)
        else:
            messages.success(
                request,
                f"{kind.noun} saved"
                if not resent
                else f"This {kind.noun.lower()} was saved already: it has not been added twice",
            )
            if "add_another" in request.POST:
                return redirect(kind.url_new, reference, agency_id)
            return redirect(kind.done_url(reference, agency_id))
    context = base_context(
        case,
        review,
        agency_summary=agency_summary,
        form=form,
        section=SECTIONS_BY_SLUG["practice"],
        saved_now=saved_now,
        # Text of an item removed elsewhere is added again as a new one, not sent to its old address.
        form_action=reverse(kind.url_new, args=[reference, agency_id]) if gone else "",
        **{kind.item_arg: item},
    )
    return render(request, kind.template, context)


@serves("GET", "POST")
def entry_edit(
    request: AuthenticatedHttpRequest, reference: str, agency_id: int, entry_id: int | None = None
) -> HttpResponse:
    return item_edit(request, reference, agency_id, entry_id, ENTRY)


@serves("GET", "POST")
def episode_edit(
    request: AuthenticatedHttpRequest, reference: str, agency_id: int, episode_id: int | None = None
) -> HttpResponse:
    return item_edit(request, reference, agency_id, episode_id, EPISODE)
