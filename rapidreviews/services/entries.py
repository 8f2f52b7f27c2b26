"""Adding several chronology entries at once: rows of the "add entries" table, or a CSV file.

Each is one transaction under the summary's lock with one audit event, so an import is all its
rows or none of them, and nothing lands in a summary sent a moment ago."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.models import Verb
from audit.services import audit_record
from rapidreviews.chronology_csv import CsvFileError, Preview, guess_columns, preview, read_table
from rapidreviews.entry_rows import entry_key
from rapidreviews.models import AgencySummary, ChronologyEntry, ChronologyImport
from rapidreviews.services.summaries import SummaryStateError, draft_begin, duplicate_add, lock_open

PENDING_KEPT_FOR = timedelta(days=1)


@dataclass(frozen=True)
class RowsAdded:
    added: int
    again: int  # rows this same form had added already (sent twice): not added twice


def chronology_entries_add(
    *, agency_summary: AgencySummary, actor: User, rows: list[tuple[int, dict[str, Any]]], token: str = ""
) -> RowsAdded:
    """Adds the table's rows ((row index, values) each). The same form sent again (Back, then Save)
    adds nothing twice: a row whose token, or whose every answer added in the last half hour, is
    already an entry is that entry (corrected, if the form was corrected)."""
    if not agency_summary.is_editable:
        raise SummaryStateError("This return has been submitted and cannot be changed")
    added, again = [], 0
    with transaction.atomic():
        lock_open(agency_summary)
        for index, values in rows:
            row_token = f"{token}-{index}" if token else ""
            earlier = duplicate_add(ChronologyEntry, agency_summary, row_token, values)
            if earlier is not None:
                again += 1
                if any(getattr(earlier, k) != v for k, v in values.items()):
                    ChronologyEntry.objects.filter(pk=earlier.pk).update(**values, version=earlier.version + 1)
                continue
            added.append(ChronologyEntry(agency_summary=agency_summary, client_token=row_token, **values))
        ChronologyEntry.objects.bulk_create(added)
        draft_begin(agency_summary, actor)
        if added:
            audit_record(
                actor=actor,
                verb=Verb.CREATE,
                target=agency_summary,
                case=agency_summary.request.review.case,
                details={
                    "summary": f"{len(added)} chronology {'entry' if len(added) == 1 else 'entries'} added",
                    "agency_id": agency_summary.request.agency_id,
                    "dates": sorted({e.date.isoformat() for e in added}),
                },
            )
    return RowsAdded(added=len(added), again=again)


def chronology_import_create(
    *, agency_summary: AgencySummary, actor: User, file_name: str, text: str
) -> ChronologyImport:
    """Keeps an uploaded file (already decoded) for its preview, if it reads as a table at all
    (CsvFileError otherwise). This lead's earlier files not added within a day are let go."""
    if not agency_summary.is_editable:
        raise SummaryStateError("This return has been submitted and cannot be changed")
    table = read_table(text)
    with transaction.atomic():
        ChronologyImport.objects.filter(
            agency_summary=agency_summary,
            imported_at=None,
            uploaded_at__lt=timezone.now() - PENDING_KEPT_FOR,
        ).delete()
        chronology_import = ChronologyImport.objects.create(
            agency_summary=agency_summary, uploaded_by=actor, file_name=file_name[:255], text=text
        )
        audit_record(
            actor=actor,
            verb=Verb.UPLOAD,
            target=agency_summary,
            case=agency_summary.request.review.case,
            details={
                "summary": f"Chronology file uploaded to check before adding ({len(table.rows)} rows)",
                "agency_id": agency_summary.request.agency_id,
                "file": file_name[:255],
            },
        )
    return chronology_import


def existing_keys(agency_summary: AgencySummary) -> set[tuple[Any, ...]]:
    return {
        entry_key(on, at, words)
        for on, at, words in agency_summary.entries.values_list("date", "time", "what_happened")
    }


def import_preview(chronology_import: ChronologyImport, columns: dict[str, int] | None, *, today: date) -> Preview:
    table = read_table(chronology_import.text)
    matched = guess_columns(table.header) if columns is None else columns
    return preview(table, matched, today=today, existing=existing_keys(chronology_import.agency_summary))


class AlreadyImported(Exception):
    pass


class RowsInError(Exception):
    pass


def chronology_import_apply(
    *, chronology_import: ChronologyImport, actor: User, columns: dict[str, int], today: date
) -> Preview:
    """Adds every row of the file that is not already on the summary, in one transaction with one
    audit event; nothing at all when any row is in error (RowsInError) or the file was added
    already (AlreadyImported: a second click of the button)."""
    agency_summary = chronology_import.agency_summary
    if not agency_summary.is_editable:
        raise SummaryStateError("This return has been submitted and cannot be changed")
    with transaction.atomic():
        lock_open(agency_summary)
        current = ChronologyImport.objects.select_for_update().get(pk=chronology_import.pk)
        if current.imported_at is not None:
            raise AlreadyImported(current.imported_count)
        try:
            result = import_preview(current, columns, today=today)
        except CsvFileError:
            raise RowsInError() from None
        if result.errors:
            raise RowsInError()
        rows = result.to_add
        ChronologyEntry.objects.bulk_create(
            ChronologyEntry(
                agency_summary=agency_summary, client_token=f"import-{current.pk}-{row.number}", **row.entry.values
            )
            for row in rows
        )
        draft_begin(agency_summary, actor)
        ChronologyImport.objects.filter(pk=current.pk).update(
            imported_at=timezone.now(), imported_count=len(rows), text=""
        )
        left_out = len(result.left_out)
        audit_record(
            actor=actor,
            verb=Verb.CREATE,
            target=agency_summary,
            case=agency_summary.request.review.case,
            details={
                "summary": f"{len(rows)} chronology {'entry' if len(rows) == 1 else 'entries'} imported from a file"
                + (f" ({left_out} already there left out)" if left_out else ""),
                "agency_id": agency_summary.request.agency_id,
                "file": current.file_name,
            },
        )
    return result
