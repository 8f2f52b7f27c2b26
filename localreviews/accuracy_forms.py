"""The factual accuracy round's forms: sending a version to agencies, an agency's comment (or a
reply), changing a comment, and the reviewer's decision on one."""

from collections.abc import Sequence
from typing import Any

from django import forms

from core.forms import ServerCheckedLengths, VersionedForm
from localreviews.accuracy_models import Decision
from localreviews.report_models import ReportSection

LONG = 10000


def _text(label: str, required: bool = True, help_text: str = "", rows: int = 6) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": f"Enter {label.lower()}",
            "max_length": f"{label} must be {LONG:,} characters or fewer",
        },
    )


class SendForm(ServerCheckedLengths, forms.Form):
    report_version = forms.ChoiceField(
        label="Which version of the report?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the version to send", "invalid_choice": "Select the version to send"},
    )
    agencies = forms.MultipleChoiceField(
        label="Which agencies check its facts?",
        help_text="The agencies involved in the case. Each agency's safeguarding leads are emailed a link to the draft",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one agency",
            "invalid_choice": "Select agencies involved in the case",
        },
    )
    message = _text("Message to the agencies", required=False, help_text="Optional. Included in the email", rows=4)

    def __init__(
        self, *args: Any, versions: Sequence[tuple[int, str]], agencies: Sequence[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report_version"].choices = [(str(pk), label) for pk, label in versions]
        self.fields["agencies"].choices = [(str(pk), name) for pk, name in agencies]


class CommentForm(ServerCheckedLengths, forms.Form):
    """An agency's comment on a section, or a reply in a thread (no agency or section to choose)."""

    agency = forms.ChoiceField(
        label="Which agency do you comment for?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the agency you comment for",
            "invalid_choice": "Select the agency you comment for",
        },
    )
    section = forms.ChoiceField(
        label="Which section is it about?",
        choices=ReportSection.choices,
        error_messages={
            "required": "Select the section the comment is about",
            "invalid_choice": "Select the section the comment is about",
        },
    )
    text = _text("Your comment", help_text="What is inaccurate or missing, and what it should say")

    def __init__(self, *args: Any, agencies: Sequence[tuple[int, str]], reply: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reply:
            del self.fields["agency"]
            del self.fields["section"]
            self.fields["text"].label = "Your reply"
            self.fields["text"].help_text = ""
            self.fields["text"].error_messages["required"] = "Enter your reply"
        else:
            self.fields["agency"].choices = [(str(pk), name) for pk, name in agencies]
            if len(agencies) == 1:
                self.fields["agency"].widget = forms.HiddenInput()
                self.fields["agency"].initial = str(agencies[0][0])


class CommentEditForm(VersionedForm):
    text = _text("Your comment")


class DecisionForm(VersionedForm):
    decision = forms.ChoiceField(
        label="Do you accept the comment?",
        choices=[(Decision.ACCEPTED, "Accept: the report will be changed"), (Decision.DECLINED, "Decline")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you accept or decline the comment",
            "invalid_choice": "Select whether you accept or decline the comment",
        },
    )
    reason = _text("Reason", required=False, help_text="Needed to decline. The agency reads it", rows=4)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == Decision.DECLINED and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter why you decline the comment")
        return data


class CloseForm(VersionedForm):
    pass
