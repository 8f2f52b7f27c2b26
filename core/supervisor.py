"""Keeps the service's three processes running: the web server, the task worker and the scheduler.

`bin/run` ends with `python -m core.supervisor`. Each process runs as a child in a process group
of its own. When one dies (a crash, an out-of-memory kill, `kill -9`), it alone is started again
and the others carry on: a worker crash never takes the web down. A child that dies soon after
starting waits longer each time before it is started again (1 s, 2 s, 4 s, ... up to a minute);
one that ran for a while starts again after the shortest wait. Every death and restart is a log
line saying which process, its pid, its exit code or signal, and when it comes back.

Ctrl-C (or SIGTERM) stops everything: each child's group is sent SIGTERM, given time to finish
what it is doing, then killed. On Linux each child also gets SIGTERM if the supervisor itself is
killed, so no process is left behind.

Standard library only: it imports nothing of Django, so it stays small and starts at once.
"""

import argparse
import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
logger = logging.getLogger("supervisor")

_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Program:
    """One process to keep running: a name for the log ("the task worker") and its command."""

    def title(self) -> str:
        return self.name[:1].upper() + self.name[1:]

    name: str
    argv: Sequence[str]


@dataclass
class Child:
    program: Program
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    next_start: float = 0.0  # monotonic time at which a dead child is started again
    delay: float = 0.0  # the wait before the last restart (0: it has not crashed yet)
    restarts: int = 0


def describe_exit(returncode: int) -> str:
    """'exited with code 1' or 'was killed by signal SIGKILL' (Popen gives -N for signal N)."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = str(-returncode)
        return f"was killed by signal {name}"
    return f"exited with code {returncode}"


def next_delay(previous: float, ran_for: float, *, shortest: float, longest: float, stable_after: float) -> float:
    """The wait before starting a dead child again: the shortest after a good run, otherwise twice
    the last wait (a child that keeps crashing at once is not started in a tight loop)."""
    if previous <= 0 or ran_for >= stable_after:
        return shortest
    return min(previous * 2, longest)


def _die_with_parent(parent: int) -> Callable[[], None]:
    def prepare() -> None:  # runs in the child between fork and exec
        if sys.platform.startswith("linux"):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the supervisor died while this child was being started
            os._exit(1)

    return prepare


@dataclass
class Supervisor:
    programs: Sequence[Program]
    shortest_delay: float = 1.0
    longest_delay: float = 60.0
    stable_after: float = 30.0  # a child that ran this long had a good run: the back-off starts again
    stop_timeout: float = 20.0
    poll_interval: float = 0.2
    cwd: Path = ROOT
    env: dict[str, str] | None = None
    children: list[Child] = field(default_factory=list)
    stopping: bool = False

    def run(self, *, handle_signals: bool = True) -> int:
        """Start every program and keep them running until `stop()` or a stop signal; returns 0."""
        if handle_signals:
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(signum, self._on_signal)
        self.children = [Child(program) for program in self.programs]
        for child in self.children:
            self._start(child)
        while not self.stopping:
            self.check_once()
            time.sleep(self.poll_interval)
        self._stop_all()
        return 0

    def stop(self) -> None:
        self.stopping = True

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if not self.stopping:
            logger.info("%s received: stopping %s", signal.Signals(signum).name, self._names())
        self.stopping = True

    def _names(self) -> str:
        names = [child.program.name for child in self.children]
        return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)

    def check_once(self) -> None:
        """Notice children that died and start those whose wait is over."""
        now = time.monotonic()
        for child in self.children:
            if self.stopping:
                return
            if child.process is None:
                if now >= child.next_start:
                    self._start(child)
                continue
            code = child.process.poll()
            if code is not None:
                self._died(child, code, now)

    def _start(self, child: Child) -> None:
        try:
            child.process = subprocess.Popen(
                list(child.program.argv),
                cwd=self.cwd,
                env=self.env,
                process_group=0,  # Ctrl-C reaches the supervisor only; it stops the children in order
                preexec_fn=_die_with_parent(os.getpid()),
            )
        except OSError as error:
            child.process = None
            child.delay = next_delay(
                child.delay, 0, shortest=self.shortest_delay, longest=self.longest_delay, stable_after=self.stable_after
            )
            child.next_start = time.monotonic() + child.delay
            logger.error(
                "%s could not be started (%s); trying again in %s", child.program.title(), error, _secs(child.delay)
            )
            return
        child.started_at = time.monotonic()
        if child.restarts:
            logger.info(
                "%s started again (pid %s, restart %s)", child.program.title(), child.process.pid, child.restarts
            )
        else:
            logger.info("%s started (pid %s)", child.program.title(), child.process.pid)

    def _died(self, child: Child, code: int, now: float) -> None:
        assert child.process is not None
        pid = child.process.pid
        _signal_group(pid, signal.SIGKILL)  # what it left behind (a web worker, a PDF helper) goes too
        ran_for = now - child.started_at
        child.delay = next_delay(
            child.delay,
            ran_for,
            shortest=self.shortest_delay,
            longest=self.longest_delay,
            stable_after=self.stable_after,
        )
        child.process = None
        child.restarts += 1
        child.next_start = now + child.delay
        logger.warning(
            "%s (pid %s) %s after %s; starting it again in %s",
            child.program.title(),
            pid,
            describe_exit(code),
            _secs(ran_for),
            _secs(child.delay),
        )

    def _stop_all(self) -> None:
        running = [c for c in self.children if c.process is not None and c.process.poll() is None]
        for child in running:
            assert child.process is not None
            _signal_group(child.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for child in running:
            assert child.process is not None
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.warning("%s (pid %s) did not stop in time: killed", child.program.title(), child.process.pid)
                _signal_group(child.process.pid, signal.SIGKILL)
                child.process.wait()
            _signal_group(child.process.pid, signal.SIGKILL)  # anything of its group still there
        logger.info("Stopped %s", self._names())


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def _secs(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"


def service_programs(*, port: int, web_workers: int = 2, python: str = sys.executable) -> list[Program]:
    """The three processes of the embedded service, as `bin/run` starts them."""
    return [
        Program(
            "the web server",
            [
                python,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(web_workers),
                "--threads",
                "4",
                "--graceful-timeout",
                "15",
                # gunicorn otherwise takes over one control socket per machine (~/.gunicorn).
                "--no-control-socket",
                "--access-logfile",
                "-",
            ],
        ),
        Program("the task worker", [python, "manage.py", "task_worker", "--queue-name", "*", "--interval", "1"]),
        Program("the scheduler", [python, "manage.py", "scheduler"]),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the web server, the task worker and the scheduler.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--web-workers", type=int, default=2)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s supervisor: %(message)s", datefmt="%Y-%m-%d %H:%M:%S", stream=sys.stdout
    )
    return Supervisor(service_programs(port=args.port, web_workers=args.web_workers)).run()


if __name__ == "__main__":
    sys.exit(main())
