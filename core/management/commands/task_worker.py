"""The task worker bin/run starts: django-tasks-db's `db_worker`, made to survive the database.

`db_worker` dies when the database stays locked longer than its timeout (SQLite under a long
write) or the connection drops (PostgreSQL restarting): the error escapes its loop. This worker
waits and tries again instead, with back-off (1 s, 2 s, 4 s, ... up to a minute), saying so in
its log. Its id names its host and process, and whenever it (re)starts it puts back in the queue
the jobs a stopped worker left "running" (`core.task_recovery`).
"""

import logging
import time
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from core.supervisor import next_delay
from core.task_recovery import tasks_recover, worker_id_for_this_process

logger = logging.getLogger("core.task_worker")

RETRYABLE = (OperationalError, InterfaceError)


class ResilientWorker(Worker):
    shortest_delay = 1.0
    longest_delay = 60.0

    def run(self) -> None:
        delay = 0.0
        while self.running:
            started = time.monotonic()
            try:
                self._recover()
                super().run()
                return
            except RETRYABLE as error:
                if not self.running:
                    return
                delay = next_delay(
                    delay,
                    time.monotonic() - started,
                    shortest=self.shortest_delay,
                    longest=self.longest_delay,
                    stable_after=self.longest_delay,
                )
                logger.warning(
                    "The database did not answer (%s): the task worker tries again in %.0f s",
                    " ".join(str(error).split()) or type(error).__name__,
                    delay,
                )
                self.startup_delay = False
                for connection in connections.all(initialized_only=True):
                    connection.close_if_unusable_or_obsolete()
                    connection.close()
                time.sleep(delay)

    def _recover(self) -> None:
        """Jobs left running by a stopped worker (or by this one, interrupted by the database)."""
        try:
            tasks_recover(own_id=self.worker_id)
        except DatabaseError as error:
            if isinstance(error, RETRYABLE):
                raise
            logger.exception("Looking for interrupted jobs failed")
        close_old_connections()


class Command(DbWorkerCommand):
    help = "Run the database task worker; it waits out a locked or unreachable database instead of stopping."
    # The system checks query the database (SQLite's JSON support): started while another process
    # holds a long write, the worker would stop on a false "SQLite does not support JSONFields".
    # `migrate` and the web server check the same code.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=worker_id_for_this_process())

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        exclude = options["exclude_queues"]
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=exclude.split(",") if exclude else [],
        )
        worker.configure_signals()
        worker.run()
