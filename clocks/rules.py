"""How each rule turns its start date into a due date (domain brief §1.5, §2.2, §2.4, §4.7, §4.8)."""

from collections.abc import Container
from datetime import date

from dateutil.relativedelta import relativedelta

from clocks.models import RR_STEP_FIELDS, ClockRule, ClockSettings
from core.workdays import add_working_days, subtract_working_days

SIN_WORKING_DAYS = 5
LCSPR_MONTHS = 6
PUBLICATION_NOTICE_WORKING_DAYS = 7
CALENDAR_RULES = frozenset({ClockRule.LCSPR})


def rule_working_days(rule: str, clock_settings: ClockSettings) -> int | None:
    """How many working days the rule allows, or None for a calendar-month rule."""
    if rule == ClockRule.SIN:
        return SIN_WORKING_DAYS
    if rule == ClockRule.RAPID_REVIEW:
        return int(clock_settings.rapid_review_days)
    if rule in RR_STEP_FIELDS:
        return int(getattr(clock_settings, RR_STEP_FIELDS[rule]))
    if rule == ClockRule.PANEL_REPLY:
        return int(clock_settings.panel_reply_days)
    if rule == ClockRule.PUBLICATION_NOTICE:
        return PUBLICATION_NOTICE_WORKING_DAYS
    return None


def compute_due(rule: str, start: date, clock_settings: ClockSettings, holidays: Container[date]) -> date:
    """The due date of `rule` started on `start` (day 0).

    The publication notice counts backwards: its start date is the planned publication date and it
    is due 7 working days before. The LCSPR is due 6 calendar months after the decision.
    """
    if rule == ClockRule.LCSPR:
        return start + relativedelta(months=LCSPR_MONTHS)
    days = rule_working_days(rule, clock_settings)
    if days is None:
        raise ValueError(f"Unknown clock rule {rule!r}")
    if rule == ClockRule.PUBLICATION_NOTICE:
        return subtract_working_days(start, days, holidays)
    return add_working_days(start, days, holidays)
