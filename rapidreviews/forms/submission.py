from typing import Any

from django import forms

from core.forms import GOVUKDateField
from rapidreviews.models import PanelResponseKind
from rapidreviews.services.submission import REOPENABLE


class SubmissionForm(forms.Form):
    late_reason = forms.CharField(
        label="If the rapid review is late, why?",
        help_text="Needed only after the 15th working day",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PanelResponseForm(forms.Form):
    received_on = GOVUKDateField(label="Date the Panel responded", past_only=True)
    kind = forms.ChoiceField(
        label="What did the Panel say?",
        choices=PanelResponseKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the Panel said"},
    )
    summary = forms.CharField(
        label="Summary of the Panel's response",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter a summary of the Panel's response"},
    )
    reopen = forms.MultipleChoiceField(
        label="Parts of the rapid review to reopen",
        help_text="For a challenge or a request for more information",
        choices=list(REOPENABLE.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") in (PanelResponseKind.CHALLENGES, PanelResponseKind.MORE_INFORMATION) and not data.get(
            "reopen"
        ):
            self.add_error("reopen", "Select the parts of the rapid review the Panel's response concerns")
        return data
