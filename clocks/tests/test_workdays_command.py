"""`manage.py workdays`: one line whose first token is the answer; bad input exits with status 2."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


def test_it_adds_subtracts_and_counts_on_the_seeded_calendar(db: None) -> None:
    assert _run("add", "2025-12-22", "5").split()[0] == "2025-12-31"
    assert _run("add", "2025-12-31", "15").split()[0] == "2026-01-22"
    assert _run("add", "2026-12-23", "5").split()[0] == "2027-01-04"
    assert _run("sub", "2026-03-16", "7").split()[0] == "2026-03-05"
    assert _run("between", "2025-12-22", "2025-12-31").split()[0] == "5"
    assert _run("between", "2025-12-31", "2025-12-22").split()[0] == "-5"
    assert len(_run("add", "2025-12-22", "5").strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [("add", "2025-13-01", "5"), ("add", "2025-12-22", "five"), ("between", "2025-12-22", "soon"), ("add", "x")],
)
def test_bad_input_is_a_command_error_with_status_2(db: None, args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError) as raised:
        _run(*args)
    assert raised.value.returncode == 2


def test_from_the_shell_a_bad_date_prints_one_line_and_exits_2() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "workdays", "add", "2025-02-30", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Not a date" in result.stderr


def test_from_the_shell_the_answer_is_the_first_token() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "workdays", "add", "2026-12-23", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert result.stdout.split()[0] == "2027-01-04"
