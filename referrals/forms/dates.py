"""Date questions with the exact GOV.UK 'Enter ...' message for a missing answer."""

from typing import Any

from django.core.exceptions import ValidationError

from core.forms import GOVUKDateField


class DateQuestion(GOVUKDateField):
    def __init__(self, *, required_message: str | None = None, **kwargs: Any) -> None:
        self.required_message = required_message
        kwargs.setdefault("past_only", True)
        kwargs.setdefault("required", required_message is not None)
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        if value is None and self.required and self.required_message:
            raise ValidationError(self.required_message, code="required")
        super().validate(value)
