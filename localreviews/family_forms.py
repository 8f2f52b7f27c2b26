"""The family involvement log's form: one entry, added or changed."""

from typing import Any

from django import forms

from core.forms import GOVUKDateField, VersionedForm
from localreviews.family_models import FamilyResponse, OfferHow
from localreviews.family_services import Contact

LONG = 20000


def _text(label: str, help_text: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": f"{label.removesuffix(' (optional)')} must be {LONG:,} characters or fewer"},
    )


class FamilyContactForm(VersionedForm):
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    who = forms.CharField(
        label="Who the offer was made to",
        help_text="Their relationship to the child, for example Mother or Maternal grandparent. Do not give their name",
        max_length=200,
        error_messages={
            "required": "Enter who the offer was made to",
            "max_length": "Who the offer was made to must be 200 characters or fewer",
        },
    )
    offer_made_on = GOVUKDateField(label="Date the offer was made", help_text="For example, 27 3 2026", past_only=True)
    offer_how = forms.ChoiceField(
        label="How the offer was made",
        choices=OfferHow.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the offer was made"},
    )
    response = forms.ChoiceField(
        label="Their answer",
        choices=FamilyResponse.choices,
        widget=forms.RadioSelect,
        initial=FamilyResponse.NO_RESPONSE,
        error_messages={"required": "Select their answer"},
    )
    responded_on = GOVUKDateField(
        label="Date of their answer", help_text="Leave empty until they answer", required=False, past_only=True
    )
    contribution = _text(
        "How they contributed (optional)",
        "For example, met the reviewer at home, wrote to the review, read the draft report",
    )
    consent_for = _text(
        "What they consented to (optional)",
        "For example, their words being quoted in the report, the reviewer reading the child's health records",
        rows=3,
    )
    consent_on = GOVUKDateField(label="Date consent was given", required=False, past_only=True)
    notes = _text("Notes (optional)", rows=4)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        response, responded_on = data.get("response"), data.get("responded_on")
        answered = response in (FamilyResponse.ACCEPTED, FamilyResponse.DECLINED)
        if answered and not responded_on and "responded_on" not in self.errors:
            self.add_error("responded_on", "Enter the date of their answer")
        if response == FamilyResponse.NO_RESPONSE and responded_on:
            self.add_error("responded_on", "Leave the date of their answer empty until they answer")
        offered = data.get("offer_made_on")
        if offered and responded_on and responded_on < offered:
            self.add_error("responded_on", "Date of their answer must be on or after the date the offer was made")
        if data.get("contribution", "").strip() and response != FamilyResponse.ACCEPTED:
            self.add_error("contribution", "Record how they contributed once they have accepted the offer")
        consent_for, consent_on = data.get("consent_for", "").strip(), data.get("consent_on")
        if consent_for and not consent_on and "consent_on" not in self.errors:
            self.add_error("consent_on", "Enter the date consent was given")
        if consent_on and not consent_for:
            self.add_error("consent_for", "Enter what they consented to")
        return data

    def contact(self) -> Contact:
        d = self.cleaned_data
        return Contact(
            who=d["who"],
            offer_made_on=d["offer_made_on"],
            offer_how=d["offer_how"],
            response=d["response"],
            responded_on=d["responded_on"],
            contribution=d["contribution"],
            consent_for=d["consent_for"],
            consent_on=d["consent_on"],
            notes=d["notes"],
        )
