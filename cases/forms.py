from typing import Any

from django import forms

from cases.workflow import Transition, closes_the_case

# Why the case is closing, in the words of each closing step's error message.
CLOSING_REASONS = {
    "criteria_not_met": "Enter why the criteria were not met after all",
    "close": "Enter why you are closing the case",
}


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="Note for the case record",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Optional. Why you are taking this step.",
    )

    def __init__(self, *args: Any, transition: Transition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.closing = closes_the_case(transition)
        if self.closing:
            # Closing a case is not undone lightly: it needs the reason, kept on the record, and a
            # confirmation that it is meant.
            note = self.fields["note"]
            note.label = "Why is the case closing?"
            note.help_text = "This is kept on the case record."
            note.required = True
            note.error_messages["required"] = CLOSING_REASONS.get(transition.name, "Enter why you are closing the case")
            self.fields["confirm"] = forms.BooleanField(
                label="Yes, close the case",
                required=True,
                error_messages={"required": "Confirm that you want to close the case"},
            )

    def clean_note(self) -> str:
        note: str = self.cleaned_data.get("note", "")
        if self.closing and not note.strip():
            raise forms.ValidationError(self.fields["note"].error_messages["required"])
        return note
