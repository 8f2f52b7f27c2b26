"""The idempotent reminder tick: run every minute by the scheduler (bin/run) or by cron.

Each reminder and escalation is a message with a unique dedupe key, so running it again, or on two
machines at once, sends nothing twice. It says how many were recorded and how many really went:
the rest are tried again by `messages_send`.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from clocks.reminders import reminders_send, tick_jobs_run
from notifications.models import Message


class Command(BaseCommand):
    help = "Email owners before their deadlines and coordinators about overdue ones (safe to run any number of times)."

    def handle(self, *args: Any, **options: Any) -> None:
        recorded = reminders_send(today=timezone.localdate())
        done = tick_jobs_run()
        if done and options.get("verbosity", 1) >= 1:
            self.stdout.write(f"{done} other scheduled step{'s' if done != 1 else ''} done")
        if recorded and options.get("verbosity", 1) >= 1:
            self.stdout.write(_summary(len(recorded), Message.objects.filter(pk__in=[m.pk for m in recorded])))


def _summary(total: int, messages: Any) -> str:
    """What really happened: each message is emailed as it is recorded, and may not have gone."""
    sent = messages.filter(sent_at__isnull=False).count()
    if sent == total:
        return f"{total} reminder message{'s' if total != 1 else ''} sent"
    waiting = total - sent
    return (
        f"{total} reminder message{'s' if total != 1 else ''} recorded: "
        f"{sent or 'none'} sent yet, {waiting} to be tried again"
    )
