"""Saving the one page of short sections: each section on its own, as if from its own page."""

from dataclasses import dataclass, field

from accounts.models import User
from rapidreviews.models import AgencySummary
from rapidreviews.sections import Section
from rapidreviews.services.summaries import SummaryConflict, agency_summary_save


@dataclass(frozen=True)
class SectionAnswer:
    section: Section
    value: str
    version: int  # the section's own version the page was given (or its autosave last answered)
    editor: str = ""


@dataclass
class SectionsSaved:
    saved: list[Section] = field(default_factory=list)
    clashed: list[Section] = field(default_factory=list)


def agency_summary_save_sections(
    *, agency_summary: AgencySummary, actor: User, answers: list[SectionAnswer]
) -> SectionsSaved:
    """Saves each section that needs it, each in its own transaction with its own version check and
    audit event (`agency_summary_save`), so a clash on one section never holds up the others. A
    section needs saving when its text changed, or when it has text not yet saved as complete (an
    autosave left it in progress). Raises SummaryStateError when the summary has been sent."""
    outcome = SectionsSaved()
    for answer in answers:
        (name,) = answer.section.fields
        unchanged = answer.value == getattr(agency_summary, name)
        completed = answer.section.slug in (agency_summary.completed_sections or [])
        if unchanged and (completed or not answer.value):
            continue
        try:
            agency_summary_save(
                agency_summary=agency_summary,
                actor=actor,
                expected_version=answer.version,
                fields={name: answer.value},
                section=answer.section.slug,
                editor=answer.editor,
            )
        except SummaryConflict:
            outcome.clashed.append(answer.section)
        else:
            outcome.saved.append(answer.section)
    return outcome
