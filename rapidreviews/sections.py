"""The Individual Agency Summary's sections: one question page each, in task-list order."""

from dataclasses import dataclass

from rapidreviews.models import AgencyReturn


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    fields: tuple[str, ...]
    hint: str = ""


SECTIONS: tuple[Section, ...] = (
    Section(
        "involvement",
        "Period of involvement and summary",
        ("period_start", "period_end", "involvement_summary"),
        "The look-back period your agency covered, and a short account of its involvement with the child and family.",
    ),
    Section(
        "practice",
        "Key practice episodes",
        ("practice_went_well", "practice_could_differ"),
        "Analyse the key episodes: what went well and what could have been done differently. This is not about blame.",
    ),
    Section(
        "lived-experience",
        "The child's lived experience and voice",
        ("lived_experience",),
        "What was daily life like for the child? What did they say, show or want?",
    ),
    Section(
        "inequalities",
        "Race, culture, disability and other inequalities",
        ("inequalities",),
        "How racism, culture, disability or other inequalities may have shaped the child's experience or the practice.",
    ),
    Section("immediate-actions", "Immediate actions already taken", ("immediate_actions",)),
    Section("learning", "Learning identified", ("learning",)),
    Section(
        "parallel-processes",
        "Parallel processes",
        ("parallel_processes",),
        "Police investigation, coroner, child death review, domestic homicide or adult review, care proceedings, media.",
    ),
)
SECTIONS_BY_SLUG = {s.slug: s for s in SECTIONS}
RETURN_FIELDS = tuple(f for s in SECTIONS for f in s.fields)


def section_status(agency_return: AgencyReturn, section: Section) -> str:
    filled = [bool(getattr(agency_return, f)) for f in section.fields]
    if all(filled):
        return "Completed"
    return "In progress" if any(filled) else "Not started"


def missing_sections(agency_return: AgencyReturn) -> list[Section]:
    return [s for s in SECTIONS if section_status(agency_return, s) != "Completed"]


ANSWER_LABELS: dict[str, str] = {
    "involvement_summary": "Summary of involvement",
    "practice_went_well": "Key practice episodes: what went well",
    "practice_could_differ": "Key practice episodes: what could have been different",
    "lived_experience": "The child's lived experience and voice",
    "inequalities": "Race, culture, disability and other inequalities",
    "immediate_actions": "Immediate actions already taken",
    "learning": "Learning identified",
    "parallel_processes": "Parallel processes",
}


def return_answers(agency_return: AgencyReturn) -> list[tuple[str, str]]:
    """The return as label/value pairs, for reading and for the papers."""
    start, end = agency_return.period_start, agency_return.period_end
    period = f"{start:%d %B %Y} to {end:%d %B %Y}" if start and end else ""
    return [("Period of involvement", period)] + [
        (label, getattr(agency_return, name)) for name, label in ANSWER_LABELS.items()
    ]
