"""The report's pages: the report by section (and its working draft, for every reader of the
review), a section's own page (written by the reviewer or the coordinator, autosaved as they type
with the draft's version check), keeping the draft as a version, uploading a Word draft, reading a
kept version, comparing two, and the findings and recommendations. Each page reaches the case
through the one door (localreviews/views._load, so every read is audited): 404 for a person who
may not read the review, 403 for a reader who may not write."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.http import AuthenticatedHttpRequest
from core.http import serves
from localreviews.policies import LocalReviewChecker
from localreviews.report_forms import CompareForm, FromVersionForm, ItemForm, KeepForm, SectionForm, UploadForm
from localreviews.report_models import ReportDraft, ReportItem, ReportSection, ReportVersion
from localreviews.report_services import (
    ItemContent,
    ReportClash,
    ReportError,
    compare,
    draft_from_version,
    draft_of,
    item_add,
    item_move,
    item_remove,
    item_save,
    section_save,
    section_states,
    version_keep,
    version_upload,
)
from localreviews.views import _load
from partnerships.models import Agency

RELATED = ("local_review", "local_review__report_draft", "local_review__report_draft__updated_by")


def _writer_or_403(checker: LocalReviewChecker) -> None:
    if not checker.may_write_report:
        raise PermissionDenied("Only the reviewer and the review coordinator write the report")


def _section(slug: str) -> ReportSection:
    try:
        return ReportSection(slug)
    except ValueError:
        raise Http404("No such section") from None


def _versions(review_id: int) -> list[ReportVersion]:
    return list(
        ReportVersion.objects.filter(review_id=review_id).select_related("created_by", "document").order_by("number")
    )


def _draft_version(draft: ReportDraft | None) -> int:
    return draft.version if draft is not None else 0


@serves("GET")
def report(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The report by section with where each stands, the kept versions (compare any two), and the
    working draft as it stands."""
    case, review, checker = _load(request, reference, related=RELATED)
    draft = draft_of(review)
    versions = _versions(review.pk)
    latest = versions[-1] if versions else None
    items = list(ReportItem.objects.filter(review=review).prefetch_related("agencies"))
    numbers = [v.number for v in versions]
    compare_form = CompareForm(
        initial={"earlier": numbers[-2] if len(numbers) > 1 else None, "later": latest.number if latest else None},
        numbers=numbers,
    )
    return render(
        request,
        "localreviews/report.html",
        {
            "case": case,
            "review": review,
            "draft": draft,
            "states": section_states(draft, latest),
            "versions": list(reversed(versions)),
            "latest": latest,
            "writer": checker.may_write_report,
            "keep_form": KeepForm(initial={"version": _draft_version(draft)}),
            "compare_form": compare_form if len(numbers) > 1 else None,
            "findings": [i for i in items if i.kind == ReportItem.Kind.FINDING],
            "recommendations": [i for i in items if i.kind == ReportItem.Kind.RECOMMENDATION],
            "nav": "cases",
        },
    )


@serves("GET", "POST")
def section(request: AuthenticatedHttpRequest, reference: str, slug: str) -> HttpResponse:
    """One section, written in a text box. A save since the page was opened (someone else's, or
    another tab's) brings the page back with the person's text beside what is saved now, and turns
    autosave off so only their own Save replaces it."""
    case, review, checker = _load(request, reference, related=RELATED)
    _writer_or_403(checker)
    chosen = _section(slug)
    draft = draft_of(review)
    saved_text = (draft.sections or {}).get(chosen.value, "") if draft is not None else ""
    form = SectionForm(
        request.POST if request.method == "POST" else None,
        initial={"version": _draft_version(draft), "text": saved_text},
    )
    clash = False
    if request.method == "POST" and form.is_valid():
        try:
            section_save(
                review=review,
                actor=request.user,
                section=chosen,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
                autosave=False,
            )
        except ReportClash as error:
            draft = ReportDraft.objects.filter(review=review).first()
            saved_text = (draft.sections or {}).get(chosen.value, "") if draft is not None else ""
            data = request.POST.copy()
            data["version"] = str(_draft_version(draft))
            form = SectionForm(data)
            form.is_valid()
            form.add_error(None, str(error))
            clash = True
        except ReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{chosen.label}: saved")
            return redirect("localreviews:report", reference)
    elif request.method == "POST":
        clash = bool(form.non_field_errors())
    return render(
        request,
        "localreviews/report_section.html",
        {
            "case": case,
            "review": review,
            "section": chosen,
            "form": form,
            "saved_now": saved_text if clash else None,
            "clash": clash,
            "autosave_url": "" if clash else reverse("localreviews:report_autosave", args=[reference, chosen.value]),
            "nav": "cases",
        },
    )


@serves("POST")
def section_autosave(request: AuthenticatedHttpRequest, reference: str, slug: str) -> JsonResponse:
    """Saves a section as it is typed (frontend/js/app.js: a form marked data-autosave-url);
    answers the draft's new version, which the page keeps for its next save."""
    _case, review, checker = _load(request, reference, related=RELATED)
    _writer_or_403(checker)
    chosen = _section(slug)
    form = SectionForm(request.POST)
    if not form.is_valid():
        if "version" in request.POST and form.non_field_errors():
            return JsonResponse({"saved": False, "reason": "version"}, status=400)
        return JsonResponse({"saved": False, "reason": "invalid", "message": _first_error(form)}, status=400)
    try:
        draft = section_save(
            review=review,
            actor=request.user,
            section=chosen,
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["version"],
            autosave=True,
        )
    except ReportClash:
        message = (
            "Not saved: the report was changed elsewhere (by someone else or in another tab). "
            "Your text is kept on this page: press Save to see both."
        )
        return JsonResponse({"saved": False, "reason": "conflict", "message": message}, status=409)
    except ReportError as error:
        return JsonResponse({"saved": False, "reason": "refused", "message": str(error)}, status=409)
    return JsonResponse({"saved": True, "version": draft.version})


def _first_error(form: SectionForm) -> str:
    for errors in form.errors.values():
        return f"Not saved: {errors[0]}. Your text is kept on this page."
    return "Not saved. Your text is kept on this page."


@serves("POST")
def keep(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """Keeps the working draft as the next numbered version."""
    _case, review, checker = _load(request, reference, related=RELATED)
    _writer_or_403(checker)
    form = KeepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _keep_error(form))
        return redirect("localreviews:report", reference)
    try:
        kept = version_keep(
            review=review,
            actor=request.user,
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
    except ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The draft is kept as Draft {kept.number}.")
    return redirect("localreviews:report", reference)


def _keep_error(form: KeepForm) -> str:
    if "note" in form.errors:
        return str(form.errors["note"][0])
    return "The draft changed since you opened this page. Check it, then keep it as a version again."


@serves("GET", "POST")
def upload(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """Uploads a Word draft as the next numbered version, its text by section."""
    case, review, checker = _load(request, reference, related=RELATED)
    _writer_or_403(checker)
    form = UploadForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            kept, extracted = version_upload(
                review=review, actor=request.user, upload=form.cleaned_data["file"], note=form.cleaned_data["note"]
            )
        except ReportError as error:
            form.add_error("file", str(error))
        else:
            if extracted.matched:
                found = ", ".join(str(s.label) for s in extracted.matched)
                messages.success(
                    request,
                    f"Uploaded as Draft {kept.number}. Sections found by their headings: {found}. "
                    "Any text before the first of them is under Introduction and process.",
                )
            else:
                messages.success(
                    request,
                    f"Uploaded as Draft {kept.number}. No heading named a section of the report, "
                    "so all its text is under Introduction and process.",
                )
            return redirect("localreviews:report_version", reference, kept.number)
    return render(
        request,
        "localreviews/report_upload.html",
        {"case": case, "review": review, "form": form, "sections": list(ReportSection), "nav": "cases"},
    )


def _version(review_id: int, number: int) -> ReportVersion:
    found = ReportVersion.objects.filter(review_id=review_id, number=number).select_related("created_by").first()
    if found is None:
        raise Http404("No such version")
    return found


@serves("GET", "POST")
def version(request: AuthenticatedHttpRequest, reference: str, number: int) -> HttpResponse:
    """A kept version as it was kept. POST (a writer): carry on writing from it."""
    case, review, checker = _load(request, reference, related=RELATED)
    kept = _version(review.pk, number)
    draft = draft_of(review)
    if request.method == "POST":
        _writer_or_403(checker)
        form = FromVersionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "The working draft changed since you opened this page. Check it and try again.")
            return redirect("localreviews:report_version", reference, number)
        try:
            draft_from_version(
                review=review, actor=request.user, version=kept, expected_version=form.cleaned_data["version"]
            )
        except ReportError as error:
            messages.error(request, str(error))
            return redirect("localreviews:report_version", reference, number)
        messages.success(request, f"The working draft is now Draft {kept.number}'s text.")
        return redirect("localreviews:report", reference)
    return render(
        request,
        "localreviews/report_version.html",
        {
            "case": case,
            "review": review,
            "kept": kept,
            "sections": [(s, (kept.sections or {}).get(s.value, "")) for s in ReportSection],
            "writer": checker.may_write_report,
            "from_form": FromVersionForm(initial={"version": _draft_version(draft)}),
            "nav": "cases",
        },
    )


@serves("GET")
def compare_view(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """Two kept versions, section by section: what was removed and what was added."""
    case, review, _checker = _load(request, reference, related=RELATED)
    versions = {v.number: v for v in _versions(review.pk)}
    form = CompareForm(request.GET or None, numbers=sorted(versions))
    diffs = None
    earlier = later = None
    if form.is_bound and form.is_valid():
        earlier, later = versions[form.cleaned_data["earlier"]], versions[form.cleaned_data["later"]]
        diffs = compare(earlier, later)
    return render(
        request,
        "localreviews/report_compare.html",
        {
            "case": case,
            "review": review,
            "form": form,
            "diffs": diffs,
            "earlier": earlier,
            "later": later,
            "enough": len(versions) > 1,
            "nav": "cases",
        },
    )


# Findings and recommendations


def _agencies(review_partnership_id: int, chosen: set[int]) -> list[tuple[int, str]]:
    return [
        (a.pk, a.name)
        for a in Agency.objects.filter(partnership_id=review_partnership_id).order_by("name")
        if a.active or a.pk in chosen
    ]


def _content(form: ItemForm, kind: str) -> ItemContent:
    return ItemContent(
        kind=ReportItem.Kind(kind),
        text=form.cleaned_data["text"],
        to_partnership=form.cleaned_data["to_partnership"],
        agency_ids=[int(pk) for pk in form.cleaned_data["agencies"]],
    )


@serves("GET", "POST")
def items(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The findings and recommendations in order, each addressed; a writer adds, changes and
    reorders them."""
    case, review, checker = _load(request, reference, related=RELATED)
    if request.method == "POST":
        _writer_or_403(checker)
    form = (
        ItemForm(
            request.POST if request.method == "POST" else None,
            initial={"version": 0},
            agencies=_agencies(case.partnership_id, set()),
        )
        if checker.may_write_report
        else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            added = item_add(review=review, actor=request.user, content=_content(form, form.cleaned_data["kind"]))
        except ReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{added.get_kind_display()} {added.position} added")
            return redirect("localreviews:report_items", reference)
    listed = list(
        ReportItem.objects.filter(review=review).prefetch_related(
            Prefetch("agencies", queryset=Agency.objects.order_by("name"))
        )
    )
    return render(
        request,
        "localreviews/report_items.html",
        {
            "case": case,
            "review": review,
            "form": form,
            "groups": [
                (kind.label + "s", [i for i in listed if i.kind == kind])
                for kind in (ReportItem.Kind.FINDING, ReportItem.Kind.RECOMMENDATION)
            ],
            "writer": checker.may_write_report,
            "nav": "cases",
        },
    )


def _item(review_id: int, pk: int) -> ReportItem:
    found = ReportItem.objects.filter(review_id=review_id, pk=pk).select_related("review__case").first()
    if found is None:
        raise Http404("No such item")
    return found


@serves("GET", "POST")
def item_edit(request: AuthenticatedHttpRequest, reference: str, pk: int) -> HttpResponse:
    """Changes an item's text and who it is addressed to; a change since the page was opened brings
    it back with the person's text beside what is saved now."""
    case, review, checker = _load(request, reference, related=RELATED)
    _writer_or_403(checker)
    item = _item(review.pk, pk)
    chosen = {a.pk for a in item.agencies.all()}
    initial = {
        "version": item.version,
        "text": item.text,
        "to_partnership": item.to_partnership,
        "agencies": [str(a) for a in chosen],
    }
    agencies = _agencies(case.partnership_id, chosen)
    form = ItemForm(
        request.POST if request.method == "POST" else None, initial=initial, agencies=agencies, fixed_kind=True
    )
    saved_now = None
    if request.method == "POST" and form.is_valid():
        try:
            item_save(
                item=item,
                actor=request.user,
                content=_content(form, item.kind),
                expected_version=form.cleaned_data["version"],
            )
        except ReportClash as error:
            item = _item(review.pk, pk)
            data = request.POST.copy()
            data["version"] = str(item.version)
            form = ItemForm(data, agencies=agencies, fixed_kind=True)
            form.is_valid()
            form.add_error(None, str(error))
            saved_now = item
        except ReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{item.get_kind_display()} {item.position} saved")
            return redirect("localreviews:report_items", reference)
    return render(
        request,
        "localreviews/report_item.html",
        {
            "case": case,
            "review": review,
            "item": item,
            "form": form,
            "saved_now": saved_now,
            "saved_agencies": list(saved_now.agencies.order_by("name")) if saved_now is not None else [],
            "nav": "cases",
        },
    )


@serves("POST")
def item_step(request: AuthenticatedHttpRequest, reference: str, pk: int, step: str) -> HttpResponse:
    """Moves an item up or down among its kind, or removes it."""
    _case, review, checker = _load(request, reference, related=RELATED)
    _writer_or_403(checker)
    item = _item(review.pk, pk)
    form = FromVersionForm(request.POST)
    if step not in ("up", "down", "remove"):
        raise Http404("No such step")
    if not form.is_valid():
        messages.error(request, "The list changed since you opened the page. Check it and try again.")
        return redirect("localreviews:report_items", reference)
    try:
        if step == "remove":
            item_remove(item=item, actor=request.user, expected_version=form.cleaned_data["version"])
            messages.success(request, f"{item.get_kind_display()} removed")
        else:
            item_move(item=item, actor=request.user, up=step == "up", expected_version=form.cleaned_data["version"])
    except ReportError as error:
        messages.error(request, str(error))
    return redirect("localreviews:report_items", reference)
