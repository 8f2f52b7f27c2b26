import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from cases.models import Case
from clocks.calendar import holiday_dates
from core.forms import GOVUKDateField, ServerCheckedLengths, VersionedForm, parse_time
from core.workdays import is_working_day
from rapidreviews.models import ImmediateActionStatus, RapidReviewDecision, Regulation11Criterion, Theme
from rapidreviews.services.meeting_state import meeting_date_error


def within_years(day: dt.date, years: int) -> bool:
    """A date a person could mean for this review: not years away (a mistyped year, '2099')."""
    today = timezone.localdate()
    return abs((day - today).days) <= 366 * years


class MeetingForm(ServerCheckedLengths, forms.Form):
    date = GOVUKDateField(label="Date of the meeting")
    start_time = forms.CharField(
        label="Start time",
        help_text="For example, 10:00",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the start time"},
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        initial=120,
        min_value=15,
        max_value=600,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the length of the meeting",
            "invalid": "Length must be a number of minutes, like 90",
            "min_value": "Length must be at least 15 minutes",
            "max_value": "Length must be 600 minutes or fewer",
        },
    )
    place = forms.CharField(
        label="Place (optional)",
        required=False,
        max_length=300,
        error_messages={"max_length": "Place must be 300 characters or fewer"},
    )
    online_link = forms.URLField(
        label="Online meeting link (optional)",
        required=False,
        max_length=200,
        error_messages={
            "invalid": "Enter the link in the correct format, like https://meet.example/abc",
            "max_length": "Online meeting link must be 200 characters or fewer",
        },
    )
    members = forms.MultipleChoiceField(
        label="Members",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the meeting's members"},
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["members"].choices = [(str(pk), label) for pk, label in people]  # type: ignore[attr-defined]

    def clean_start_time(self) -> dt.time:
        parsed = parse_time(self.cleaned_data.get("start_time", ""))
        if parsed is None:
            raise forms.ValidationError("Enter the start time in hours and minutes, for example 10:00")
        return parsed

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("place") and not data.get("online_link") and "online_link" not in self.errors:
            self.add_error("place", "Enter the place or an online meeting link")
        when = data.get("date")
        before_sin = meeting_date_error(self.case, when, "Date of the meeting") if when and self.case else None
        if when and not within_years(when, 1):
            self.add_error("date", "Date of the meeting must be within a year of today")
        elif before_sin:
            self.add_error("date", before_sin)
        elif when and not is_working_day(when, holiday_dates()):
            kind = "a weekend" if when.weekday() >= 5 else "a bank holiday"
            self.add_error("date", f"Date of the meeting must be a working day: {when:%A %-d %B} is {kind}")
        return data


class MeetingHeldForm(forms.Form):
    """That the meeting took place, and on which day: not in the future, not before the SIN."""

    held_on = GOVUKDateField(label="Date the meeting was held", past_only=True)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        held_on = data.get("held_on")
        refused = meeting_date_error(self.case, held_on, "Date the meeting was held") if held_on else None
        if refused:
            self.add_error("held_on", refused)
        return data


class RecordForm(VersionedForm):
    incident_summary = forms.CharField(
        label="Summary of the incident and current circumstances",
        help_text="Include the status of other children in the household",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    family_context = forms.CharField(
        label="Family composition and context",
        help_text="Ethnicity, culture, religion, language and disability",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    facts_agreed = forms.CharField(
        label="Facts agreed by the meeting", required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    learning = forms.CharField(label="Learning identified", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    family_informed = forms.CharField(
        label="Family informed or engaged", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        texts = ("incident_summary", "family_context", "facts_agreed", "learning", "family_informed")
        if not any(str(data.get(name, "")).strip() for name in texts) and not self.errors:
            self.add_error("incident_summary", "Enter at least one part of the meeting record")
        return data


class DecisionForm(VersionedForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=RapidReviewDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the decision"},
    )
    alternative_review_type = forms.CharField(
        label="Type of alternative learning review",
        help_text="For example, a multi-agency learning review, an appreciative inquiry or a thematic review",
        required=False,
        max_length=200,
        error_messages={"max_length": "Type of alternative learning review must be 200 characters or fewer"},
    )
    decision_rationale = forms.CharField(
        label="Rationale", widget=forms.Textarea(attrs={"rows": 8}), error_messages={"required": "Enter the rationale"}
    )
    themes = forms.MultipleChoiceField(
        label="Themes", choices=Theme.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("decision") == RapidReviewDecision.ALTERNATIVE
            and not data.get("alternative_review_type", "").strip()
        ):
            self.add_error("alternative_review_type", "Enter the type of alternative learning review")
        return data


class CriteriaFormBase(forms.Form):
    """The four criteria, each answered in its own time: a criterion left unanswered is saved as
    not yet considered; notes need an answer beside them."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for criterion in Regulation11Criterion.Criterion:
            if data.get(f"notes_{criterion.value}", "").strip() and not data.get(f"answer_{criterion.value}"):
                self.add_error(f"answer_{criterion.value}", f"Select whether criterion ({criterion.value}) is met")
        return data


def criteria_form_class() -> type[forms.Form]:
    fields: dict[str, forms.Field] = {}
    for criterion in Regulation11Criterion.Criterion:
        fields[f"answer_{criterion.value}"] = forms.ChoiceField(
            label=f"Criterion {criterion.label}",
            choices=Regulation11Criterion.Answer.choices,
            widget=forms.RadioSelect,
            required=False,
        )
        fields[f"notes_{criterion.value}"] = forms.CharField(
            label=f"Notes on criterion ({criterion.value})", required=False, widget=forms.Textarea(attrs={"rows": 3})
        )
        fields[f"version_{criterion.value}"] = _version_field()
    return type("CriteriaForm", (CriteriaFormBase,), fields)


VERSION_LIMIT = 2**31 - 1  # a version out of range is a stale or forged page, not a 500


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=VERSION_LIMIT)


class ImmediateActionForm(ServerCheckedLengths, forms.Form):
    # The version the page showed (0 for a new action), and the "add" form's own token.
    version = _version_field()
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    description = forms.CharField(
        label="Action", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Enter the action"}
    )
    owner = forms.CharField(
        label="Owner",
        help_text="The person or agency responsible",
        max_length=200,
        error_messages={"required": "Enter the owner", "max_length": "Owner must be 200 characters or fewer"},
    )
    due = GOVUKDateField(label="Due date")
    status = forms.ChoiceField(
        label="Status",
        choices=ImmediateActionStatus.choices,
        widget=forms.RadioSelect,
        initial=ImmediateActionStatus.OPEN,
    )
    evidence = forms.CharField(
        label="Evidence",
        help_text="What shows the action is done. Needed once it is done",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == ImmediateActionStatus.DONE and not data.get("evidence", "").strip():
            self.add_error("evidence", "Enter the evidence that the action is done")
        due = data.get("due")
        if due and not within_years(due, 2):
            self.add_error("due", "Due date must be within 2 years of today")
        return data
