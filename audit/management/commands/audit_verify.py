from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.models import AuditEvent
from audit.verify import verify_chain


class Command(BaseCommand):
    help = "Checks the audit ledger's hash chain and reports any row that was altered or removed."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = list(verify_chain())
        total = AuditEvent.objects.count()
        for problem in problems:
            self.stdout.write(f"Row {problem.event_id}: {problem.what}")
        if problems:
            raise CommandError(f"Audit ledger check failed: {len(problems)} problem(s) in {total} rows.")
        self.stdout.write(self.style.SUCCESS(f"Audit ledger intact: {total} rows checked."))
