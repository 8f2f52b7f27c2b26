from typing import Any

from django import forms

from core.forms import GOVUKDateField, VersionedForm
from localreviews.models import DecidedWhen, ReviewKind


class OpenForm(VersionedForm):
    """Opening the local review: which kind, decided when, and why."""

    kind = forms.ChoiceField(
        label="Which review did the safeguarding partners decide on?",
        choices=ReviewKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which review the partners decided on"},
    )
    alternative_type = forms.CharField(
        label="Type of alternative learning review",
        help_text="For example, a multi-agency learning review, an appreciative inquiry or a thematic review",
        required=False,
        max_length=200,
        error_messages={"max_length": "Type of alternative learning review must be 200 characters or fewer"},
    )
    decided_when = forms.ChoiceField(
        label="When did they decide?",
        choices=DecidedWhen.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select when the partners decided"},
    )
    decided_on = GOVUKDateField(
        label="Date of the decision",
        help_text="The 6 months to complete and publish the review run from this date. For example, 27 3 2027",
        past_only=True,
        error_messages={"required": "Enter the date of the decision"},
    )
    rationale = forms.CharField(
        label="Why the partners decided on this review",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        error_messages={
            "required": "Enter why the partners decided on this review",
            "max_length": "Why the partners decided on this review must be 20,000 characters or fewer",
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == ReviewKind.ALTERNATIVE and not data.get("alternative_type", "").strip():
            self.add_error("alternative_type", "Enter the type of alternative learning review")
        return data
