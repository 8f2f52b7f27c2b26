"""The task worker waits out a locked database instead of dying, and jobs a stopped worker left
"running" are run again (or, after too many tries, failed with the reason)."""

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import task_recovery
from core.task_recovery import LOST_EXCEPTION, MAX_ATTEMPTS, tasks_recover

# The worker closes its connection after a database error and after looking for lost jobs, as it
# must in production; inside a test's transaction that connection could not be reopened
# (PostgreSQL), and the worker would retry for ever, so these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)


@task()
def add_up(a: int, b: int) -> int:
    return a + b


@pytest.fixture
def database_queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The worker's waits, noted instead of slept; a worker that keeps waiting fails the test
    instead of spinning for ever."""
    waits: list[float] = []

    def note(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) > 10:
            raise AssertionError(f"the worker kept retrying: waited {waits}")

    monkeypatch.setattr("core.management.commands.task_worker.time.sleep", note)
    return waits


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@contextmanager
def a_running_worker() -> Iterator[int]:
    """A live process that looks like a task worker (its command line says so)."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "task_worker"])
    # Until the child has exec'd, its command line is still this test's: wait for it (a busy machine
    # can take a while), as a real worker is seen only once it runs.
    cmdline = Path(f"/proc/{process.pid}/cmdline")
    deadline = time.monotonic() + 30
    while b"task_worker" not in cmdline.read_bytes() and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield process.pid
    finally:
        process.kill()
        process.wait()


def claimed(job_id: str, *worker_ids: str, started_ago: timedelta = timedelta(seconds=5)) -> DBTaskResult:
    job = DBTaskResult.objects.get(pk=job_id)
    job.status = TaskResultStatus.RUNNING
    job.worker_ids = list(worker_ids)
    job.started_at = timezone.now() - started_ago
    job.save()
    return job


HOST = socket.gethostname()[:24]


def test_the_task_worker_waits_out_a_locked_database_and_then_runs_the_job(
    database_queue: None, no_waiting: list[float], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from django_tasks_db.management.commands import db_worker

    real = db_worker.exclusive_transaction
    calls = {"n": 0}

    def locked_twice(using: Any = None) -> Any:
        calls["n"] += 1
        if calls["n"] <= 2:
            raise OperationalError("database is locked")
        return real(using)

    monkeypatch.setattr(db_worker, "exclusive_transaction", locked_twice)
    result = add_up.enqueue(2, 3)

    call_command("task_worker", "--batch", "--no-startup-delay", verbosity=0)

    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == TaskResultStatus.SUCCESSFUL and job.return_value == 5
    assert no_waiting == [1.0, 2.0], "it waited, longer the second time, instead of stopping"
    assert "The database did not answer (database is locked): the task worker tries again in 1 s" in caplog.text


def test_a_job_left_running_by_a_killed_worker_is_run_again(database_queue: None, no_waiting: list[float]) -> None:
    result = add_up.enqueue(20, 22)
    claimed(result.id, f"{HOST}:{dead_pid()}:abc123")

    call_command("task_worker", "--batch", "--no-startup-delay", verbosity=0)

    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == TaskResultStatus.SUCCESSFUL and job.return_value == 42
    assert len(job.worker_ids) == 2, "claimed again by the new worker"


def test_a_job_whose_worker_is_still_running_is_left_alone(database_queue: None) -> None:
    result = add_up.enqueue(1, 1)
    with a_running_worker() as pid:
        claimed(result.id, f"{HOST}:{pid}:abc123")
        assert tasks_recover().requeued == []
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING


def test_a_job_on_another_host_is_run_again_once_it_has_run_far_too_long(database_queue: None, settings: Any) -> None:
    settings.TASK_LOST_AFTER_MINUTES = 30
    fresh = add_up.enqueue(1, 2)
    stale = add_up.enqueue(3, 4)
    claimed(fresh.id, "another-host:123:abc123", started_ago=timedelta(minutes=5))
    claimed(stale.id, "another-host:124:abc123", started_ago=timedelta(minutes=31))

    assert tasks_recover().requeued == [stale.id]

    assert DBTaskResult.objects.get(pk=fresh.id).status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.get(pk=stale.id).status == TaskResultStatus.READY


def test_a_job_whose_worker_stopped_too_many_times_is_failed_with_the_reason(database_queue: None) -> None:
    result = add_up.enqueue(5, 5)
    claimed(result.id, *[f"{HOST}:{dead_pid()}:try{n}" for n in range(MAX_ATTEMPTS)])

    recovered = tasks_recover()

    assert recovered.failed == [result.id]
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == TaskResultStatus.FAILED
    assert job.exception_class_path == LOST_EXCEPTION
    assert "stopped while running this job" in job.traceback


def test_a_job_the_worker_itself_was_interrupted_in_goes_back_to_the_queue(database_queue: None) -> None:
    result = add_up.enqueue(1, 2)
    claimed(result.id, "this-worker")
    assert tasks_recover(own_id="other-worker").requeued == []
    assert tasks_recover(own_id="this-worker").requeued == [result.id]


def test_the_scheduler_looks_for_interrupted_jobs_every_minute(settings: Any) -> None:
    assert "tasks_recover" in settings.SCHEDULED_COMMANDS


def test_recovery_does_nothing_on_a_queue_that_is_not_the_database(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    assert task_recovery.tasks_recover() == task_recovery.Recovered([], [])
