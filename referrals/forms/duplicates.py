"""Whether a possible duplicate is about the same incident."""

from typing import Any

from django import forms

from referrals.forms.base import radios, text
from referrals.models import DuplicateOutcome


class DuplicateCheckForm(forms.Form):
    outcome = radios(
        "Is this the same incident?",
        [
            (DuplicateOutcome.SAME.value, "Yes, the same incident: link the two cases"),
            (DuplicateOutcome.NOT_SAME.value, "No, not the same incident: dismiss the warning"),
        ],
        "Select whether it is the same incident",
    )
    reason = text(
        "Why?",
        long=True,
        max_length=2000,
        help_text="Required if it is not the same incident. For example, a different child with the same name. "
        "This is kept on both cases' history.",
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("outcome") == DuplicateOutcome.NOT_SAME and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter why it is not the same incident")
        return data
