"""GOV.UK forms for clock actions and the calendars."""

from itertools import pairwise
from typing import Any

from django import forms

from clocks.models import RapidReviewStart
from clocks.rules import registered_rules
from clocks.selectors import DueGroup
from core.forms import GOVUKDateField


def _reason(label: str, message: str, *, required: bool = True, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        help_text=hint,
        error_messages={"required": message, "max_length": f"{label} must be 2000 characters or fewer"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExtendForm(forms.Form):
    new_due = GOVUKDateField(label="New due date", help_text="For example, 27 2 2026")
    reason = _reason("Why is the deadline extended?", "Enter why the deadline is extended")
    agreed_by = forms.CharField(
        label="Who agreed the extension?",
        max_length=200,
        help_text="For example, the Panel secretariat, or the partnership chair",
        error_messages={"required": "Enter who agreed the extension"},
    )

    def __init__(self, *args: Any, current_due: Any = None, **kwargs: Any) -> None:
        self.current_due = current_due
        super().__init__(*args, **kwargs)

    def clean_new_due(self) -> Any:
        new_due = self.cleaned_data["new_due"]
        if self.current_due and new_due and new_due <= self.current_due:
            raise forms.ValidationError(f"New due date must be after {self.current_due:%-d %B %Y}")
        return new_due


class PauseForm(forms.Form):
    on = GOVUKDateField(label="Date the clock stops", help_text="For example, 12 1 2026")
    reason = _reason("Why is the deadline paused?", "Enter why the deadline is paused")


class ResumeForm(forms.Form):
    on = GOVUKDateField(label="Date the clock restarts", help_text="For example, 19 1 2026")

    def __init__(self, *args: Any, paused_on: Any = None, **kwargs: Any) -> None:
        self.paused_on = paused_on
        super().__init__(*args, **kwargs)

    def clean_on(self) -> Any:
        on = self.cleaned_data["on"]
        if self.paused_on and on and on < self.paused_on:
            raise forms.ValidationError(f"Date the clock restarts must be on or after {self.paused_on:%-d %B %Y}")
        return on


class CompleteForm(forms.Form):
    on = GOVUKDateField(label="Date it was done", past_only=True, help_text="For example, 14 1 2026")
    late_reason = _reason(
        "Why was it late?",
        "Enter why it was late",
        required=False,
        hint="Needed when it was done after the due date",
    )

    def __init__(self, *args: Any, due: Any = None, start: Any = None, informational: bool = False, **kwargs: Any):
        self.due, self.start, self.informational = due, start, informational
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        on = data.get("on")
        if on and self.start and on < self.start:
            self.add_error("on", f"Date it was done must be on or after {self.start:%-d %B %Y}")
        elif on and self.due and on > self.due and not self.informational and not data.get("late_reason", "").strip():
            self.add_error("late_reason", "Enter why it was late")
        return data


class CancelForm(forms.Form):
    reason = _reason("Why is the deadline no longer needed?", "Enter why the deadline is cancelled")


class BankHolidayForm(forms.Form):
    day = GOVUKDateField(label="Date of the bank holiday", help_text="For example, 8 5 2028")
    name = forms.CharField(
        label="Name",
        max_length=120,
        help_text="As announced, for example 'Extra bank holiday for a national celebration'",
        error_messages={"required": "Enter the name of the bank holiday"},
    )


class ClosureDayForm(forms.Form):
    day = GOVUKDateField(label="Date of the closure", help_text="For example, 29 12 2026")
    name = forms.CharField(
        label="What is the closure for?",
        max_length=120,
        help_text="For example, 'Office closed between Christmas and New Year'",
        error_messages={"required": "Enter what the closure is for"},
    )


def rule_choices() -> list[tuple[str, str]]:
    return [("", "All deadlines"), *((r.name, r.label) for r in registered_rules())]


class DueFilterForm(forms.Form):
    group = forms.ChoiceField(
        label="When",
        required=False,
        choices=[("", "Any time"), *((g, DueGroup.LABELS[g]) for g in DueGroup.ORDER)],
    )
    rule = forms.ChoiceField(label="Deadline", required=False, choices=rule_choices)
    mine = forms.BooleanField(label="Only deadlines I or my agency own", required=False)


def _day(label: str, hint: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=60,
        help_text=hint,
        error_messages={
            "required": f"Enter the working day for {label[0].lower() + label[1:]}",
            "invalid": f"{label} must be a whole number, like 8",
            "min_value": f"{label} must be 1 or more",
            "max_value": f"{label} must be 60 or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )


TIMETABLE_FIELDS = ("rr_requests_out_day", "rr_returns_day", "rr_meeting_day", "rr_sign_off_day", "rr_submission_day")


class ClockSettingsForm(forms.Form):
    rapid_review_start = forms.ChoiceField(
        label="When does the rapid review's clock start?",
        choices=RapidReviewStart.choices,
        widget=forms.RadioSelect,
        help_text="Applies to rapid reviews started from now on",
        error_messages={"required": "Select when the rapid review's clock starts"},
    )
    rapid_review_days = _day("Rapid review working days", "The Panel expects 15")
    rr_requests_out_day = _day("Information requests sent by working day")
    rr_returns_day = _day("Agency summaries due by working day")
    rr_meeting_day = _day("Rapid review meeting held by working day")
    rr_sign_off_day = _day("Sign-off by working day")
    rr_submission_day = _day("Sent to the Panel by working day")
    panel_reply_days = _day("Panel's response expected after working days")
    reminder_offsets = forms.CharField(
        label="Remind owners this many working days before a deadline",
        max_length=40,
        help_text="Separate numbers with commas; 0 is the due date itself. For example, 2, 0",
        error_messages={"required": "Enter when to remind owners, for example 2, 0"},
    )
    escalate_overdue = forms.BooleanField(label="Email the review coordinators about overdue deadlines", required=False)
    signoff_wait_for_comments = forms.BooleanField(
        label="Keep sign-off open for the independent scrutineer's and the chair's comments",
        help_text="After the three partners approve, sign-off is complete only once both have commented or the "
        "time below has passed",
        required=False,
    )
    signoff_comment_days = forms.IntegerField(
        label="Time for their comments, in working days",
        min_value=1,
        max_value=10,
        required=False,
        help_text="Used only when sign-off is kept open for their comments. 2 if left empty",
        error_messages={
            "invalid": "Time for their comments must be a whole number of working days, like 2",
            "min_value": "Time for their comments must be 1 working day or more",
            "max_value": "Time for their comments must be 10 working days or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )

    lr_written_request_days = forms.IntegerField(
        label="Time for the reviewer to answer the partners' written request, in working days",
        min_value=1,
        max_value=60,
        required=False,
        help_text="Local reviews. 10 if left empty",
        error_messages={
            "invalid": "Time for the reviewer to answer must be a whole number of working days, like 10",
            "min_value": "Time for the reviewer to answer must be 1 working day or more",
            "max_value": "Time for the reviewer to answer must be 60 working days or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )
    lr_checkpoint_weeks = forms.IntegerField(
        label="Hold a progress checkpoint on each local review every this many weeks",
        min_value=1,
        max_value=26,
        required=False,
        help_text="Counted from the partners' decision to hold the review. 4 if left empty",
        error_messages={
            "invalid": "Weeks between checkpoints must be a whole number, like 4",
            "min_value": "Weeks between checkpoints must be 1 or more",
            "max_value": "Weeks between checkpoints must be 26 or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )

    def clean_lr_written_request_days(self) -> int:
        days = self.cleaned_data.get("lr_written_request_days")
        return 10 if days is None else int(days)

    def clean_lr_checkpoint_weeks(self) -> int:
        weeks = self.cleaned_data.get("lr_checkpoint_weeks")
        return 4 if weeks is None else int(weeks)

    def clean_signoff_comment_days(self) -> int:
        days = self.cleaned_data.get("signoff_comment_days")
        return 2 if days is None else int(days)

    def clean_reminder_offsets(self) -> list[int]:
        parts = [p.strip() for p in self.cleaned_data["reminder_offsets"].split(",") if p.strip()]
        if not parts or not all(p.isdigit() and int(p) <= 20 for p in parts):
            raise forms.ValidationError("Enter whole numbers from 0 to 20 separated by commas, for example 2, 0")
        return sorted({int(p) for p in parts}, reverse=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ordered = [int(data[f]) for f in TIMETABLE_FIELDS if data.get(f) is not None]
        if len(ordered) == len(TIMETABLE_FIELDS) and any(a > b for a, b in pairwise(ordered)):
            self.add_error("rr_returns_day", "Each step of the timetable must be on or after the step before it")
        return data
