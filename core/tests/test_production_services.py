"""Production as the README describes it: PostgreSQL from DATABASE_URL and the Redis task queue from
REDIS_URL. The settings are started in a subprocess (as a deployment would), against a database of
this test's own, made and dropped here: the `test` database a PostgreSQL CI run uses is never
touched. Without PostgreSQL or Redis answering on this machine the test is skipped, saying which."""

import os
import secrets
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
POSTGRES = os.environ.get("TEST_POSTGRES_SERVER", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _postgres_admin() -> Any:
    """A connection to the maintenance database, or a skip saying PostgreSQL did not answer."""
    import psycopg

    try:
        return psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3, autocommit=True)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL does not answer on {POSTGRES} ({' '.join(str(error).split())[:160]})")


def _redis_answers() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3, socket_timeout=3).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis does not answer on {REDIS_URL} ({error})")


@pytest.fixture
def own_database() -> Iterator[str]:
    """A PostgreSQL database for this test alone (named after the process), dropped afterwards."""
    _redis_answers()
    admin = _postgres_admin()
    name = f"test_prod_settings_{os.getpid()}"
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _production(tmp_path: Path, database_url: str) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(64)),
        "AUDIT_HMAC_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "reviews.example",
        "SERVICE_URL": "https://reviews.example",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "EMAIL_HOST": "smtp.reviews.example",
        "VAR_DIR": str(tmp_path / "var"),
    }


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_production_with_postgresql_and_redis_passes_the_deploy_check_and_migrates(
    tmp_path: Path, own_database: str
) -> None:
    env = _production(tmp_path, own_database)

    check = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "no issues" in check.stdout

    migrate = _manage(env, "migrate", "--no-input")
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr

    # Migrated for real: no model is left without its migration, and the tables are there.
    pending = _manage(env, "makemigrations", "--check", "--dry-run")
    assert pending.returncode == 0, pending.stdout + pending.stderr
    tables = _manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        "from django.db import connection; names = connection.introspection.table_names(); "
        "print('cases_case' in names, 'django_tasks_database_dbtaskresult' in names)",
    )
    assert tables.stdout.split() == ["True", "True"], tables.stdout + tables.stderr


def test_production_with_redis_queues_tasks_on_redis(tmp_path: Path, own_database: str) -> None:
    env = _production(tmp_path, own_database)
    result = _manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        "from django.tasks import task_backends; print(type(task_backends['default']).__name__)",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.split() == ["RQBackend"]
