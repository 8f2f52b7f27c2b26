"""The whole service as `bin/run` runs it (the supervisor with the web server, the task worker and
the scheduler, on a database of its own), put through what stopped it before: a write lock held
longer than the database timeout, then each process killed with SIGKILL, then Ctrl-C."""

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def status_of(url: str, timeout: float = 5) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return 0


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"Not within {timeout}s: {what}")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class Running:
    def __init__(self, process: subprocess.Popen[bytes], log: Path, port: int, var_dir: Path) -> None:
        self.process, self.log, self.var_dir = process, log, var_dir
        self.base = f"http://127.0.0.1:{port}"

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def pid_of(self, name: str, restart: int = 0) -> int:
        pattern = (
            rf"{name} started \(pid (\d+)\)"
            if restart == 0
            else rf"{name} started again \(pid (\d+), restart {restart}\)"
        )
        found = re.findall(pattern, self.text())
        assert found, f"no '{pattern}' in the log:\n{self.text()}"
        return int(found[-1])

    def healthy(self) -> bool:
        return status_of(f"{self.base}/healthz") == 200


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Running]:
    port = free_port()
    var_dir = tmp_path / "var"
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ENV", "DJANGO_TESTING", "REDIS_URL"}
    }
    env.update(
        {
            "VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SERVICE_URL": f"http://127.0.0.1:{port}",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            "SQLITE_TIMEOUT": "1",  # a lock of a few seconds is then "too long", as 20 s is normally
        }
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    log = tmp_path / "service.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "core.supervisor", "--port", str(port), "--web-workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    running = Running(process, log, port, var_dir)
    try:
        wait_for(running.healthy, 90, "the service answering /healthz")
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _sign_in_with_a_wrong_password(base: str) -> tuple[int, str]:
    """A request that writes (a failed sign-in is recorded), as anyone may send it."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/sign-in/", timeout=10) as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, page
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": "nobody@example.test", "password": "not-the-password-1"}
    ).encode()
    request = urllib.request.Request(f"{base}/sign-in/", data=data, headers={"Referer": f"{base}/sign-in/"})
    try:
        with opener.open(request, timeout=30) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode()


def test_the_service_outlives_a_locked_database_and_each_process_killed_and_stops_cleanly_on_ctrl_c(
    service: Running,
) -> None:
    worker = service.pid_of("The task worker")
    scheduler = service.pid_of("The scheduler")
    web = service.pid_of("The web server")
    wait_for(lambda: "Starting worker" in service.text(), 60, "the task worker looking for work")
    wait_for(lambda: "scheduler: running tick" in service.text(), 60, "the scheduler running")

    # 1. A write lock held far longer than the database timeout (1 s here, 20 s by default), and the
    # worker killed in the middle of it, so that its successor starts while the database is locked.
    holder = sqlite3.connect(service.var_dir / "service.sqlite3", timeout=10, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        status, page = _sign_in_with_a_wrong_password(service.base)
        assert status == 503, page
        assert "Sorry, the service is busy" in page
        assert service.healthy(), "reading still works"
        time.sleep(2)  # the worker looks for work every second: it meets the lock
        os.kill(worker, signal.SIGKILL)
        wait_for(lambda: "The task worker started again" in service.text(), 30, "the worker started again")
        time.sleep(6)  # the new worker starts and meets the lock too
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert status_of(f"{service.base}/sign-in/") == 200
    text = service.text()
    assert f"The task worker (pid {worker}) was killed by signal SIGKILL" in text
    assert "restart 2" not in text and "The scheduler (pid" not in text, f"only the one killed stopped:\n{text}"
    worker = service.pid_of("The task worker", restart=1)
    assert alive(worker) and alive(scheduler), text
    assert "the task worker tries again" in text
    assert _sign_in_with_a_wrong_password(service.base)[0] == 200, "once free, the same request works"

    # 2. kill -9 of the scheduler, then of the worker again: the web answers throughout, each comes back.
    for name, pid, restart in (("The scheduler", scheduler, 1), ("The task worker", worker, 2)):
        os.kill(pid, signal.SIGKILL)
        for _ in range(10):
            assert service.healthy(), f"/healthz stopped answering after {name.lower()} was killed"
            time.sleep(0.1)

        def started_again(name: str = name, restart: int = restart) -> bool:
            return f"{name} started again (pid" in service.text() and f"restart {restart})" in service.text()

        wait_for(
            started_again,
            30,
            f"{name} started again",
        )
        assert f"{name} (pid {pid}) was killed by signal SIGKILL" in service.text()
        assert alive(service.pid_of(name, restart=restart))
        assert service.healthy()

    # 3. Even the web server itself comes back.
    os.kill(web, signal.SIGKILL)
    wait_for(lambda: "The web server started again" in service.text(), 30, "the web server started again")
    wait_for(service.healthy, 60, "the web server answering again")

    # 4. Ctrl-C stops everything, cleanly.
    children = [
        service.pid_of("The task worker", restart=2),
        service.pid_of("The scheduler", restart=1),
        service.pid_of("The web server", restart=1),
    ]
    service.process.send_signal(signal.SIGINT)
    assert service.process.wait(timeout=40) == 0, service.text()
    assert "SIGINT received: stopping the web server, the task worker and the scheduler" in service.text()
    assert "Stopped the web server, the task worker and the scheduler" in service.text()
    assert not any(alive(pid) for pid in children)
    assert status_of(f"{service.base}/healthz", timeout=2) == 0, "nothing answers any more"
