"""mypy checks every app of the project with its tests, the browser journeys and the shared test
fixtures: an app added to INSTALLED_APPS but not to pyproject's mypy `files` fails here."""

import tomllib
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR).resolve()


def mypy_config() -> dict[str, Any]:
    config: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    return config


def project_apps() -> set[str]:
    """The top-level folders of the installed apps that live in this repository (not the packages
    installed into its .venv, which bin/test creates inside the checkout)."""
    folders = set()
    for app in apps.get_app_configs():
        path = Path(app.path).resolve()
        if path.is_relative_to(ROOT) and "site-packages" not in path.parts:
            folders.add(path.relative_to(ROOT).parts[0])
    return folders


def test_mypy_checks_every_installed_app_of_the_project() -> None:
    assert "cases" in project_apps() and "django" not in project_apps()
    unchecked = project_apps() - set(mypy_config()["files"])
    assert not unchecked, f"add {sorted(unchecked)} to [tool.mypy] files in pyproject.toml"


def test_mypy_checks_the_settings_the_browser_journeys_and_the_shared_fixtures() -> None:
    assert {"config", "e2e", "conftest.py"} <= set(mypy_config()["files"])


def test_mypy_leaves_out_only_migrations_never_tests() -> None:
    assert mypy_config().get("exclude", []) == ["/migrations/"]
    assert not mypy_config().get("overrides"), "a per-module override needs a written reason beside it"
