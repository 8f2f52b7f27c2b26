"""Every clock of every case, with the rule it follows, so anyone can check each deadline by hand.

    manage.py list_clocks                 a table
    manage.py list_clocks --json          a list of objects: reference, rule, label, basis ("working"
                                          or "calendar" days), length and unit ("working days",
                                          "calendar days" or "months"), backwards, setting, starts_on, due_on,
                                          rule_due_on, extended_to, paused_working_days, met_on, status
    manage.py list_clocks --case NSCP-2026-001 --partnership northshire

`due_on` is the date the clock is due now (an agreed extension if there is one); `rule_due_on` is the
rule's own date from `starts_on`, moved on by any working days the clock was paused. Dates are ISO
(YYYY-MM-DD). Working days skip weekends and the England and Wales bank holidays in the service's
calendar (`manage.py workdays` does the same arithmetic).
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from clocks.calendar import settings_for
from clocks.models import Clock
from clocks.rules import rule_spec


def clock_rows(*, reference: str = "", partnership: str = "") -> list[dict[str, Any]]:
    clocks = Clock.objects.select_related("case", "case__partnership").order_by("case__reference", "start_date", "id")
    if reference:
        clocks = clocks.filter(case__reference=reference)
    if partnership:
        clocks = clocks.filter(case__partnership__slug=partnership)
    settings_cache: dict[int, Any] = {}
    rows = []
    for clock in clocks:
        p_id = clock.case.partnership_id
        if p_id not in settings_cache:
            settings_cache[p_id] = settings_for(p_id)
        try:
            spec = rule_spec(clock.rule)
        except ValueError:  # a rule whose stage is no longer installed: still listed, as it is stored
            spec = None
        rows.append(
            {
                "reference": clock.case.reference,
                "partnership": clock.case.partnership.slug,
                "rule": clock.rule,
                "label": clock.get_rule_display(),
                "basis": str(spec.basis) if spec else "",
                "length": spec.length(settings_cache[p_id]) if spec else None,
                "unit": ("months" if spec.months else f"{spec.basis} days") if spec else "",
                "backwards": spec.backwards if spec else False,
                "setting": spec.setting if spec else "",
                "starts_on": clock.start_date.isoformat(),
                "due_on": clock.effective_due.isoformat(),
                "rule_due_on": clock.due_date.isoformat(),
                "extended_to": clock.extended_to.isoformat() if clock.extended_to else None,
                "paused_working_days": clock.paused_days,
                "met_on": clock.met_on.isoformat() if clock.met_on else None,
                "status": clock.status,
            }
        )
    return rows


def _length(row: dict[str, Any]) -> str:
    """'15 working days', '6 months', '7 working days before'."""
    if row["length"] is None:
        return "unknown rule"
    return f"{row['length']} {row['unit']}{' before' if row['backwards'] else ''}"


class Command(BaseCommand):
    help = "Lists every clock of every case: rule, basis, start, due date and status (--json for scripts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON")
        parser.add_argument("--case", default="", help="Only this case (its reference)")
        parser.add_argument("--partnership", default="", help="Only this partnership (slug)")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = clock_rows(reference=options["case"], partnership=options["partnership"])
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if not rows:
            self.stdout.write("No clocks.")
            return
        header = ("Case", "Rule", "Basis", "Length", "Starts", "Due", "Status")
        table = [
            (r["reference"], r["rule"], r["basis"], _length(r), r["starts_on"], r["due_on"], r["status"]) for r in rows
        ]
        widths = [max(len(str(row[i])) for row in [header, *table]) for i in range(len(header))]
        for row in [header, *table]:
            self.stdout.write("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
