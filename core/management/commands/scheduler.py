"""The scheduler loop bin/run starts: runs each periodic management command every minute.

Jobs are idempotent (each writes a unique row per thing it does), so two schedulers, or a
scheduler and cron, never double up. A job that finds the database locked (SQLite under a long
write) or unreachable is tried again after a wait that grows (5 s, 10 s, 20 s, ... up to the
interval) rather than skipped; any other failure is reported and the loop goes on.
"""

import signal
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, connections

from core.supervisor import next_delay

FIRST_WAIT = 5


class Command(BaseCommand):
    help = "Runs the periodic jobs (SCHEDULED_COMMANDS) every minute until stopped."
    # As the task worker: the checks query the database, so a start during a long write would fail.
    requires_system_checks: list[str] = []

    running = True

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=int, default=60)
        parser.add_argument("--once", action="store_true", help="Run each job once and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        self.running = True

        def stop(*_: Any) -> None:
            self.running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        available = get_commands()
        interval = options["interval"]
        jobs = [name for name in settings.SCHEDULED_COMMANDS if name in available]
        self.stdout.write(f"scheduler: running {', '.join(jobs) or 'nothing'} every {interval} s")
        while self.running:
            for name in jobs:
                if self.running:
                    self._run_job(name, longest_wait=max(FIRST_WAIT, interval))
            if options["once"]:
                return
            self._sleep(interval)

    def _run_job(self, name: str, *, longest_wait: int) -> None:
        wait = 0.0
        while self.running:
            try:
                call_command(name)
                return
            except (OperationalError, InterfaceError) as exc:
                wait = next_delay(wait, 0, shortest=FIRST_WAIT, longest=longest_wait, stable_after=longest_wait)
                reason = " ".join(str(exc).split()) or type(exc).__name__
                self.stderr.write(
                    f"scheduler: {name}: the database did not answer ({reason}); trying again in {wait:.0f} s"
                )
                for connection in connections.all(initialized_only=True):
                    connection.close()
                self._sleep(wait)
            except Exception as exc:  # noqa: BLE001 - one failing job must not stop the loop
                self.stderr.write(f"scheduler: {name} failed: {exc}")
                return

    def _sleep(self, seconds: float) -> None:
        """Sleeps in one-second steps, so a stop signal is obeyed at once."""
        if seconds < 1:
            time.sleep(seconds)
            return
        slept = 0.0
        while self.running and slept < seconds:
            time.sleep(1)
            slept += 1
