"""The forms of the final report's sign-off, sending it ahead of publication and the publication
decision. Each comes back with its errors and what was typed."""

from typing import Any

from django import forms

from core.forms import GOVUKDateField, ServerCheckedLengths, VersionedForm
from localreviews.models import NationalBody
from localreviews.signoff_models import FinalDecision, Publication, SentWhat

LETTER_MAX = 20000


def _email(body: str, who: str) -> forms.EmailField:
    return forms.EmailField(
        label=f"Email address of the {who}",
        max_length=254,
        error_messages={
            "required": f"Enter the email address of the {who}",
            "invalid": f"Enter the email address of the {who} in the correct format, like name@example.org",
            "max_length": f"Email address of the {who} must be 254 characters or fewer",
        },
    )


def _text(label: str, help_text: str = "", rows: int = 5, max_length: int = 10000, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": f"{label} must be {max_length:,} characters or fewer"},
        **kwargs,
    )


class PutForwardForm(VersionedForm):
    """The coordinator puts a kept version of the report forward as final."""

    report_version = forms.ChoiceField(
        label="Which version is the final report?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the version that is the final report",
            "invalid_choice": "Select the version that is the final report",
        },
    )
    note = _text("Note to the partners", "Optional. For example, what changed since the last version", rows=3)

    def __init__(self, *args: Any, versions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report_version"].choices = [(str(pk), label) for pk, label in versions]


class FinalStepForm(ServerCheckedLengths, forms.Form):
    """A partner's delegate approves or asks for changes; the scrutineer or the chair comments."""

    decision = forms.ChoiceField(
        label="Do you approve the final report?",
        choices=[
            (FinalDecision.APPROVED, "Yes, I approve it"),
            (FinalDecision.CHANGES, "No, I am asking for changes"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you approve the final report"},
    )
    comments = _text("Comments", "Needed if you ask for changes: say what should change")

    def __init__(self, *args: Any, commenting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commenting = commenting
        if commenting:
            del self.fields["decision"]
            self.fields["comments"].label = "Your comments on the final report"
            self.fields["comments"].help_text = ""
            self.fields["comments"].required = True
            self.fields["comments"].error_messages["required"] = "Enter your comments"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.commenting:
            data["decision"] = FinalDecision.COMMENT
        elif data.get("decision") == FinalDecision.CHANGES and not data.get("comments", "").strip():
            self.add_error("comments", "Enter the changes you are asking for")
        return data


class SendAheadForm(VersionedForm):
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    what = forms.ChoiceField(
        label="What is being sent?",
        choices=SentWhat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what is being sent"},
    )
    improvements = _text(
        "The information about improvements",
        "Needed if only this will be published: the improvements that should be made, as they will be published",
        rows=8,
        max_length=LETTER_MAX,
    )
    panel = _email(NationalBody.PANEL, "Panel")
    dfe = _email(NationalBody.DFE, "Secretary of State")
    letter = forms.CharField(
        label="The covering letter",
        help_text="Drafted from the record. Check it and change it as needed: it is sent as written.",
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=LETTER_MAX,
        error_messages={"required": "Enter the letter", "max_length": "The letter must be 20,000 characters or fewer"},
    )
    sent_on = GOVUKDateField(
        label="Date sent",
        help_text="Today, unless it went by another route earlier. For example, 2 4 2026",
        past_only=True,
        error_messages={"required": "Enter the date sent"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("what") == SentWhat.IMPROVEMENTS and not data.get("improvements", "").strip():
            self.add_error("improvements", "Enter the information about improvements")
        return data

    def recipients(self) -> dict[str, str]:
        return {"panel": self.cleaned_data["panel"], "dfe": self.cleaned_data["dfe"]}


class PublicationForm(VersionedForm):
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    decision = forms.ChoiceField(
        label="What have the partners decided?",
        choices=Publication.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the partners have decided"},
    )
    planned_on = GOVUKDateField(
        label="Planned publication date",
        help_text="Needed to publish: on or after the earliest publication date. For example, 15 4 2026",
        required=False,
    )
    reasons = _text(
        "Reasons",
        "Needed to delay, or to publish only the improvements: for example, a criminal trial not yet concluded",
    )
    panel = _email(NationalBody.PANEL, "Panel")
    dfe = _email(NationalBody.DFE, "Secretary of State")
    letter = _text(
        "Letter of the reasons for the delay",
        "Needed to delay: sent to the Panel and the Secretary of State. Leave empty to draft it from your reasons.",
        rows=12,
        max_length=LETTER_MAX,
    )
    decided_on = GOVUKDateField(
        label="Date of the decision",
        help_text="For example, 2 4 2026",
        past_only=True,
        error_messages={"required": "Enter the date of the decision"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The addresses matter only for a delay: asked there, not for the other decisions.
        for name in ("panel", "dfe"):
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision == Publication.PUBLISH and data.get("planned_on") is None and "planned_on" not in self.errors:
            self.add_error("planned_on", "Enter the planned publication date")
        if decision == Publication.DELAY and not data.get("reasons", "").strip():
            self.add_error("reasons", "Enter the reasons for the delay")
        if decision == Publication.IMPROVEMENTS and not data.get("reasons", "").strip():
            self.add_error("reasons", "Enter why only the information about improvements will be published")
        if decision == Publication.DELAY:
            for name, who in (("panel", "Panel"), ("dfe", "Secretary of State")):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, f"Enter the email address of the {who}")
        return data

    def recipients(self) -> dict[str, str]:
        return {"panel": self.cleaned_data.get("panel", ""), "dfe": self.cleaned_data.get("dfe", "")}
