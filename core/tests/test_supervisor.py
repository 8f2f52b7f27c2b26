"""The supervisor `bin/run` ends with: a process that dies is started again, alone, with back-off,
and a log line says what happened; stopping it stops everything."""

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from core.supervisor import Child, Program, Supervisor, describe_exit, next_delay

SLEEPER = [sys.executable, "-c", "import time; time.sleep(300)"]


def wait_for(condition: Callable[[], object], timeout: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"Not within {timeout}s: {what}")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@contextmanager
def supervising(*programs: Program, **options: float) -> Iterator[Supervisor]:
    supervisor = Supervisor(list(programs), **options)  # type: ignore[arg-type]
    thread = threading.Thread(target=supervisor.run, kwargs={"handle_signals": False}, daemon=True)
    thread.start()
    wait_for(lambda: all(c.process for c in supervisor.children) and len(supervisor.children) == len(programs))
    try:
        yield supervisor
    finally:
        supervisor.stop()
        thread.join(timeout=30)


def test_a_child_killed_with_sigkill_is_started_again_and_the_others_keep_running(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="supervisor")
    with supervising(Program("the worker", SLEEPER), Program("the web server", SLEEPER), shortest_delay=0.1) as sup:
        worker, web = sup.children
        assert worker.process and web.process
        old_worker, web_pid = worker.process.pid, web.process.pid

        os.kill(old_worker, signal.SIGKILL)
        wait_for(lambda: worker.process is not None and worker.process.pid != old_worker, what="worker restarted")

        assert worker.process and alive(worker.process.pid)
        assert web.process and web.process.pid == web_pid and alive(web_pid)
        assert f"The worker (pid {old_worker}) was killed by signal SIGKILL" in caplog.text
        assert f"The worker started again (pid {worker.process.pid}, restart 1)" in caplog.text
        new_worker = worker.process.pid
    # Stopping stops every child.
    assert not alive(new_worker)
    assert not alive(web_pid)
    assert "Stopped the worker and the web server" in caplog.text


class RecordingSupervisor(Supervisor):
    """Notes the wait chosen after each death."""

    waits: list[float]

    def _died(self, child: Child, code: int, now: float) -> None:
        super()._died(child, code, now)
        self.waits.append(child.delay)


def test_a_child_that_keeps_crashing_waits_longer_each_time(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="supervisor")
    crasher = Program("the scheduler", [sys.executable, "-c", "import sys; sys.exit(3)"])
    supervisor = RecordingSupervisor([crasher], shortest_delay=0.05, longest_delay=0.4, stable_after=60)
    supervisor.waits = []
    thread = threading.Thread(target=supervisor.run, kwargs={"handle_signals": False}, daemon=True)
    thread.start()
    try:
        wait_for(lambda: len(supervisor.waits) >= 6, what="six restarts")
    finally:
        supervisor.stop()
        thread.join(timeout=30)
    assert supervisor.waits[:6] == [0.05, 0.1, 0.2, 0.4, 0.4, 0.4]
    assert "The scheduler (pid" in caplog.text
    assert "exited with code 3 after" in caplog.text
    assert "starting it again in 0.4 s" in caplog.text


def test_the_wait_doubles_on_quick_crashes_up_to_a_limit_and_resets_after_a_good_run() -> None:
    options = {"shortest": 1.0, "longest": 60.0, "stable_after": 30.0}
    waits = [0.0]
    for _ in range(8):
        waits.append(next_delay(waits[-1], ran_for=2, **options))
    assert waits[1:] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert next_delay(60, ran_for=45, **options) == 1


def test_exit_codes_and_signals_are_said_in_words() -> None:
    assert describe_exit(1) == "exited with code 1"
    assert describe_exit(-signal.SIGKILL) == "was killed by signal SIGKILL"
