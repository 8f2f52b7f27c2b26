"""The report's forms: a section's text, keeping a version, uploading a Word draft, choosing two
versions to compare, and a finding or recommendation."""

from typing import Any

from django import forms

from core.forms import ServerCheckedLengths, VersionedForm
from localreviews.report_models import ReportItem

SECTION_MAX = 100_000


class SectionForm(VersionedForm):
    text = forms.CharField(
        label="Text of the section",
        required=False,
        max_length=SECTION_MAX,
        widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "true"}),
        error_messages={"max_length": f"The section must be {SECTION_MAX:,} characters or fewer"},
    )


class KeepForm(VersionedForm):
    note = forms.CharField(
        label="Note about this version (optional)",
        help_text="For example, what changed or who it is going to",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "The note must be 2,000 characters or fewer"},
    )


class UploadForm(ServerCheckedLengths, forms.Form):
    file = forms.FileField(
        label="Upload a Word document",
        help_text="A .docx file. Headings that name the report's sections start those sections",
        error_messages={"required": "Select a Word document", "empty": "The selected file is empty"},
    )
    note = forms.CharField(
        label="Note about this version (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "The note must be 2,000 characters or fewer"},
    )


class FromVersionForm(VersionedForm):
    """Carry on writing from a kept version: the working draft's version it was read at."""


class CompareForm(forms.Form):
    earlier = forms.TypedChoiceField(
        label="Compare", coerce=int, error_messages={"required": "Select the earlier version"}
    )
    later = forms.TypedChoiceField(label="with", coerce=int, error_messages={"required": "Select the later version"})

    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(n), f"Draft {n}") for n in numbers]
        for name in ("earlier", "later"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
            field.error_messages["invalid_choice"] = "Select a version from the list"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("earlier") is not None and data.get("earlier") == data.get("later"):
            self.add_error("later", "Select two different versions")
        return data


class ItemForm(VersionedForm):
    kind = forms.ChoiceField(
        label="Is this a finding or a recommendation?",
        choices=ReportItem.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this is a finding or a recommendation"},
    )
    text = forms.CharField(
        label="Text",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the text", "max_length": "The text must be 10,000 characters or fewer"},
    )
    to_partnership = forms.BooleanField(label="The safeguarding partnership as a whole", required=False)
    agencies = forms.MultipleChoiceField(
        label="Agencies",
        help_text="Select all the agencies it is addressed to",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select agencies from the list"},
    )

    def __init__(self, *args: Any, agencies: list[tuple[int, str]], fixed_kind: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies"].choices = [(str(pk), name) for pk, name in agencies]
        if fixed_kind:
            del self.fields["kind"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "agencies" not in self.errors and not data.get("to_partnership") and not data.get("agencies"):
            self.add_error("agencies", "Select who it is addressed to: the partnership, agencies or both")
        return data
