"""GOV.UK date input (day, month, year) with the Design System's error messages."""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

PARTS = ("day", "month", "year")

# GOV.UK asks services to accept months typed as words ("March", "mar", "Sept") as well as numbers.
# Written out here, not taken from `calendar`, whose names follow the server's locale.
_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTHS_BY_NAME = {
    **{name: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3]: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    "sept": 9,
}


def ascii_number(text: str, *, max_digits: int) -> int | None:
    """The whole number typed in `text` if it is only the digits 0 to 9 (at most `max_digits` of them).

    `int()` alone is too forgiving for a form: it takes '+5', '-5', '1_0', ' 5 ' and other scripts'
    digits ('١٢', '１２'), and a number with thousands of digits makes `date()` overflow instead of
    saying the date is wrong. Anything else gives None, for the caller's GOV.UK message.
    """
    if not text or len(text) > max_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


class DateInputError(ValidationError):
    """A date error that names the boxes to highlight: GOV.UK highlights only the day, month or
    year that is missing or wrong, and the whole date when the date as a whole is the problem."""

    def __init__(self, message: str, *, code: str, parts: tuple[str, ...] = PARTS) -> None:
        super().__init__(message, code=code)
        self.parts = parts


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
    include a month", "The year of the date of incident must include 4 numbers"), so write labels
    as noun phrases. Whatever is typed gives a date or a GOV.UK message, never an exception.
    """

    widget = GOVUKDateWidget
    earliest_year = 1900

    def __init__(self, *, past_only: bool = False, future_only: bool = False, **kwargs: Any) -> None:
        self.past_only = past_only
        self.future_only = future_only
        super().__init__(**kwargs)

    def _name(self) -> str:
        return str(self.label or "Date")

    def _in_sentence(self) -> str:
        """The label inside a sentence: 'Date of incident' -> 'the date of incident'."""
        name = self._name()
        if not name[:2].isupper():  # keep "SIN date" as it is
            name = name[0].lower() + name[1:]
        return name if name.startswith(("the ", "your ")) else f"the {name}"

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        if not isinstance(value, list | tuple):
            value = []
        day_s, month_s, year_s = ("" if part is None else str(part).strip() for part in [*value, "", "", ""][:3])
        if not (day_s or month_s or year_s):
            return None
        name = self._name()
        missing = tuple(part for part, text in zip(PARTS, (day_s, month_s, year_s), strict=True) if not text)
        if missing:
            raise DateInputError(f"{name} must include a {' and '.join(missing)}", code="incomplete", parts=missing)
        day = ascii_number(day_s, max_digits=2)
        month = ascii_number(month_s, max_digits=2) or MONTHS_BY_NAME.get(month_s.lower())
        wrong = []
        if day is None or not 1 <= day <= 31:
            wrong.append("day")
        if month is None or not 1 <= month <= 12:
            wrong.append("month")
        if not (year_s.isascii() and year_s.isdigit()):
            wrong.append("year")
        if wrong:
            # One box wrong: highlight it; several: the date as a whole (GOV.UK).
            parts = tuple(wrong) if len(wrong) == 1 else PARTS
            raise DateInputError(f"{name} must be a real date", code="invalid", parts=parts)
        if len(year_s) != 4:
            raise DateInputError(
                f"The year of {self._in_sentence()} must include 4 numbers", code="invalid_year", parts=("year",)
            )
        assert day is not None and month is not None  # for mypy: `wrong` is empty
        year = int(year_s)
        if year < self.earliest_year:
            raise DateInputError(f"{name} must be in {self.earliest_year} or later", code="too_early", parts=("year",))
        try:
            return date(year, month, day)
        except (ValueError, OverflowError):  # 31 February, 29 February outside a leap year
            raise DateInputError(f"{name} must be a real date", code="invalid", parts=("day",)) from None

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            # "Enter the date of the event", "Enter the due date": not "Enter date of the event".
            raise ValidationError(f"Enter {self._in_sentence()}", code="required")
        if value is None:
            return
        today = timezone.localdate()
        if self.past_only and value > today:
            raise ValidationError(f"{self._name()} must be today or in the past", code="future")
        if self.future_only and value < today:
            raise ValidationError(f"{self._name()} must be today or in the future", code="past")

    def prepare_value(self, value: Any) -> Any:
        return value
