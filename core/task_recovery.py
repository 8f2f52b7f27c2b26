"""Jobs that outlived their worker: found, and run again or marked failed, never left "running".

The database task queue marks a job RUNNING when a worker claims it and records the worker's id.
A worker killed in the middle (a crash, `kill -9`, the machine restarting) leaves the job RUNNING
for ever, and a page following it would poll for ever. Our task worker's id names its host and
process (`host:pid:random`), so a job whose worker was on this host and is no longer running is
known to be lost at once; a job whose worker cannot be checked from here (another host) is lost
once it has run for longer than `TASK_LOST_AFTER_MINUTES`. A lost job goes back to the queue to
be run again, up to `MAX_ATTEMPTS` claims in all; after that it is marked failed, with the reason,
so the page says so and offers to try again.

The task worker calls `tasks_recover` when it starts (the supervisor starts it again after a
crash) and after the database comes back; the scheduler calls it every minute.
"""

import logging
import os
import secrets
import socket
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.tasks import TaskResultStatus, task_backends
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
LOST_REASON = "The task worker stopped while running this job"
LOST_EXCEPTION = "core.task_recovery.WorkerLost"


class WorkerLost(Exception):
    """Recorded as the error of a job given up after its worker stopped too many times."""


@dataclass(frozen=True)
class Recovered:
    requeued: list[str]
    failed: list[str]


def _host() -> str:
    return socket.gethostname()[:24]


def worker_id_for_this_process() -> str:
    """`host:pid:random`, at most 64 characters (the queue's limit)."""
    return f"{_host()}:{os.getpid()}:{secrets.token_hex(6)}"


def _owner(worker_id: str) -> tuple[str, int] | None:
    parts = worker_id.split(":")
    if len(parts) != 3 or not parts[1].isdigit():
        return None  # a worker started some other way (db_worker's random id): only its age tells
    return parts[0], int(parts[1])


def _process_is_a_worker(pid: int) -> bool:
    """Is `pid` a running task worker? /proc tells on Linux (so a reused pid does not fool it)."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    if Path("/proc/self").exists():
        try:
            return b"worker" in cmdline.read_bytes()
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def worker_is_gone(worker_id: str, *, own_id: str = "") -> bool:
    """True when the worker is known to have stopped: on this host and no longer running, or this
    very worker asking about a job it is not running any more (it was interrupted by an error)."""
    if own_id and worker_id == own_id:
        return True
    owner = _owner(worker_id)
    if owner is None or owner[0] != _host():
        return False
    return not _process_is_a_worker(owner[1])


def uses_database_queue() -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


def tasks_recover(*, own_id: str = "", job_id: str = "") -> Recovered:
    """Put lost jobs back in the queue (or fail those lost too often). `own_id` is the calling
    worker's id when it is between jobs: its own RUNNING jobs were interrupted. `job_id` looks at
    that one job only (a page following it)."""
    if not uses_database_queue():
        return Recovered([], [])  # Redis (RQ) keeps its own registry of abandoned jobs
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    lost_after = now - timedelta(minutes=getattr(settings, "TASK_LOST_AFTER_MINUTES", 30))
    requeued: list[str] = []
    failed: list[str] = []
    running = DBTaskResult.objects.running().only("id", "worker_ids", "started_at", "task_path")
    if job_id:
        running = running.filter(pk=job_id)
    for job in running:
        last = job.worker_ids[-1] if job.worker_ids else ""
        lost = worker_is_gone(last, own_id=own_id) or (job.started_at is not None and job.started_at < lost_after)
        if not lost:
            continue
        attempts = len(job.worker_ids)
        # Only if nobody else changed it meanwhile (another recovery, or the worker finishing after all).
        still = DBTaskResult.objects.filter(pk=job.pk, status=TaskResultStatus.RUNNING, started_at=job.started_at)
        if attempts < MAX_ATTEMPTS:
            if still.update(status=TaskResultStatus.READY, started_at=None):
                requeued.append(str(job.pk))
                logger.warning(
                    "Job %s (%s) was left running by a worker that stopped (%s): queued to run again (attempt %s of %s)",
                    job.pk,
                    job.task_path,
                    last or "unknown worker",
                    attempts + 1,
                    MAX_ATTEMPTS,
                )
        elif still.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=LOST_EXCEPTION,
            traceback=f"{LOST_REASON} ({attempts} attempts).",
            return_value=None,
        ):
            failed.append(str(job.pk))
            logger.error("Job %s (%s) given up: %s, %s times", job.pk, job.task_path, LOST_REASON.lower(), attempts)
    return Recovered(requeued, failed)
