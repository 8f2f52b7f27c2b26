from typing import Any

from django import forms

from core.forms import ServerCheckedLengths
from rapidreviews.models import SignOffDecision


class SignOffForm(ServerCheckedLengths, forms.Form):
    decision = forms.ChoiceField(
        label="Do you approve the rapid review?",
        choices=[
            (SignOffDecision.APPROVED, "Yes, I approve it"),
            (SignOffDecision.CHANGES, "No, I am asking for changes"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you approve the rapid review"},
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
        if data.get("decision") == SignOffDecision.CHANGES and not data.get("comments", "").strip():
            self.add_error("comments", "Enter the changes you are asking for")
        return data


class CommentForm(ServerCheckedLengths, forms.Form):
    comments = forms.CharField(
        label="Comments for the partners and the business unit",
        help_text="They are kept with the sign-off, with your name and the time",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter your comments",
            "max_length": "Comments must be 10,000 characters or fewer",
        },
    )
