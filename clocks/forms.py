"""GOV.UK forms for clock actions and the calendars."""

from typing import Any

from django import forms

from clocks.models import ClockRule
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


class DueFilterForm(forms.Form):
    group = forms.ChoiceField(
        label="When",
        required=False,
        choices=[("", "Any time"), *((g, DueGroup.LABELS[g]) for g in DueGroup.ORDER)],
    )
    rule = forms.ChoiceField(label="Deadline", required=False, choices=[("", "All deadlines"), *ClockRule.choices])
    mine = forms.BooleanField(label="Only deadlines I own", required=False)
