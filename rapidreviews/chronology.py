"""The merged multi-agency chronology: every visible entry in one timeline, with likely duplicates
and long periods with no agency contact marked.

Two agencies' entries on the same day are a likely duplicate (the same event, recorded by each) when
both give the same time, or when they share most of their words: the words that carry meaning
(no "the", "with", "was"), with the usual abbreviations read as what they stand for ("A&E" is the
emergency department), measured against the shorter entry, since one agency writes more than the
other ("Seen in the emergency department with a bruise to the left cheek, explained as a fall" and
"Child seen in A&E with a bruise to the cheek, officers attended" share 5 of their 8 words each).
A heuristic, so the page says "possible" and why."""

import re
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

from accounts.models import User
from rapidreviews.models import (
    AgencySummary,
    ChronologyDuplicateCheck,
    ChronologyEntry,
    DuplicateOutcome,
    RapidReview,
    SummaryStatus,
)
from rapidreviews.selectors import summaries_visible_to

DUPLICATE_SIMILARITY = 0.6  # whole-text likeness (difflib), for entries worded almost alike
DUPLICATE_SHARED_WORDS = 0.6  # of the shorter entry's meaningful words

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "be",
        "been",
        "by",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "she",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "was",
        "were",
        "which",
        "who",
        "with",
    ]
)
# Abbreviations agencies write for the same thing, as whole words (after "A&E" is made one word).
ABBREVIATIONS = {
    "ae": "emergency department",
    "ed": "emergency department",
    "hv": "health visitor",
    "gp": "general practitioner",
    "csc": "childrens social care",
    "dv": "domestic abuse",
}


@dataclass
class Row:
    entry: ChronologyEntry
    agency: str
    duplicate_of: list[str] = field(default_factory=list)
    duplicate_reasons: list[str] = field(default_factory=list)
    duplicate_entries: list[int] = field(default_factory=list)  # the other entries' ids, in the same order
    same_as: list[str] = field(default_factory=list)  # agencies whose entry the coordinator found the same event

    @property
    def duplicate_text(self) -> str:
        """'also recorded by Northshire Police (same time)'."""
        return ", ".join(
            f"{agency} ({reason})" for agency, reason in zip(self.duplicate_of, self.duplicate_reasons, strict=True)
        )

    @property
    def duplicate_pairs(self) -> list[tuple[str, str, int]]:
        """(agency, why, the other entry's id) for each possible duplicate still to check."""
        return list(zip(self.duplicate_of, self.duplicate_reasons, self.duplicate_entries, strict=True))

    @property
    def same_text(self) -> str:
        return ", ".join(self.same_as)


# (lower entry id, higher entry id) -> DuplicateOutcome value, for pairs the coordinator has checked.
Checked = dict[tuple[int, int], str]


def duplicate_checks_for(review: RapidReview) -> Checked:
    return {
        (first, second): outcome
        for first, second, outcome in ChronologyDuplicateCheck.objects.filter(review=review).values_list(
            "first_id", "second_id", "outcome"
        )
    }


@dataclass
class Gap:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days


ANY_AGENCY = "any agency"


@dataclass
class Chronology:
    rows: list[Row]
    gaps: list[Gap]
    items: list[Row | Gap]
    # Whose contacts a gap is counted over: every agency's, unless the reader sees only some of the
    # agencies' entries (a lead sees their own agency's until the summaries are shared), when a gap
    # says so rather than claim that no agency had contact.
    who: str = ANY_AGENCY
    partial: bool = False

    @property
    def duplicate_count(self) -> int:
        return sum(1 for r in self.rows if r.duplicate_of)


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _meaningful(text: str) -> set[str]:
    text = re.sub(r"\ba\s*(?:&|and)\s*e\b", "ae", text.lower()).replace("'", "")
    words: set[str] = set()
    for word in re.findall(r"[a-z0-9]+", text):
        words.update(ABBREVIATIONS.get(word, word).split())
    return {w for w in words if w not in STOPWORDS and len(w) > 1}


def similar(a: str, b: str) -> bool:
    if SequenceMatcher(None, _words(a), _words(b), autojunk=False).ratio() >= DUPLICATE_SIMILARITY:
        return True
    words_a, words_b = _meaningful(a), _meaningful(b)
    shorter = min(len(words_a), len(words_b))
    return shorter > 0 and len(words_a & words_b) / shorter >= DUPLICATE_SHARED_WORDS


def duplicate_reason(a: ChronologyEntry, b: ChronologyEntry) -> str:
    """Why two agencies' entries of one day look like the same event ('' when they do not)."""
    if a.time is not None and a.time == b.time:
        return "same time"
    return "similar words" if similar(a.what_happened, b.what_happened) else ""


def merge(entries: list[ChronologyEntry], gap_days: int, checked: Checked | None = None) -> Chronology:
    """Sorts entries, marks likely duplicates between agencies and the gaps longer than gap_days.
    A pair the coordinator has checked (`checked`) is not marked again: not the same event, it is
    left alone; the same event, each entry says which agency recorded it too."""
    checked = checked or {}
    entries = sorted(entries, key=lambda e: (e.date, e.time is not None, e.time or 0, e.pk))  # type: ignore[operator]
    rows = [Row(entry=e, agency=e.agency_summary.request.agency.name) for e in entries]
    by_date: dict[date, list[Row]] = {}
    for row in rows:
        by_date.setdefault(row.entry.date, []).append(row)
    for same_day in by_date.values():
        for i, a in enumerate(same_day):
            for b in same_day[i + 1 :]:
                reason = duplicate_reason(a.entry, b.entry) if a.agency != b.agency else ""
                if not reason:
                    continue
                outcome = checked.get((min(a.entry.pk, b.entry.pk), max(a.entry.pk, b.entry.pk)))
                if outcome == DuplicateOutcome.SAME:
                    a.same_as.append(b.agency)
                    b.same_as.append(a.agency)
                elif outcome is None:
                    for row, other in ((a, b), (b, a)):
                        row.duplicate_of.append(other.agency)
                        row.duplicate_reasons.append(reason)
                        row.duplicate_entries.append(other.entry.pk)
    gaps: list[Gap] = []
    items: list[Row | Gap] = []
    previous: date | None = None
    for row in rows:
        if previous is not None and (row.entry.date - previous).days > gap_days:
            gap = Gap(previous, row.entry.date)
            gaps.append(gap)
            items.append(gap)
        items.append(row)
        previous = row.entry.date
    return Chronology(rows=rows, gaps=gaps, items=items)


def chronology_for(
    user: User,
    review: RapidReview,
    *,
    agency_ids: list[int] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Chronology:
    """The entries this person may see (the one door of returns), filtered by agency and period.
    When they may see only some of the agencies' summaries, the gaps say over whose entries they
    are counted."""
    visible = list(summaries_visible_to(user, review))
    entries = ChronologyEntry.objects.filter(agency_summary__in=[r.pk for r in visible]).select_related(
        "agency_summary__request__agency"
    )
    if agency_ids:
        entries = entries.filter(agency_summary__request__agency_id__in=agency_ids)
    if start:
        entries = entries.filter(date__gte=start)
    if end:
        entries = entries.filter(date__lte=end)
    chronology = merge(list(entries), review.gap_days, duplicate_checks_for(review))
    if len(visible) < AgencySummary.objects.filter(request__review=review).count():
        names = ", ".join(sorted({r.request.agency.name for r in visible}))
        chronology.who, chronology.partial = f"the agencies you can see ({names})", True
    return chronology


def entries_for_document(review: RapidReview) -> list[ChronologyEntry]:
    """Entries of submitted and accepted returns, for the papers and the rapid review document."""
    return list(
        ChronologyEntry.objects.filter(
            agency_summary__request__review=review,
            agency_summary__status__in=[SummaryStatus.SUBMITTED, SummaryStatus.ACCEPTED],
        ).select_related("agency_summary__request__agency")
    )
