"""The merged multi-agency chronology: every visible entry in one timeline, with likely duplicates
(same date, similar words, two agencies) and long periods with no agency contact marked."""

import re
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from typing import Any

from rapidreviews.models import ChronologyEntry, RapidReview
from rapidreviews.selectors import returns_visible_to

DUPLICATE_SIMILARITY = 0.6


@dataclass
class Row:
    entry: ChronologyEntry
    agency: str
    duplicate_of: list[str] = field(default_factory=list)


@dataclass
class Gap:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass
class Chronology:
    rows: list[Row]
    gaps: list[Gap]
    items: list[Row | Gap]

    @property
    def duplicate_count(self) -> int:
        return sum(1 for r in self.rows if r.duplicate_of)


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def similar(a: str, b: str) -> bool:
    return SequenceMatcher(None, _words(a), _words(b), autojunk=False).ratio() >= DUPLICATE_SIMILARITY


def merge(entries: list[ChronologyEntry], gap_days: int) -> Chronology:
    """Sorts entries, marks likely duplicates between agencies and the gaps longer than gap_days."""
    entries = sorted(entries, key=lambda e: (e.date, e.time is not None, e.time or 0, e.pk))  # type: ignore[operator]
    rows = [Row(entry=e, agency=e.agency_return.request.agency.name) for e in entries]
    by_date: dict[date, list[Row]] = {}
    for row in rows:
        by_date.setdefault(row.entry.date, []).append(row)
    for same_day in by_date.values():
        for i, a in enumerate(same_day):
            for b in same_day[i + 1 :]:
                if a.agency != b.agency and similar(a.entry.what_happened, b.entry.what_happened):
                    a.duplicate_of.append(b.agency)
                    b.duplicate_of.append(a.agency)
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
    user: Any,
    review: RapidReview,
    *,
    agency_ids: list[int] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Chronology:
    """The entries this person may see (the one door of returns), filtered by agency and period."""
    entries = ChronologyEntry.objects.filter(agency_return__in=returns_visible_to(user, review)).select_related(
        "agency_return__request__agency"
    )
    if agency_ids:
        entries = entries.filter(agency_return__request__agency_id__in=agency_ids)
    if start:
        entries = entries.filter(date__gte=start)
    if end:
        entries = entries.filter(date__lte=end)
    return merge(list(entries), review.gap_days)


def entries_for_document(review: RapidReview) -> list[ChronologyEntry]:
    """Entries of submitted and accepted returns, for the papers and the rapid review document."""
    return list(
        ChronologyEntry.objects.filter(
            agency_return__request__review=review, agency_return__status__in=["submitted", "accepted"]
        ).select_related("agency_return__request__agency")
    )
