"""Test mode (tasks run inline, email kept in memory, a fast password hasher) is chosen by one
environment variable, DJANGO_TESTING, which pytest sets for itself (config/testing.py); whether
pytest happens to be importable or imported in a process says nothing."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
SHOW_MODE = "import django; django.setup(); from django.conf import settings as s; print(s.TESTING, s.TASKS['default']['BACKEND'])"


def settings_in_a_new_process(tmp_path: Path, code: str, **extra: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_TESTING", "DATABASE_URL", "DJANGO_ENV"}}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path / "var"), **extra}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_test_run_says_it_is_one_in_the_environment() -> None:
    assert os.environ.get("DJANGO_TESTING") == "1"
    assert settings.TESTING


def test_a_process_that_imports_pytest_is_not_in_test_mode_unless_told(tmp_path: Path) -> None:
    """A service process whose libraries import pytest (time-machine does, for its fixture) still
    sends its email and queues its tasks."""
    testing, tasks = settings_in_a_new_process(tmp_path, f"import pytest; {SHOW_MODE}")
    assert testing == "False"
    assert tasks == "django_tasks_db.DatabaseBackend"


def test_a_process_told_by_the_environment_is_in_test_mode_without_pytest(tmp_path: Path) -> None:
    testing, tasks = settings_in_a_new_process(
        tmp_path, f"import sys; assert 'pytest' not in sys.modules; {SHOW_MODE}", DJANGO_TESTING="1"
    )
    assert testing == "True"
    assert tasks == "django.tasks.backends.immediate.ImmediateBackend"
