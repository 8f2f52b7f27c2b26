import datetime as dt
from typing import Any

from django import forms

from core.forms import GOVUKDateField, ServerCheckedLengths
from rapidreviews.models import PanelResponseKind
from rapidreviews.services.submission import REOPENABLE


class SubmissionForm(ServerCheckedLengths, forms.Form):
    late_reason = forms.CharField(
        label="If the rapid review is late, why?",
        help_text="Needed only after the 15th working day",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, outstanding: list[Any] | None = None, **kwargs: Any) -> None:
        """`outstanding`: the requests whose summary has not come in. Sending without them is a
        choice the coordinator confirms, with the reason the document and the ledger will give."""
        super().__init__(*args, **kwargs)
        self.outstanding = list(outstanding or [])
        if self.outstanding:
            self.fields["send_without"] = forms.BooleanField(
                label="Send the rapid review to the Panel without these summaries",
                required=True,
                error_messages={"required": "Confirm that the rapid review goes to the Panel without these summaries"},
            )
            self.fields["missing_reason"] = forms.CharField(
                label="Why is the rapid review being sent without them?",
                help_text="This goes into the rapid review document and is sent to the agencies' leads",
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"required": "Enter why the rapid review is being sent without these summaries"},
            )
            # The requests the page warned about: one sent or asked meanwhile means deciding again.
            self.fields["sent_without"] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=",".join(str(r.pk) for r in self.outstanding)
            )
            self.order_fields(["send_without", "missing_reason", "sent_without", "late_reason"])

    def sent_without_ids(self) -> list[int]:
        raw = str(self.cleaned_data.get("sent_without") or "")
        return [int(part) for part in raw.split(",") if part.strip().isdigit() and len(part.strip()) < 12]


NATIONAL_REVIEW_CHOICES = [("yes", "Yes, the Panel will hold a national review"), ("no", "No national review")]


class PanelResponseForm(ServerCheckedLengths, forms.Form):
    received_on = GOVUKDateField(label="Date the Panel responded", past_only=True)
    kind = forms.ChoiceField(
        label="What did the Panel say about the partners' decision?",
        choices=PanelResponseKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the Panel said about the partners' decision"},
    )
    national_review = forms.ChoiceField(
        label="Will the Panel hold a national review of this case?",
        help_text="Whatever it said about the decision",
        choices=NATIONAL_REVIEW_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the Panel will hold a national review"},
    )
    summary = forms.CharField(
        label="Summary of the Panel's response",
        max_length=20000,
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

    def __init__(self, *args: Any, sent_on: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sent_on = sent_on

    def clean_national_review(self) -> bool:
        return self.cleaned_data["national_review"] == "yes"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reopens = data.get("kind") in (PanelResponseKind.CHALLENGES, PanelResponseKind.MORE_INFORMATION)
        if reopens and not data.get("reopen"):
            self.add_error("reopen", "Select the parts of the rapid review the Panel's response concerns")
        if data.get("kind") and not reopens and data.get("reopen"):
            self.add_error(
                "reopen",
                "Only a challenge or a request for more information reopens parts of the rapid review: "
                "untick the parts, or choose what the Panel said again",
            )
        received = data.get("received_on")
        if received and self.sent_on and received < self.sent_on:
            self.add_error(
                "received_on",
                f"Date the Panel responded must be on or after {self.sent_on:%-d %B %Y}, when the rapid review was sent",
            )
        return data
