"""GOV.UK date input (day, month, year) with the Design System's error messages."""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone


class GOVUKDateWidget(forms.MultiWidget):
    template_name = "govuk/forms/widgets/date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = [
            forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}
            ),
            forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}
            ),
            forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-4"}
            ),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
            return [parsed.day, parsed.month, parsed.year]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [str(data.get(f"{name}_{suffix}", "")).strip() for suffix in ("0", "1", "2")]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return all(f"{name}_{suffix}" not in data for suffix in ("0", "1", "2"))


class GOVUKDateField(forms.Field):
    """A date asked as day, month and year boxes.

    `past_only` rejects dates after today; `label` is used in messages ("Date of incident must
    include a month"), so write labels as noun phrases.
    """

    widget = GOVUKDateWidget

    def __init__(self, *, past_only: bool = False, future_only: bool = False, **kwargs: Any) -> None:
        self.past_only = past_only
        self.future_only = future_only
        super().__init__(**kwargs)

    def _name(self) -> str:
        return str(self.label or "Date")

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        if not value or not any(value):
            return None
        day_s, month_s, year_s = ([*list(value), "", "", ""])[:3]
        name = self._name()
        missing = [part for part, text in (("day", day_s), ("month", month_s), ("year", year_s)) if not text]
        if missing:
            raise ValidationError(f"{name} must include a {' and '.join(missing)}", code="incomplete")
        try:
            day, month, year = int(day_s), int(month_s), int(year_s)
        except ValueError:
            raise ValidationError(f"{name} must be a real date", code="invalid") from None
        if year < 1000:
            raise ValidationError("Year must include 4 numbers", code="invalid_year")
        if year < 1900:
            raise ValidationError(f"{name} must be in 1900 or later", code="too_early")
        try:
            result = date(year, month, day)
        except ValueError:
            raise ValidationError(f"{name} must be a real date", code="invalid") from None
        return result

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            name = self._name()[0].lower() + self._name()[1:]
            # "Enter the date of the event", not "Enter date of the event".
            article = "the " if name.startswith("date ") else ""
            raise ValidationError(f"Enter {article}{name}", code="required")
        if value is None:
            return
        today = timezone.localdate()
        if self.past_only and value > today:
            raise ValidationError(f"{self._name()} must be today or in the past", code="future")
        if self.future_only and value < today:
            raise ValidationError(f"{self._name()} must be today or in the future", code="past")

    def prepare_value(self, value: Any) -> Any:
        return value
