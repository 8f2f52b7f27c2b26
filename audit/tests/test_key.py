"""The ledger's key comes from the environment, never from the database; production must set it."""

import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PRINT_KEY = "import django; django.setup(); from django.conf import settings; print(settings.AUDIT_HMAC_KEY)"


def run(tmp_path: Path, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def production(**env: str) -> dict[str, str]:
    return {"DJANGO_ENV": "production", "SECRET_KEY": "s" * 64, "ALLOWED_HOSTS": "reviews.example"} | env


def test_production_refuses_to_start_without_an_audit_key(tmp_path: Path) -> None:
    result = run(tmp_path, PRINT_KEY, **production())
    assert result.returncode != 0
    assert "Set the AUDIT_HMAC_KEY environment variable." in result.stderr


def test_production_refuses_a_short_audit_key_or_the_secret_key_again(tmp_path: Path) -> None:
    short = run(tmp_path, PRINT_KEY, **production(AUDIT_HMAC_KEY="too-short"))
    assert "AUDIT_HMAC_KEY must be at least 32 characters" in short.stderr
    same = run(tmp_path, PRINT_KEY, **production(AUDIT_HMAC_KEY="s" * 64))
    assert "AUDIT_HMAC_KEY must be its own secret, not the SECRET_KEY." in same.stderr


def test_production_uses_the_audit_key_it_is_given(tmp_path: Path) -> None:
    result = run(tmp_path, PRINT_KEY, **production(AUDIT_HMAC_KEY="k" * 48))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "k" * 48
    assert not (tmp_path / "var" / "audit_hmac_key").exists()


def test_the_embedded_default_makes_its_key_once_in_var_readable_by_its_owner_only(tmp_path: Path) -> None:
    first = run(tmp_path, PRINT_KEY)
    second = run(tmp_path, PRINT_KEY)
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "var" / "audit_hmac_key"
    assert first.stdout.strip() == second.stdout.strip() == key_file.read_text().strip()
    assert len(first.stdout.strip()) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [p.name for p in (tmp_path / "var").iterdir() if p.name.startswith(".audit_hmac_key")] == []
