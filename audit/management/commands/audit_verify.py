from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.checkpoint_stores import checkpoint_store
from audit.verify import checkpoint_write_verified, ledger_verify


class Command(BaseCommand):
    help = (
        "Checks the audit ledger: every row's keyed hash and link, the chain head, and the signed "
        "checkpoints kept outside the database; then writes a checkpoint of what it checked."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-checkpoint", action="store_true", help="Only check: write no checkpoint (for a copy of the database)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        store = checkpoint_store()
        report = ledger_verify(store=store)
        problems = report.problems
        for problem in problems.shown:
            self.stdout.write(str(problem))
        if problems.total > len(problems.shown):
            self.stdout.write(f"... and {problems.total - len(problems.shown)} more.")
        if problems:
            raise CommandError(f"Audit ledger check failed: {problems.total} problem(s) in {report.rows} rows.")
        self.stdout.write(self.style.SUCCESS(f"Audit ledger intact: {report.rows} rows checked."))
        newest = f"; the newest is of {report.checkpoints[-1].at}" if report.checkpoints else ""
        self.stdout.write(f"Checked against {len(report.checkpoints)} checkpoint(s) in {store.where}{newest}.")
        if not options["no_checkpoint"]:
            written = checkpoint_write_verified(store=store, report=report, now=timezone.now())
            if written is not None:
                self.stdout.write(f"Wrote checkpoint {written.seq}: {written.count} rows, up to row {written.last_id}.")
