import json
from typing import Any

from django.core.management.base import BaseCommand

from cases.models import Case, CaseStage
from cases.stage_registry import case_facts, case_page_related


class Command(BaseCommand):
    help = (
        "Lists the cases: reference, state, stage and partnership, and what each stage says of them "
        "(--json for a machine-readable list)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON")
        parser.add_argument("--partnership", help="Only this partnership (slug)")

    def handle(self, *args: Any, **options: Any) -> None:
        cases = Case.objects.select_related("partnership", *case_page_related()).order_by("reference")
        if options.get("partnership"):
            cases = cases.filter(partnership__slug=options["partnership"])
        providers = case_facts()
        rows = []
        for c in cases:
            row: dict[str, Any] = {
                "reference": c.reference,
                "state": c.state,
                "state_label": c.get_state_display(),
                "stage": str(CaseStage(c.stage).label) if c.stage in CaseStage.values else c.stage,
                "partnership": c.partnership.slug,
                "partnership_name": c.partnership.name,
                "title": c.title,
            }
            for provide in providers:
                row.update(provide(c))
            rows.append(row)
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        for row in rows:
            self.stdout.write(f"{row['reference']:<20} {row['state']:<24} {row['stage']:<14} {row['partnership']}")
