"""The terms of reference's forms: the draft (saved incomplete if need be: completeness is asked when
the terms go for approval), a partner's approval, and the partnership's list of methodologies."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.forms import BoundField
from django.http import QueryDict

from core.forms import GOVUKDateField, ServerCheckedLengths, VersionedForm
from localreviews.terms_models import ParallelKind, ParallelStatus, TermsDecision
from localreviews.terms_services import Parallel

LONG = 20000
SPARE_LINES = 2
SPARE_PARALLEL = 1
MAX_ROWS = 40  # more rows than anyone writes; a page sending more was not made by the service


def _text(label: str, help_text: str = "", rows: int = 5, max_length: int = LONG) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": f"{label} must be {max_length:,} characters or fewer"},
    )


def _posted_rows(data: Any, prefix: str, suffix: str) -> int:
    """How many rows the page sent (so nothing typed in a row is dropped when the page comes back)."""
    if not isinstance(data, (dict, QueryDict)):
        return 0
    count = 0
    while count < MAX_ROWS and f"{prefix}{count + 1}{suffix}" in data:
        count += 1
    return count


class TermsForm(VersionedForm):
    period_start = GOVUKDateField(
        label="Start of the review period",
        help_text="The review looks at practice from this date. For example, 1 3 2025",
        required=False,
        past_only=True,
    )
    period_end = GOVUKDateField(label="End of the review period", help_text="For example, 2 3 2026", required=False)
    agencies = forms.MultipleChoiceField(
        label="Agencies in scope",
        help_text="Select all the agencies whose practice the review looks at",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    methodology = forms.ChoiceField(label="Methodology", required=False, widget=forms.RadioSelect)
    methodology_notes = _text(
        "How the methodology will be used", "Say how, especially for a hybrid or other approach", rows=3
    )
    family_engagement = _text(
        "Family engagement plan",
        "How the child and family are offered a part in the review, by whom and when, and their consent",
    )
    timetable = _text("Timetable", "The review's milestones: learning events, drafts, accuracy round, sign-off")
    governance = _text("Governance", "Who oversees the review, how progress is monitored and who signs it off")

    def __init__(
        self,
        *args: Any,
        agencies: Sequence[tuple[int, str]],
        methodologies: Sequence[tuple[int, str]],
        lines: int = 0,
        parallel: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies"].choices = [(str(pk), name) for pk, name in agencies]
        self.fields["methodology"].choices = [(str(pk), name) for pk, name in methodologies]
        self.line_count = max(lines + SPARE_LINES, 3, _posted_rows(self.data, "line_", ""))
        for i in range(1, self.line_count + 1):
            self.fields[f"line_{i}"] = _text(f"Line of enquiry {i}", rows=2, max_length=2000)
        self.parallel_count = max(parallel + SPARE_PARALLEL, _posted_rows(self.data, "pp", "_kind"))
        for i in range(1, self.parallel_count + 1):
            self.fields[f"pp{i}_kind"] = forms.ChoiceField(
                label="Kind of process", choices=[("", "None"), *ParallelKind.choices], required=False
            )
            self.fields[f"pp{i}_status"] = forms.ChoiceField(
                label=f"Where process {i} stands", choices=[("", "Choose"), *ParallelStatus.choices], required=False
            )
            self.fields[f"pp{i}_next_date"] = GOVUKDateField(
                label=f"Next expected date of process {i}",
                help_text="For example, a hearing or the trial. Leave empty if none is expected",
                required=False,
            )
            self.fields[f"pp{i}_expected_end"] = GOVUKDateField(
                label=f"Date process {i} is expected to end", help_text="Leave empty if not known", required=False
            )
            self.fields[f"pp{i}_notes"] = _text(f"Notes on process {i}", rows=2, max_length=5000)
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)  # the server checks lengths (ServerCheckedLengths)

    def line_fields(self) -> list[BoundField]:
        return [self[f"line_{i}"] for i in range(1, self.line_count + 1)]

    def parallel_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "number": i,
                "fields": [self[f"pp{i}_{name}"] for name in ("kind", "status", "next_date", "expected_end", "notes")],
            }
            for i in range(1, self.parallel_count + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and not end and "period_end" not in self.errors:
            self.add_error("period_end", "Enter the end of the review period")
        if end and not start and "period_start" not in self.errors:
            self.add_error("period_start", "Enter the start of the review period")
        if start and end and end < start:
            self.add_error("period_end", "End of the review period must be on or after its start")
        for i in range(1, self.parallel_count + 1):
            kind, status = data.get(f"pp{i}_kind"), data.get(f"pp{i}_status")
            others = any(data.get(f"pp{i}_{n}") for n in ("status", "next_date", "expected_end", "notes"))
            if not kind and others:
                self.add_error(f"pp{i}_kind", f"Select which process process {i} is, or clear its details")
            if kind and not status:
                self.add_error(f"pp{i}_status", f"Select where process {i} stands")
        return data

    def lines(self) -> list[str]:
        texts = (self.cleaned_data.get(f"line_{i}", "").strip() for i in range(1, self.line_count + 1))
        return [t for t in texts if t]

    def parallel(self) -> list[Parallel]:
        rows = []
        for i in range(1, self.parallel_count + 1):
            kind = self.cleaned_data.get(f"pp{i}_kind")
            if not kind:
                continue
            next_date: dt.date | None = self.cleaned_data.get(f"pp{i}_next_date")
            expected_end: dt.date | None = self.cleaned_data.get(f"pp{i}_expected_end")
            rows.append(
                Parallel(
                    kind=kind,
                    status=self.cleaned_data[f"pp{i}_status"],
                    next_date=next_date,
                    expected_end=expected_end,
                    notes=self.cleaned_data.get(f"pp{i}_notes", "").strip(),
                )
            )
        return rows


class TermsStepForm(VersionedForm):
    """Sending the terms for approval, or agreeing them: the version they were read at."""


class TermsApprovalForm(ServerCheckedLengths, forms.Form):
    decision = forms.ChoiceField(
        label="Do you approve the terms of reference?",
        choices=[
            (TermsDecision.APPROVED, "Yes, I approve them"),
            (TermsDecision.CHANGES, "No, I am asking for changes"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you approve the terms of reference"},
    )
    comments = forms.CharField(
        label="Comments",
        help_text="Needed if you ask for changes: say what should change",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "Comments must be 10,000 characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == TermsDecision.CHANGES and not data.get("comments", "").strip():
            self.add_error("comments", "Enter the changes you are asking for")
        return data


class MethodologyForm(ServerCheckedLengths, forms.Form):
    name = forms.CharField(
        label="Name of the methodology",
        max_length=200,
        error_messages={
            "required": "Enter the name of the methodology",
            "max_length": "Name of the methodology must be 200 characters or fewer",
        },
    )
