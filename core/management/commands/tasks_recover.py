"""Puts back in the queue the jobs a stopped task worker left "running" (run by the scheduler every
minute; the task worker also does it whenever it starts). Safe to run any number of times."""

from typing import Any

from django.core.management.base import BaseCommand

from core.task_recovery import tasks_recover


class Command(BaseCommand):
    help = "Run again (or fail, after too many tries) the jobs a stopped task worker left running."

    def handle(self, *args: Any, **options: Any) -> None:
        recovered = tasks_recover()
        if options.get("verbosity", 1) >= 1 and (recovered.requeued or recovered.failed):
            self.stdout.write(
                f"{len(recovered.requeued)} interrupted job(s) queued to run again, "
                f"{len(recovered.failed)} given up after too many tries"
            )
