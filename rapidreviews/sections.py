"""The Individual Agency Summary's sections: one question page each, in task-list order."""

from dataclasses import dataclass
from enum import StrEnum, nonmember

from rapidreviews.models import AgencySummary, PracticeEpisode


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    fields: tuple[str, ...]
    hint: str = ""
    episodes: bool = False  # a repeatable list of key practice episodes rather than text boxes


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
        (),
        "Add each key episode of your agency's practice with this child and family, and analyse it: what went well "
        "and what could have been done differently. This is not about blame.",
        episodes=True,
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
# The five short free-text sections, written on one page (`views.answers`): each is still saved,
# versioned and autosaved on its own.
ONE_PAGE_SECTIONS = tuple(s for s in SECTIONS if not s.episodes and "period_start" not in s.fields)


def completed_after(agency_summary: AgencySummary, changes: dict[str, object], *, complete: bool) -> list[str]:
    """The summary's completed sections once `changes` are saved: saved with the button, a section
    whose answers are all given is complete; autosaved (complete=False), it is in progress again."""
    done = set(agency_summary.completed_sections or [])
    for section in SECTIONS:
        if section.episodes or not set(section.fields) & set(changes):
            continue
        values = [changes[f] if f in changes else getattr(agency_summary, f) for f in section.fields]
        if complete and all(values):
            done.add(section.slug)
        else:
            done.discard(section.slug)
    return sorted(done)


class TaskStatus(StrEnum):
    """The GOV.UK task list's statuses, for the sections of an agency's summary and the
    coordinator's tasks (rapidreviews/task_list.py, which also shows counts such as "2 of 3 accepted").
    A StrEnum shown as it is: templates print and compare them as text."""

    do_not_call_in_templates = nonmember(True)

    COMPLETED = "Completed"
    IN_PROGRESS = "In progress"
    NOT_STARTED = "Not started"
    CANNOT_START_YET = "Cannot start yet"


def section_status(agency_summary: AgencySummary, section: Section) -> TaskStatus:
    if section.episodes:
        return TaskStatus.COMPLETED if len(agency_summary.episodes.all()) else TaskStatus.NOT_STARTED
    filled = [bool(getattr(agency_summary, f)) for f in section.fields]
    if all(filled) and section.slug in (agency_summary.completed_sections or []):
        return TaskStatus.COMPLETED
    return TaskStatus.IN_PROGRESS if any(filled) else TaskStatus.NOT_STARTED


def missing_sections(agency_summary: AgencySummary) -> list[Section]:
    return [s for s in SECTIONS if section_status(agency_summary, s) != TaskStatus.COMPLETED]


ANSWER_LABELS: dict[str, str] = {
    "involvement_summary": "Summary of involvement",
    "lived_experience": "The child's lived experience and voice",
    "inequalities": "Race, culture, disability and other inequalities",
    "immediate_actions": "Immediate actions already taken",
    "learning": "Learning identified",
    "parallel_processes": "Parallel processes",
}


def episode_text(episode: PracticeEpisode) -> str:
    """One episode as plain text: its name and date, then the two parts of its analysis."""
    when = f" ({episode.date:%-d %B %Y})" if episode.date else ""
    return (
        f"{episode.title}{when}\n"
        f"What went well: {episode.went_well or 'Nothing recorded'}\n"
        f"What could have been done differently: {episode.could_differ or 'Nothing recorded'}"
    )


def summary_answers(agency_summary: AgencySummary, *, episodes: bool = True) -> list[tuple[str, str]]:
    """The summary as label/value pairs, for reading and for the papers (`episodes=False` leaves
    the key practice episodes out, for a page that shows them as cards of their own)."""
    start, end = agency_summary.period_start, agency_summary.period_end
    period = f"{start:%-d %B %Y} to {end:%-d %B %Y}" if start and end else ""
    listed = list(agency_summary.episodes.all()) if episodes else []
    answers = [("Period of involvement", period)]
    for name, label in ANSWER_LABELS.items():
        answers.append((label, getattr(agency_summary, name)))
        if name == "involvement_summary" and episodes:
            answers += [
                (f"Key practice episode {n} of {len(listed)}", episode_text(e)) for n, e in enumerate(listed, 1)
            ] or [("Key practice episodes", "")]
    return answers


def section_answers(agency_summary: AgencySummary, section: Section) -> list[tuple[str, str]]:
    """One section's answers as label/value pairs, for the lead's check before submitting."""
    if section.episodes:
        return [(f"Episode {n}", e.title) for n, e in enumerate(agency_summary.episodes.all(), 1)]
    answers = []
    if "period_start" in section.fields:
        answers.append(summary_answers(agency_summary, episodes=False)[0])
    answers += [(ANSWER_LABELS[f], getattr(agency_summary, f)) for f in section.fields if f in ANSWER_LABELS]
    return answers
