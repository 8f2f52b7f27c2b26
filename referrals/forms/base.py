"""A question page's form: reads its initial answers from a model and writes back the answers
that are valid, so a partly answered page (or an autosave) never loses what was typed."""

from typing import Any, ClassVar

from django import forms
from django.db import models


def radios(label: str, choices: Any, required_message: str, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
        **kwargs,
    )


def text(
    label: str,
    required_message: str | None = None,
    *,
    long: bool = False,
    error_messages: dict[str, str] | None = None,
    **kwargs: Any,
) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 5}) if long else forms.TextInput()
    messages = {"required": required_message or ""}
    if kwargs.get("max_length"):
        # Not Django's "Ensure this value has at most 5 characters (it has 8)."
        messages["max_length"] = f"Enter {kwargs['max_length']} characters or fewer"
    return forms.CharField(
        label=label,
        required=required_message is not None,
        error_messages={**messages, **(error_messages or {})},
        widget=widget,
        **kwargs,
    )


class StepForm(forms.Form):
    """A form whose fields share their names with attributes of `instance`."""

    m2m_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, instance: models.Model, **kwargs: Any) -> None:
        self.instance = instance
        if "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)
        self.adapt()

    def adapt(self) -> None:
        """Drop or change questions that do not apply to this instance."""

    def initial_from(self, instance: models.Model) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for name in self.base_fields:
            if name in self.m2m_fields:
                if instance.pk:
                    initial[name] = [obj.pk for obj in getattr(instance, name).all()]
            elif hasattr(instance, name):
                initial[name] = getattr(instance, name)
        return initial

    def apply(self, data: dict[str, Any]) -> None:
        """Writes answers onto the instance (saved by the caller); many-to-many after save."""
        for name, value in data.items():
            if name in self.m2m_fields or not hasattr(self.instance, name):
                continue
            field = self.instance._meta.get_field(name)
            if value is None and not field.null:
                value = [] if isinstance(field, models.JSONField) else ""
            setattr(self.instance, name, value)

    def apply_m2m(self, data: dict[str, Any]) -> None:
        for name in self.m2m_fields:
            if name in data:
                getattr(self.instance, name).set(data[name])

    def valid_answers(self) -> dict[str, Any]:
        """The answers that passed validation, whether or not the whole page did."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}


# Multiple-choice fields set this template: core's widget_kind sees CheckboxSelectMultiple (a
# RadioSelect subclass in Django) as radios, which would let people pick only one.
CHECKBOXES = "referrals/forms/checkboxes.html"


def checkboxes[F: forms.Field](field: F) -> F:
    field.template_name = CHECKBOXES  # type: ignore[attr-defined]  # Django 5+ Field attribute the stubs lack
    return field
