import json
from typing import Any

from django.core.management.base import BaseCommand

from cases.models import Case


class Command(BaseCommand):
    help = "Lists the cases: reference, state and partnership (--json for a machine-readable list)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON")
        parser.add_argument("--partnership", help="Only this partnership (slug)")

    def handle(self, *args: Any, **options: Any) -> None:
        cases = Case.objects.select_related("partnership").order_by("reference")
        if options.get("partnership"):
            cases = cases.filter(partnership__slug=options["partnership"])
        rows = [
            {
                "reference": c.reference,
                "state": c.state,
                "state_label": c.get_state_display(),
                "partnership": c.partnership.slug,
                "partnership_name": c.partnership.name,
                "title": c.title,
                "has_rapid_review": hasattr(c, "rapid_review"),
            }
            for c in cases.select_related("rapid_review")
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        for row in rows:
            self.stdout.write(f"{row['reference']:<20} {row['state']:<24} {row['partnership']}")
