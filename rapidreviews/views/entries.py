"""Adding chronology entries several at a time: as rows of a table, or from a CSV file the agency
exports from its own records (uploaded with a size cap, checked on a preview with row-by-row
errors, then added all at once or not at all). A single entry is still changed on its own page
(`views.items`)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from accounts.http import AuthenticatedHttpRequest
from core.http import serves
from core.upload_cap import capped_uploads, read_capped
from rapidreviews.chronology_csv import (
    MAX_BYTES,
    MAX_ROWS,
    TEMPLATE_HEADER,
    CsvFileError,
    check_kind,
    decode,
    guess_columns,
    preview,
    read_table,
    template_csv,
    unmatched,
)
from rapidreviews.entry_rows import FIELDS, LABELS
from rapidreviews.forms.entries import ColumnsForm, EntryRows, ImportUploadForm
from rapidreviews.selectors import pending_import_for, summary_for_writing
from rapidreviews.services.entries import (
    AlreadyImported,
    RowsInError,
    chronology_entries_add,
    chronology_import_apply,
    chronology_import_create,
    existing_keys,
)
from rapidreviews.services.summaries import SummaryStateError
from rapidreviews.views.common import base_context, load
from rapidreviews.views.items import summary_closed, writable_or_closed


def _entries(count: int) -> str:
    return f"{count} chronology {'entry' if count == 1 else 'entries'}"


@serves("GET", "POST")
def entries_add(request: AuthenticatedHttpRequest, reference: str, agency_id: int) -> HttpResponse:
    """A table of blank rows; "Add more rows" gives more, keeping what was typed."""
    case, review = load(request, reference)
    agency_summary, own_agency = summary_for_writing(request.user, review, agency_id)
    posted = request.method == "POST"
    more = posted and "more" in request.POST
    rows = EntryRows(request.POST if posted else None, more=more)
    closed = writable_or_closed(request, case, review, agency_summary, own_agency, typed=rows.typed())
    if closed is not None:
        return closed
    checked = posted and not more
    if checked and rows.is_valid():
        try:
            result = chronology_entries_add(
                agency_summary=agency_summary,
                actor=request.user,
                rows=[(form.number, form.values or {}) for form in rows.filled()],
                token=rows.token,
            )
        except SummaryStateError:
            return summary_closed(request, case, review, agency_summary, None, typed=rows.typed())
        if result.added:
            messages.success(request, f"{_entries(result.added)} added to your summary")
        if result.again:
            messages.info(request, f"{_entries(result.again)} had been saved already: not added twice")
        return redirect("rapidreviews:summary", reference, agency_id)
    errors = rows.errors() if checked else []
    return render(
        request,
        "rapidreviews/entries_add.html",
        base_context(case, review, agency_summary=agency_summary, rows=rows, errors=errors, has_errors=bool(errors)),
    )


@csrf_exempt
@serves("GET", "POST")
def entries_import(request: AuthenticatedHttpRequest, reference: str, agency_id: int) -> HttpResponse:
    # The upload is read through the capped handler, which must be in place before the CSRF check
    # reads the form; the check is then made by `_entries_import` itself.
    capped_uploads(request, limit=MAX_BYTES)
    return _entries_import(request, reference, agency_id)


@csrf_protect
def _entries_import(request: AuthenticatedHttpRequest, reference: str, agency_id: int) -> HttpResponse:
    case, review = load(request, reference)
    agency_summary, own_agency = summary_for_writing(request.user, review, agency_id)
    closed = writable_or_closed(request, case, review, agency_summary, own_agency)
    if closed is not None:
        return closed
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = read_capped(upload, limit=MAX_BYTES)
        try:
            if data is None:
                raise CsvFileError(f"The selected file must be smaller than {MAX_BYTES // (1024 * 1024)}MB")
            check_kind(data, upload.name or "")
            chronology_import = chronology_import_create(
                agency_summary=agency_summary, actor=request.user, file_name=upload.name or "", text=decode(data)
            )
        except CsvFileError as error:
            form.add_error("file", str(error))
        except SummaryStateError:
            return summary_closed(request, case, review, agency_summary, None)
        else:
            return redirect("rapidreviews:entries_import_preview", reference, agency_id, chronology_import.pk)
    return render(
        request,
        "rapidreviews/entries_import.html",
        base_context(
            case,
            review,
            agency_summary=agency_summary,
            form=form,
            max_rows=MAX_ROWS,
            max_mb=MAX_BYTES // (1024 * 1024),
            columns=[(name, LABELS[name]) for name in FIELDS],
            template_header=", ".join(TEMPLATE_HEADER),
        ),
    )


@serves("GET", "POST")
def entries_import_preview(
    request: AuthenticatedHttpRequest, reference: str, agency_id: int, import_id: int
) -> HttpResponse:
    """The file's rows as they would be added, with each row's problems; its columns as matched
    (by their names, or by hand: "Match the columns" sends the choice back as a GET); one button
    adds every row at once, offered only when no row is in error."""
    case, review = load(request, reference)
    chronology_import = pending_import_for(request.user, review, agency_id, import_id)
    if chronology_import is None:
        # As any page of the summary answers: 404, 403, or "it has been sent"; else no such file.
        agency_summary, own_agency = summary_for_writing(request.user, review, agency_id)
        closed = writable_or_closed(request, case, review, agency_summary, own_agency)
        if closed is not None:
            return closed
        raise Http404("No such file")
    agency_summary = chronology_import.agency_summary
    closed = writable_or_closed(request, case, review, agency_summary, True)
    if closed is not None:
        return closed
    if chronology_import.imported_at is not None:
        messages.info(request, f"The entries of {chronology_import.file_name} have been added already")
        return redirect("rapidreviews:summary", reference, agency_id)
    try:
        table = read_table(chronology_import.text)
    except CsvFileError:
        messages.info(request, "That file can no longer be read: upload it again")
        return redirect("rapidreviews:entries_import", reference, agency_id)
    guessed = guess_columns(table.header)
    chosen = request.POST if request.method == "POST" else request.GET if "date" in request.GET else None
    columns_form = ColumnsForm(chosen, header=table.header, initial={k: str(v) for k, v in guessed.items()})
    columns = (columns_form.columns() if columns_form.is_valid() else None) if chosen is not None else guessed
    if columns is not None and unmatched(columns):
        columns = None
    today = timezone.localdate()
    if request.method == "POST" and columns is not None:
        try:
            result = chronology_import_apply(
                chronology_import=chronology_import, actor=request.user, columns=columns, today=today
            )
        except AlreadyImported:
            messages.info(request, f"The entries of {chronology_import.file_name} have been added already")
            return redirect("rapidreviews:summary", reference, agency_id)
        except SummaryStateError:
            return summary_closed(request, case, review, agency_summary, None)
        except RowsInError:
            pass  # the preview below shows each row's problem
        else:
            left_out = len(result.left_out)
            messages.success(
                request,
                f"{_entries(len(result.to_add))} added from {chronology_import.file_name}"
                + (
                    f". {left_out} {'row was' if left_out == 1 else 'rows were'} left out as already there"
                    if left_out
                    else ""
                ),
            )
            return redirect("rapidreviews:summary", reference, agency_id)
    rows = preview(table, columns, today=today, existing=existing_keys(agency_summary)) if columns is not None else None
    return render(
        request,
        "rapidreviews/entries_import_preview.html",
        base_context(
            case,
            review,
            agency_summary=agency_summary,
            chronology_import=chronology_import,
            columns_form=columns_form,
            columns=columns,
            fields=[(name, LABELS[name], columns.get(name) if columns else None) for name in FIELDS],
            header=table.header,
            preview=rows,
            has_errors=bool(rows and rows.errors) or (columns_form.is_bound and not columns_form.is_valid()),
        ),
    )


@serves("GET")
def entries_template(request: AuthenticatedHttpRequest, reference: str, agency_id: int) -> HttpResponse:
    """The template CSV: the column names the import reads, for the agency to fill in or match."""
    _case, review = load(request, reference)
    _agency_summary, own_agency = summary_for_writing(request.user, review, agency_id)
    if not own_agency:
        raise PermissionDenied("Only the agency's safeguarding lead adds to its chronology")
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="chronology-template.csv"'
    return response
