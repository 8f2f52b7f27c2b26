"""The security baseline: deploy checks under production settings, and the response headers."""

import re
import secrets
import string
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import SignIn, World

ROOT = Path(settings.BASE_DIR)


def production_env(tmp_path: Path) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(64)),
        "AUDIT_HMAC_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "reviews.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path / "var"),
    }


def test_check_deploy_is_clean_under_production_settings(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_turn_on_https_protections(tmp_path: Path) -> None:
    script = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    hsts, session_secure, csrf_secure, ssl_redirect, debug = result.stdout.split()
    assert int(hsts) >= 31536000
    assert (session_secure, csrf_secure, ssl_redirect, debug) == ("True", "True", "True", "False")


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_pages_carry_a_nonce_csp_and_the_protective_headers(client: Client, db: None) -> None:
    response = client.get(reverse("accounts:sign_in"))
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"])
    assert nonce, csp
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts
    for attributes in scripts:
        assert f'nonce="{nonce.group(1)}"' in attributes or "src=" in attributes, attributes
    assert "style=" not in html
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_each_response_gets_a_fresh_nonce(client: Client, db: None) -> None:
    first = client.get(reverse("accounts:sign_in"))["Content-Security-Policy"]
    second = client.get(reverse("accounts:sign_in"))["Content-Security-Policy"]
    assert first != second


def test_signed_in_pages_are_never_cached(world: World, signed_in: SignIn) -> None:
    response = signed_in(world.people["coordinator"]).get(reverse("accounts:account"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_cookies_are_http_only_and_same_site(world: World, client: Client) -> None:
    from conftest import PASSWORD

    client.post(reverse("accounts:sign_in"), {"username": "coordinator@example.test", "password": PASSWORD})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_production_mail_goes_by_smtp_from_the_environment_without_deprecated_settings(tmp_path: Path) -> None:
    script = (
        "import warnings; warnings.simplefilter('error');"
        "from django.core import mail; m = mail.mailers['default'];"
        "print(type(m).__name__, m.host, m.port, m.username, m.use_tls)"
    )
    env = production_env(tmp_path) | {
        "EMAIL_HOST": "smtp.reviews.example",
        "EMAIL_PORT": "2525",
        "EMAIL_HOST_USER": "mailer",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["EmailBackend", "smtp.reviews.example", "2525", "mailer", "True"]
