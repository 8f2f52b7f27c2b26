"""The one page for the summary's five short free-text sections (`sections.ONE_PAGE_SECTIONS`).

Each section keeps its own hidden version and editor token on the page, named after its answer
(`learning_version`, `learning_editor`): a save is checked against that section's version only,
and the page's autosave sends each part to its own section's address (`data-autosave-as` names
the field there)."""

import secrets
from typing import Any

from django import forms

from core.forms import VERSION_MAX, ServerCheckedLengths
from rapidreviews.forms.summaries import LABELS
from rapidreviews.models import AgencySummary
from rapidreviews.sections import ONE_PAGE_SECTIONS, Section


def answer_field(section: Section) -> str:
    (name,) = section.fields
    return name


class AnswersForm(ServerCheckedLengths, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in ONE_PAGE_SECTIONS:
            name = answer_field(section)
            label, _hint = LABELS[name]
            self.fields[name] = forms.CharField(
                label=label, help_text=section.hint, required=False, widget=forms.Textarea(attrs={"rows": 5})
            )
            self.fields[f"{name}_version"] = forms.IntegerField(
                widget=forms.HiddenInput(attrs={"data-autosave-as": "version"}), min_value=0, max_value=VERSION_MAX
            )
            self.fields[f"{name}_editor"] = forms.CharField(
                widget=forms.HiddenInput(attrs={"data-autosave-as": "editor"}), required=False, max_length=40
            )

    def parts(self) -> list[dict[str, Any]]:
        """Each section with its bound answer and hidden fields, in task-list order."""
        return [
            {
                "section": section,
                "answer": self[answer_field(section)],
                "version": self[f"{answer_field(section)}_version"],
                "editor": self[f"{answer_field(section)}_editor"],
            }
            for section in ONE_PAGE_SECTIONS
        ]


def answers_initial(agency_summary: AgencySummary) -> dict[str, Any]:
    """Each section's answer and its own version; a new editor token per section for this page."""
    versions = agency_summary.section_versions or {}
    initial: dict[str, Any] = {}
    for section in ONE_PAGE_SECTIONS:
        name = answer_field(section)
        initial[name] = getattr(agency_summary, name)
        initial[f"{name}_version"] = int(versions.get(section.slug, 0))
        initial[f"{name}_editor"] = secrets.token_urlsafe(12)
    return initial
