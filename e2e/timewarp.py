"""Time travel inside the service's own processes, for browser journeys only.

The browser suite runs the service as subprocesses (gunicorn and the task worker), so time-machine
in the test process cannot move the service's clock. This module travels inside those processes
instead, with time-machine, driven by one small file, `VAR_DIR/clock`:

    {"destination": "2027-02-01T09:00:00+00:00", "anchor": 1795000000.25}

meaning "at real time `anchor` (seconds since the epoch) the service's time was `destination`";
service time then runs on at the real rate. Every process that reads the same file computes the
same service time, whenever it notices the change. No file: real time.

- Web: gunicorn serves `e2e.timewarp:application`, which wraps `config.wsgi.application` and, at the
  start of each request, reads the file and moves the traveller if it changed. time-machine patches
  the process as a whole, so every gunicorn thread sees it (the journey makes one request at a time).
  gunicorn's `Date` response header comes from `time.time()`, so it tells the test the web's time.
- Worker and management commands: `python -m e2e.timewarp manage.py <command> ...` applies the
  file before Django starts, polls it every 0.2 s on a daemon thread (the worker runs for the whole
  session) and acknowledges each change in `VAR_DIR/clock.<pid>.ack`, then runs manage.py as
  `__main__` with runpy.

The product's code knows nothing of this: it reads the time as it always does (`timezone.now()`,
`time.time()`), and time-machine answers.
"""

import json
import os
import runpy
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import time_machine

CLOCK_FILE = "clock"
POLL_SECONDS = 0.2


def real_time() -> float:
    """The machine's time, whether or not this process is travelling."""
    if time_machine.escape_hatch.is_travelling():
        return time_machine.escape_hatch.time.time()
    return time.time()


@dataclass(frozen=True)
class Warp:
    """Service time was `destination` (epoch seconds) at real time `anchor`."""

    destination: float
    anchor: float

    def service_time(self, real: float | None = None) -> float:
        return self.destination + ((real_time() if real is None else real) - self.anchor)

    def dump(self) -> str:
        when = datetime.fromtimestamp(self.destination, UTC)
        return json.dumps({"destination": when.isoformat(), "anchor": self.anchor})

    @classmethod
    def load(cls, raw: str) -> "Warp | None":
        if not raw.strip():
            return None
        data = json.loads(raw)
        return cls(destination=datetime.fromisoformat(data["destination"]).timestamp(), anchor=float(data["anchor"]))


def clock_file(var_dir: str | Path) -> Path:
    return Path(var_dir) / CLOCK_FILE


def write_clock(var_dir: str | Path, when: datetime) -> tuple[Warp, str]:
    """Sets the service's time to `when` (timezone-aware) from now on; returns the warp and the raw text."""
    if when.tzinfo is None:
        raise ValueError("Give the service's time with its timezone")
    warp = Warp(destination=when.timestamp(), anchor=real_time())
    raw = warp.dump()
    path = clock_file(var_dir)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(raw)
    os.replace(partial, path)  # atomic: a reader sees the old file or the new one, never half of one
    return warp, raw


def read_raw(var_dir: str | Path) -> str:
    try:
        return clock_file(var_dir).read_text()
    except FileNotFoundError:
        return ""


def ack_file(var_dir: str | Path, pid: int) -> Path:
    return Path(var_dir) / f"{CLOCK_FILE}.{pid}.ack"


class ClockFollower:
    """Keeps this process's clock where the clock file says."""

    def __init__(self, var_dir: str | Path) -> None:
        self.var_dir = Path(var_dir)
        self.applied = ""
        self._travel: time_machine.travel | None = None
        self._coordinates: time_machine.Traveller | None = None
        self._lock = threading.Lock()

    def sync(self) -> bool:
        """Applies the clock file if it changed since the last call; True if it moved the clock."""
        raw = read_raw(self.var_dir)
        if raw == self.applied:
            return False
        with self._lock:
            if raw == self.applied:
                return False
            warp = Warp.load(raw)
            if warp is None:
                if self._travel is not None:
                    self._travel.stop()
                self._travel = self._coordinates = None
            elif self._coordinates is None:
                self._travel = time_machine.travel(warp.service_time(), tick=True)
                self._coordinates = self._travel.start()
            else:
                self._coordinates.move_to(warp.service_time())
            self.applied = raw
            return True

    def poll_forever(self, interval: float = POLL_SECONDS) -> None:
        while True:
            if self.sync():
                ack_file(self.var_dir, os.getpid()).write_text(self.applied)
            time.sleep(interval)  # time.sleep is not patched: real seconds


_follower = ClockFollower(os.environ.get("VAR_DIR", "var"))
_django_application: Callable[..., Iterable[bytes]] | None = None
_django_lock = threading.Lock()


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """gunicorn `e2e.timewarp:application`: the service's WSGI app at the clock file's time.

    Django is loaded on the first request, after the clock is set (importing this module, as the
    test process does for `write_clock`, must not start Django)."""
    global _django_application
    _follower.sync()
    if _django_application is None:
        with _django_lock:
            if _django_application is None:
                from config.wsgi import application as django_application

                _django_application = django_application
    return _django_application(environ, start_response)


def main(argv: list[str]) -> None:
    """`python -m e2e.timewarp manage.py <args>`: runs manage.py at the clock file's time."""
    if not argv:
        raise SystemExit("usage: python -m e2e.timewarp manage.py <command> [args...]")
    _follower.sync()
    threading.Thread(target=_follower.poll_forever, name="timewarp", daemon=True).start()
    sys.argv = list(argv)
    runpy.run_path(argv[0], run_name="__main__")


if __name__ == "__main__":
    main(sys.argv[1:])
