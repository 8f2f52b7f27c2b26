"""Emails the messages whose next try is due: run every minute by the scheduler (or by cron).

Safe to run any number of times, and on two machines at once: a message is taken by one sender
before it is emailed, and a sent message is never taken again.
"""

from typing import Any

from django.core.management.base import BaseCommand

from notifications.delivery import messages_send_due


class Command(BaseCommand):
    help = "Email the messages not sent yet whose next try is due; give up (and tell the coordinators) after too many."

    def handle(self, *args: Any, **options: Any) -> None:
        result = messages_send_due()
        if str(result) and options.get("verbosity", 1) >= 1:
            self.stdout.write(str(result))
