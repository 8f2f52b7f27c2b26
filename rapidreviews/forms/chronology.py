from typing import Any

from django import forms

from core.forms import GOVUKDateField


class ChronologyFilterForm(forms.Form):
    agency = forms.MultipleChoiceField(label="Agency", required=False, widget=forms.CheckboxSelectMultiple)
    start = GOVUKDateField(label="Start date", required=False, help_text="Entries on or after this date")
    end = GOVUKDateField(label="End date", required=False, help_text="Entries on or before this date")

    def __init__(self, *args: Any, agencies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(str(pk), name) for pk, name in agencies]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "End date must be the same as or after the start date")
        return data
