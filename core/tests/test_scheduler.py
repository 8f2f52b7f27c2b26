"""The scheduler loop survives a locked database: a job that finds it locked is tried again, after
a wait that grows, instead of being skipped for the minute (or stopping the loop)."""

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import OperationalError


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The scheduler's waits, noted instead of slept."""
    noted: list[float] = []
    monkeypatch.setattr(
        "core.management.commands.scheduler.Command._sleep", lambda self, seconds: noted.append(seconds)
    )
    return noted


def test_a_job_that_finds_the_database_locked_is_tried_again_with_growing_waits(
    settings: Any, monkeypatch: pytest.MonkeyPatch, waits: list[float]
) -> None:
    settings.SCHEDULED_COMMANDS = ["tick"]
    runs: list[str] = []

    def tick_locked_three_times(name: str) -> None:
        runs.append(name)
        if len(runs) <= 3:
            raise OperationalError("database is locked")

    monkeypatch.setattr("core.management.commands.scheduler.call_command", tick_locked_three_times)
    err = io.StringIO()

    call_command("scheduler", "--once", stderr=err)

    assert runs == ["tick"] * 4, "tried until it went through"
    assert waits == [5, 10, 20]
    assert "scheduler: tick: the database did not answer (database is locked); trying again in 5 s" in err.getvalue()


def test_a_job_that_fails_for_another_reason_is_reported_and_the_others_still_run(
    settings: Any, monkeypatch: pytest.MonkeyPatch, waits: list[float]
) -> None:
    settings.SCHEDULED_COMMANDS = ["tick", "tasks_recover"]
    runs: list[str] = []

    def broken_tick(name: str) -> None:
        runs.append(name)
        if name == "tick":
            raise ValueError("a bug")

    monkeypatch.setattr("core.management.commands.scheduler.call_command", broken_tick)
    err = io.StringIO()

    call_command("scheduler", "--once", stderr=err)

    assert runs == ["tick", "tasks_recover"]
    assert waits == []
    assert "scheduler: tick failed: a bug" in err.getvalue()
