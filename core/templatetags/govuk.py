"""Template helpers for GOV.UK markup. Loaded as a builtin, so templates need no {% load %}."""

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

from core.forms.fields import PARTS, GOVUKDateWidget

register = template.Library()


@register.filter
def widget_kind(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, GOVUKDateWidget):
        return "date"
    # CheckboxSelectMultiple is a subclass of RadioSelect in Django: test it first, or a
    # "select all that apply" question renders as radios and keeps only one choice.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    return "input"


def describedby(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


_BASE_CLASS = {
    "input": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file": "govuk-file-upload",
}


@register.simple_tag
def govuk_widget(field: BoundField) -> SafeString:
    """The field's widget with GOV.UK classes, the error modifier and aria-describedby."""
    kind = widget_kind(field)
    base = _BASE_CLASS.get(kind, "")
    extra = field.field.widget.attrs.get("class", "")
    classes = " ".join(c for c in [base, extra] if c)
    if field.errors and base:
        classes += f" {base}--error"
    attrs: dict[str, Any] = {"class": classes}
    if described := describedby(field):
        attrs["aria-describedby"] = described
    return field.as_widget(attrs=attrs)


@register.filter
def field_describedby(field: BoundField) -> str:
    return describedby(field)


def date_parts_in_error(field: BoundField) -> set[str]:
    """The day, month or year boxes to highlight: those a date error names (`DateInputError.parts`),
    or all three for an error about the date as a whole ("must be today or in the past")."""
    wrong: set[str] = set()
    for error in field.errors.data:
        wrong.update(getattr(error, "parts", PARTS))
    return wrong


@register.filter
def first_input_id(field: BoundField) -> str:
    """Where an error-summary link should take focus: the first box or option of the field (of a
    date, the first box in error)."""
    kind = widget_kind(field)
    if kind == "date":
        wrong = date_parts_in_error(field)
        index = next((i for i, part in enumerate(PARTS) if part in wrong), 0)
        return f"{field.auto_id}_{index}"
    if kind in {"radios", "checkboxes"}:
        return f"{field.auto_id}_0"
    return str(field.id_for_label or field.auto_id)


@register.filter
def date_parts(field: BoundField) -> list[dict[str, Any]]:
    value = field.value()
    if not isinstance(value, list | tuple):
        value = field.field.widget.decompress(value)
    widths = ["2", "2", "4"]
    wrong = date_parts_in_error(field)
    parts = []
    for index, part in enumerate(PARTS):
        parts.append(
            {
                "id": f"{field.auto_id}_{index}",
                "name": f"{field.html_name}_{index}",
                "label": part.capitalize(),
                "width": widths[index],
                "value": "" if value is None or index >= len(value) or value[index] is None else value[index],
                "error": part in wrong,
            }
        )
    return parts


@register.filter
def is_checked(option_value: Any, field: BoundField) -> bool:
    value = field.value()
    if value is None:
        return False
    if isinstance(value, list | tuple):
        return str(option_value) in {str(v) for v in value}
    return str(option_value) == str(value)


@register.filter
def status_tag_class(status: str) -> str:
    """A GOV.UK tag colour for a status word the service uses."""
    colours = {
        "overdue": "govuk-tag--red",
        "late": "govuk-tag--red",
        "locked": "govuk-tag--red",
        "due_today": "govuk-tag--orange",
        "due today": "govuk-tag--orange",
        "returned": "govuk-tag--orange",
        "this_week": "govuk-tag--yellow",
        "in progress": "govuk-tag--light-blue",
        "draft": "govuk-tag--light-blue",
        "submitted": "govuk-tag--blue",
        "in_progress": "govuk-tag--light-blue",
        "open": "govuk-tag--blue",
        "met": "govuk-tag--green",
        "completed": "govuk-tag--green",
        "accepted": "govuk-tag--green",
        "active": "govuk-tag--green",
        "extended": "govuk-tag--purple",
        "paused": "govuk-tag--grey",
        "cancelled": "govuk-tag--grey",
        "not started": "govuk-tag--grey",
        "not_started": "govuk-tag--grey",
    }
    return colours.get(str(status).lower(), "govuk-tag--grey")
