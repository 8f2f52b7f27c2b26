from collections.abc import Sequence
from typing import Any

from django import forms

from core.forms import GOVUKDateField, ServerCheckedLengths
from localreviews.models import NationalBody


def _email(body: NationalBody) -> forms.EmailField:
    return forms.EmailField(
        label=f"Email address of the {body.label}",
        max_length=254,
        error_messages={
            "required": f"Enter the email address of the {body.label}",
            "invalid": f"Enter the email address of the {body.label} in the correct format, like name@example.org",
            "max_length": f"Email address of the {body.label} must be 254 characters or fewer",
        },
    )


class NoticeForm(ServerCheckedLengths, forms.Form):
    """A notice to the national bodies: where it goes, the letter and the day it was sent. `token`
    is this form's own: sent twice, it sends once."""

    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    panel = _email(NationalBody.PANEL)
    ofsted = _email(NationalBody.OFSTED)
    dfe = _email(NationalBody.DFE)
    letter = forms.CharField(
        label="The letter",
        help_text="Drafted from the review's record. Check it and change it as needed: it is sent as written.",
        widget=forms.Textarea(attrs={"rows": 18}),
        max_length=20000,
        error_messages={
            "required": "Enter the letter",
            "max_length": "The letter must be 20,000 characters or fewer",
        },
    )
    sent_on = GOVUKDateField(
        label="Date sent",
        help_text="Today, unless it went by another route earlier. For example, 27 3 2026",
        past_only=True,
        error_messages={"required": "Enter the date sent"},
    )

    def __init__(self, *args: Any, bodies: Sequence[NationalBody] = tuple(NationalBody), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for body in NationalBody:
            if body not in bodies:
                del self.fields[body.value]

    def recipients(self) -> dict[str, str]:
        return {body: self.cleaned_data[body] for body in NationalBody.values if body in self.cleaned_data}
