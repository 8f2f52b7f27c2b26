"""Whether two agencies' chronology entries are the same event."""

from typing import Any

from django import forms

from rapidreviews.models import DuplicateOutcome


class ChronologyDuplicateForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Are these the same event?",
        choices=[
            (DuplicateOutcome.SAME.value, "Yes, the same event recorded by both agencies"),
            (DuplicateOutcome.NOT_SAME.value, "No, different events: remove the possible duplicate mark"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether these are the same event"},
    )
    reason = forms.CharField(
        label="Why?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required if they are different events. This is kept on the case's history.",
        error_messages={"max_length": "Enter 2000 characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("outcome") == DuplicateOutcome.NOT_SAME and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter why they are different events")
        return data
