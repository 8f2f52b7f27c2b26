"""The idempotent reminder tick: run every minute by the scheduler (bin/run) or by cron.

Each reminder and escalation is a message with a unique dedupe key, so running it again, or on two
machines at once, sends nothing twice.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from clocks.reminders import reminders_send


class Command(BaseCommand):
    help = "Email owners before their deadlines and coordinators about overdue ones (safe to run any number of times)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send(today=timezone.localdate())
        if sent and options.get("verbosity", 1) >= 1:
            self.stdout.write(f"{sent} reminder message{'s' if sent != 1 else ''} sent")
