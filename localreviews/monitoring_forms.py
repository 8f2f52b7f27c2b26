"""The monitoring pages' forms: a written request to the reviewer and its answer, a progress
checkpoint, a delay and its end."""

from django import forms

from core.forms import GOVUKDateField, ServerCheckedLengths, VersionedForm
from localreviews.monitoring_models import DelayReason, ProgressRag, RequestWhat

LONG = 20000


def _text(label: str, required_message: str, help_text: str = "", required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": required_message, "max_length": f"{label} must be {LONG:,} characters or fewer"},
    )


class WrittenRequestForm(ServerCheckedLengths, forms.Form):
    """`token` is this form's own: sent twice, it asks once."""

    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    what = forms.ChoiceField(
        label="What are you asking the reviewer for?",
        choices=RequestWhat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you are asking the reviewer for"},
    )
    text = _text(
        "Your request",
        "Enter your request",
        "Say exactly what you need and why: for example, the chronology as it stands, or the draft of section 4",
    )
    asked_on = GOVUKDateField(
        label="Date of the request",
        help_text="Today, unless it was made in writing earlier. For example, 20 3 2026",
        past_only=True,
        error_messages={"required": "Enter the date of the request"},
    )


class AnswerForm(VersionedForm):
    answer = _text("Your answer", "Enter your answer", "If you are sending a draft, say where it is to be found")
    answered_on = GOVUKDateField(
        label="Date of the answer",
        help_text="For example, 27 3 2026",
        past_only=True,
        error_messages={"required": "Enter the date of the answer"},
    )


class CheckpointForm(ServerCheckedLengths, forms.Form):
    held_on = GOVUKDateField(
        label="Date it was held",
        help_text="For example, 30 3 2026",
        past_only=True,
        error_messages={"required": "Enter the date it was held"},
    )
    rag = forms.ChoiceField(
        label="Progress",
        choices=ProgressRag.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the progress of the review"},
    )
    notes = _text(
        "Notes",
        "",
        "How long the review is taking and its quality: what was checked and what was agreed",
        required=False,
    )


class DelayForm(ServerCheckedLengths, forms.Form):
    reason = forms.ChoiceField(
        label="What is holding the review?",
        choices=DelayReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what is holding the review"},
    )
    text = _text(
        "Reasons",
        "Enter the reasons for the delay",
        "These are the reasons given to the Panel and the Secretary of State",
    )
    starts_on = GOVUKDateField(
        label="Date the delay began",
        help_text="For example, 1 4 2026",
        past_only=True,
        error_messages={"required": "Enter the date the delay began"},
    )
    expected_until = GOVUKDateField(
        label="Date it is expected to end",
        help_text="If known. For example, 1 10 2026",
        required=False,
    )
    pause = forms.BooleanField(
        label="Pause the review's 6 months while this holds the review",
        help_text="They count again when the delay ends",
        required=False,
    )


class DelayEndForm(VersionedForm):
    ended_on = GOVUKDateField(
        label="Date the delay ended",
        help_text="For example, 1 10 2026",
        past_only=True,
        error_messages={"required": "Enter the date the delay ended"},
    )
