from typing import Any

from django import forms

from rapidreviews.models import SignOffDecision


class SignOffForm(forms.Form):
    decision = forms.ChoiceField(
        label="Do you approve the rapid review?",
        choices=[
            (SignOffDecision.APPROVED, "Yes, I approve it"),
            (SignOffDecision.CHANGES, "No, I am asking for changes"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you approve the rapid review"},
    )
    comments = forms.CharField(label="Comments", required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == SignOffDecision.CHANGES and not data.get("comments", "").strip():
            self.add_error("comments", "Enter the changes you are asking for")
        return data


class CommentForm(forms.Form):
    comments = forms.CharField(
        label="Your comments",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter your comments"},
    )
