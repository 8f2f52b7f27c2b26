"""The scheduler loop bin/run starts: runs each periodic management command every minute.

Jobs are idempotent (each writes a unique row per thing it does), so two schedulers, or a
scheduler and cron, never double up.
"""

import signal
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Runs the periodic jobs (SCHEDULED_COMMANDS) every minute until stopped."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=int, default=60)
        parser.add_argument("--once", action="store_true", help="Run each job once and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        running = True

        def stop(*_: Any) -> None:
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        available = get_commands()
        while running:
            for name in settings.SCHEDULED_COMMANDS:
                if name not in available:
                    continue
                try:
                    call_command(name)
                except Exception as exc:  # noqa: BLE001 - one failing job must not stop the loop
                    self.stderr.write(f"scheduler: {name} failed: {exc}")
            if options["once"]:
                return
            slept = 0
            while running and slept < options["interval"]:
                time.sleep(1)
                slept += 1
