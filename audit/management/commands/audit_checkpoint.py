"""Run by the scheduler every minute: a signed checkpoint every AUDIT_CHECKPOINT_MINUTES."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.checkpoint_stores import checkpoint_store
from audit.verify import checkpoint_write_if_due


class Command(BaseCommand):
    help = (
        "Writes a signed checkpoint of the audit ledger outside the database when one is due, after "
        "checking the rows added since the last one."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", action="store_true", help="Write one now, even if the last is recent")

    def handle(self, *args: Any, **options: Any) -> None:
        store = checkpoint_store()
        written, problems = checkpoint_write_if_due(store=store, now=timezone.now(), force=options["now"])
        if problems:
            for problem in problems.shown:
                self.stderr.write(str(problem))
            raise CommandError(
                f"No audit checkpoint written: the ledger failed its check ({problems.total} problem(s)). "
                "Run manage.py audit_verify."
            )
        if written is not None and options["verbosity"] > 1:
            self.stdout.write(f"Wrote checkpoint {written.seq}: {written.count} rows, up to row {written.last_id}.")
