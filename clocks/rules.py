"""Clock rules: how each kind of deadline turns its start date into a due date.

clocks keeps the engine (clocks.services) and the calendar (clocks.calendar); the rules belong to
the stages. Each stage carries its `clock_rules` (cases.stage_registry): a `ClockRuleSpec` says the
rule's name and label, what starts it and what ends it (in words, for the deadlines pages and
`manage.py list_clocks`), whether it counts working or calendar days, and how long it is: a fixed
number of days, a ClockSettings field (the partnership's own timetable) or calendar months. Domain
brief §1.5, §2.2, §2.4, §4.7, §4.8.
"""

from collections.abc import Container
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from dateutil.relativedelta import relativedelta

from core.workdays import add_working_days, subtract_working_days


class Basis(StrEnum):
    WORKING = "working"
    CALENDAR = "calendar"


@dataclass(frozen=True)
class ClockRuleSpec:
    name: str  # stored on Clock.rule
    label: str
    starts: str  # what starts it, in words
    ends: str  # what ends it, in words
    basis: Basis = Basis.WORKING
    days: int | None = None  # a fixed length in working days
    setting: str = ""  # or the ClockSettings field that gives the length in working days
    months: int = 0  # or, counted in calendar months
    backwards: bool = False  # due `days` working days BEFORE the start date (a notice before an event)
    informational: bool = False  # expected, not owed: never late, never chased

    def __post_init__(self) -> None:
        lengths = [self.days is not None, bool(self.setting), bool(self.months)]
        if sum(lengths) != 1:
            raise ValueError(f"Clock rule {self.name!r} needs exactly one of days, setting or months")
        if self.months and self.basis != Basis.CALENDAR:
            raise ValueError(f"Clock rule {self.name!r} counts months, so its basis is calendar days")

    def length(self, clock_settings: Any) -> int:
        """Working days (or months, for a calendar rule) from its start to its due date."""
        if self.setting:
            return int(getattr(clock_settings, self.setting))
        return self.months or int(self.days or 0)

    def due(self, start: date, clock_settings: Any, holidays: Container[date]) -> date:
        if self.months:
            return start + relativedelta(months=self.months)
        if self.basis == Basis.CALENDAR:
            return start + relativedelta(
                days=-self.length(clock_settings) if self.backwards else self.length(clock_settings)
            )
        if self.backwards:
            return subtract_working_days(start, self.length(clock_settings), holidays)
        return add_working_days(start, self.length(clock_settings), holidays)


def registered_rules() -> list[ClockRuleSpec]:
    from cases.stage_registry import clock_rules

    return clock_rules()


def rule_spec(rule: str) -> ClockRuleSpec:
    spec = next((r for r in registered_rules() if r.name == str(rule)), None)
    if spec is None:
        raise ValueError(f"Unknown clock rule {rule!r}")
    return spec


def rule_label(rule: str) -> str:
    spec = next((r for r in registered_rules() if r.name == str(rule)), None)
    return spec.label if spec is not None else str(rule)


def rule_working_days(rule: str, clock_settings: Any) -> int | None:
    """How many working days the rule allows, or None for a calendar rule."""
    spec = rule_spec(rule)
    return None if spec.basis == Basis.CALENDAR else spec.length(clock_settings)


def compute_due(rule: str, start: date, clock_settings: Any, holidays: Container[date]) -> date:
    """The due date of `rule` started on `start` (day 0)."""
    return rule_spec(rule).due(start, clock_settings, holidays)
