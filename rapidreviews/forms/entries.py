"""Forms for adding several chronology entries: the table of rows, the CSV upload and the matching
of a file's columns."""

import secrets
from typing import Any

from django import forms
from django.utils import timezone

from core.forms import ServerCheckedLengths
from rapidreviews.chronology_csv import REQUIRED, column_label
from rapidreviews.entry_rows import FIELDS, LABELS, read_entry

ROWS_AT_FIRST = 5
ROWS_MORE = 5
ROWS_MAX = 50


class EntryRowForm(ServerCheckedLengths, forms.Form):
    """One row of the table. A row left blank is no entry; a row begun needs its date, what
    happened and its source, read as a CSV row is (`entry_rows.read_entry`)."""

    date = forms.CharField(required=False, widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    time = forms.CharField(required=False, widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}))
    what_happened = forms.CharField(required=False, strip=False, widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(required=False, strip=False, widget=forms.TextInput())
    significance = forms.CharField(required=False, strip=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, number: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.number = number
        for name, field in self.fields.items():
            field.label = f"{LABELS[name]}, entry {number}"
            if name in ("date", "time"):
                field.widget.attrs["aria-describedby"] = "rows-hint"
        self.values: dict[str, Any] | None = None

    def is_blank(self) -> bool:
        given = self.data if self.is_bound else {self.add_prefix(k): v for k, v in self.initial.items()}
        return not any((given.get(self.add_prefix(name)) or "").strip() for name in FIELDS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_blank():
            return data
        entry = read_entry({name: data.get(name, "") for name in FIELDS}, today=timezone.localdate())
        for name, message in entry.errors.items():
            self.add_error(name, message)
        self.values = None if entry.errors else entry.values
        return data


class EntryRows:
    """The table's rows, as many as the page had (`rows`, more when the lead asked for more), and
    the form's token (the same table sent twice adds its entries once)."""

    def __init__(self, data: Any = None, *, more: bool = False) -> None:
        self.data = data
        count = ROWS_AT_FIRST
        if data is not None:
            try:
                count = int(data.get("rows", ROWS_AT_FIRST))
            except (TypeError, ValueError):
                count = ROWS_AT_FIRST
        self.count = min(max(count + (ROWS_MORE if more else 0), 1), ROWS_MAX)
        self.can_add_more = self.count < ROWS_MAX
        token = (data.get("token") or "")[:30] if data is not None else ""  # room for "-<row>" in 40
        self.token = token or secrets.token_urlsafe(16)
        if more:  # what was typed, again, with blank rows after it: not checked yet, so no errors
            self.data = None
            self.forms = [
                EntryRowForm(
                    initial={name: data.get(f"row-{n}-{name}", "") for name in FIELDS}, prefix=f"row-{n}", number=n
                )
                for n in range(1, self.count + 1)
            ]
        else:
            self.forms = [EntryRowForm(data, prefix=f"row-{n}", number=n) for n in range(1, self.count + 1)]

    def is_valid(self) -> bool:
        checked = [form.is_valid() for form in self.forms]  # every row, not only up to the first wrong one
        return all(checked) and bool(self.filled())

    def filled(self) -> list[EntryRowForm]:
        return [form for form in self.forms if not form.is_blank()]

    def errors(self) -> list[tuple[str, str]]:
        """(message, id of the box) for the error summary, row by row."""
        found = []
        if self.data is not None and not self.filled():
            found.append(("Enter at least one chronology entry", self.forms[0]["date"].id_for_label or ""))
        for form in self.forms:
            for name in FIELDS:
                for message in form.errors.get(name, []):
                    found.append((f"Entry {form.number}: {message}", form[name].id_for_label or ""))
        return found

    def typed(self) -> list[tuple[str, str]]:
        """What was typed, box by box, to give back when it cannot be saved."""
        rows = []
        for form in self.filled():
            for name in FIELDS:
                value = str(form[name].value() or "").strip()
                if value:
                    rows.append((str(form.fields[name].label), value))
        return rows


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )


class ColumnsForm(forms.Form):
    """Which column of the file holds each part of an entry."""

    def __init__(self, *args: Any, header: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        columns = [(str(i), column_label(header, i)) for i in range(len(header))]
        for name in FIELDS:
            needed = name in REQUIRED
            self.fields[name] = forms.ChoiceField(
                label=LABELS[name] + ("" if needed else " (optional)"),
                choices=[("", "Choose a column" if needed else "Not in the file"), *columns],
                required=needed,
                error_messages={"required": f"Choose the column that holds the {LABELS[name].lower()}"},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        taken: dict[str, str] = {}
        for name in FIELDS:
            column = data.get(name)
            if not column:
                continue
            if column in taken:
                self.add_error(
                    name,
                    f"Choose a different column for the {LABELS[name].lower()}: "
                    f"that column is already the {LABELS[taken[column]].lower()}",
                )
            else:
                taken[column] = name
        return data

    def columns(self) -> dict[str, int]:
        return {name: int(self.cleaned_data[name]) for name in FIELDS if self.cleaned_data.get(name)}
