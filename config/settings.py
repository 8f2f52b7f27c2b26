"""One settings module, read from the environment.

Two modes, chosen by environment variables only:
- embedded (the default, what bin/run starts): SQLite in WAL mode, files under var/, the database
  task queue, email written to files;
- production (DJANGO_ENV=production): PostgreSQL from DATABASE_URL, secrets and hosts from the
  environment, secure cookies and HSTS, SMTP email, the Redis queue when REDIS_URL is set.
The test suite adds DJANGO_TESTING=1 (set by pytest itself, config/testing.py): tasks run at once,
email is kept in memory, passwords are hashed quickly.
"""

import importlib.util
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = env_str("DJANGO_ENV", "embedded") == "production"
# Test mode (tasks inline, email in memory, a fast password hasher): set by pytest (config/testing.py)
# and bin/test, never guessed from what happens to be imported.
TESTING = env_bool("DJANGO_TESTING", False)
DEBUG = env_bool("DEBUG", False)


def _embedded_secret_key() -> str:
    """Outside production a key is made once per machine and kept in var/ (never committed)."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY") if PRODUCTION else env_str("SECRET_KEY", _embedded_secret_key())


def _embedded_audit_key() -> str:
    """Outside production the audit ledger's key is made once per machine and kept in var/.

    It is outside the database (someone who can change the database cannot read it), but beside it
    on the same disk: docs/AUDIT.md says what that does and does not protect against. It is
    written whole under a temporary name and linked into place, so processes starting together
    all read the same complete key.
    """
    path = VAR_DIR / "audit_hmac_key"
    if not path.exists():
        descriptor, temporary = tempfile.mkstemp(dir=VAR_DIR, prefix=".audit_hmac_key.")  # mode 0600
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(48))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return path.read_text().strip()


# The audit ledger's HMAC key: from the environment, never from the database. Production must set it.
AUDIT_HMAC_KEY = env_str("AUDIT_HMAC_KEY") if PRODUCTION else os.environ.get("AUDIT_HMAC_KEY") or _embedded_audit_key()
if len(AUDIT_HMAC_KEY) < 32:
    raise ImproperlyConfigured(
        "AUDIT_HMAC_KEY must be at least 32 characters: make one with "
        "python -c 'import secrets; print(secrets.token_urlsafe(48))'."
    )
if AUDIT_HMAC_KEY == SECRET_KEY:
    raise ImproperlyConfigured("AUDIT_HMAC_KEY must be its own secret, not the SECRET_KEY.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])

SERVICE_NAME = env_str("SERVICE_NAME", "Safeguarding practice reviews")
SERVICE_OWNER = env_str("SERVICE_OWNER", "Northshire Safeguarding Children Partnership")
SERVICE_URL = env_str("SERVICE_URL", "http://127.0.0.1:8000")
SUPPORT_EMAIL = env_str("SUPPORT_EMAIL", "business.unit@northshire-scp.example")
# Where the notices of a local review go (the Panel, Ofsted, DfE): the form's first answers when the
# partnership has sent none before. Empty by default: the coordinator is then asked for each address.
NATIONAL_BODY_EMAILS = {
    "panel": env_str("NATIONAL_BODY_EMAIL_PANEL", ""),
    "ofsted": env_str("NATIONAL_BODY_EMAIL_OFSTED", ""),
    "dfe": env_str("NATIONAL_BODY_EMAIL_DFE", ""),
}

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
    "django_tasks_db",
    "core",
    "accounts",
    "partnerships",
    "audit",
    "cases",
    "documents",
    "clocks",
    "notifications",
    "referrals",
    "rapidreviews",
    "localreviews",
    "nationalreviews",
    # Composition: the home page and navigation, and the demo that seeds every stage.
    "portal",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.RequestContextMiddleware",
    # "database is locked" from a view: the busy page (503) instead of a 500 (core/busy.py).
    "core.busy.DatabaseBusyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # 405 for a method the view does not serve (core.http), before the CSRF and sign-in checks.
    "core.middleware.HttpMethodsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view needs a signed-in person unless marked @login_not_required (the public pages).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.RequireTwoFactorMiddleware",
    # One VIEW event for each case the door opened whose data went out with no trace in the ledger (audit.reads).
    "audit.middleware.ReadAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.service",
                "portal.navigation.navigation",
            ],
            "builtins": ["core.templatetags.govuk", "django.templatetags.static"],
        },
    }
]
FORM_RENDERER = "core.forms.renderer.GOVUKFormRenderer"

# Database: SQLite (WAL, IMMEDIATE transactions) unless DATABASE_URL names another.
_default_db = f"sqlite:///{VAR_DIR / 'service.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # How long a request, the task worker or the scheduler waits for another's write before
        # the database answers "locked" (a request then gets the "service is busy" page).
        "timeout": env_int("SQLITE_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
elif PRODUCTION:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if TESTING and not PRODUCTION
    else ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
)
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:signed_out"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)

# Sessions: idle timeout of 30 minutes, warned two minutes before.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
# The idle timeout is enforced by accounts.middleware.IdleTimeoutMiddleware, which signs the person
# out with a message; the session itself lives a little longer so the middleware can still see it
# and say why (if both were 30 minutes, the session would vanish first and the message never show).
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS + 4 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "core.views.errors.csrf_failure"

# Sign-in throttling: 5 failures for a username from an address lock that pair for a while.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "accounts.views.signin.locked_out"
AXES_VERBOSE = False
# The same address the audit ledger records (X-Forwarded-For only as far as our own proxies vouch).
AXES_CLIENT_IP_CALLABLE = "core.middleware.client_ip"
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if PRODUCTION else 0)
AXES_ENABLED = env_bool("AXES_ENABLED", True)

OTP_TOTP_ISSUER = SERVICE_NAME
# Wrong security codes slow down the place they come from, not the person's app (which anyone with
# the password could otherwise keep locked): accounts/code_throttle.py.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# Security headers. HTTPS settings apply in production (behind a TLS-terminating proxy).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_CSP: dict[str, Any] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# Static files: the compiled front end (frontend/build, not committed) served by whitenoise.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "frontend" / "build"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "uploads")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = not PRODUCTION
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# Archives (DOCX, XLSX, ODT) are measured before anything opens them (core/archives.py): at most this
# many parts, this much unpacked in all, and no part over 1 MiB inflating more than this many times.
UPLOAD_ARCHIVE_MAX_ENTRIES = env_int("UPLOAD_ARCHIVE_MAX_ENTRIES", 2000)
UPLOAD_ARCHIVE_MAX_UNPACKED_BYTES = env_int("UPLOAD_ARCHIVE_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)
UPLOAD_ARCHIVE_MAX_RATIO = env_int("UPLOAD_ARCHIVE_MAX_RATIO", 100)
# ClamAV (core/virus_scan.py): "auto" scans with clamd (CLAMD_SOCKET, or its default socket paths) or
# clamscan on the PATH when found, else accepts unscanned; "required" refuses what no scanner checked.
VIRUS_SCAN = env_str("VIRUS_SCAN", "auto")
CLAMD_SOCKET = env_str("CLAMD_SOCKET", "")
CLAMSCAN = env_str("CLAMSCAN", "clamscan")
VIRUS_SCAN_TIMEOUT = env_int("VIRUS_SCAN_TIMEOUT", 120)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email (Django 6.1 mailers): files under var/mail in embedded mode; SMTP in production.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "no-reply@northshire-scp.example")
if PRODUCTION:
    MAILERS: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 30,
            },
        }
    }
elif TESTING:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }

# Background tasks: the database queue (embedded), Redis (REDIS_URL set), immediate in tests.
if TESTING:
    TASKS: dict[str, dict[str, Any]] = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
elif env_str("REDIS_URL", ""):
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": env_str("REDIS_URL")}}
    # django-tasks-rq runs its jobs through django-rq (`manage.py rqworker --job-class django_tasks_rq.Job`);
    # without the app, Django's system check fails and `migrate` refuses to run.
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, g:i a"
SHORT_DATE_FORMAT = "j M Y"

DEMO_PASSWORD = env_str("DEMO_PASSWORD", "northshire-demo-pass-2026")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 403 is logged as one line, not the PermissionDenied's traceback (core/log_filters.py).
    "filters": {"one_line_refusals": {"()": "core.log_filters.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING" if TESTING else "INFO")},
    # pikepdf (joining PDF parts) announces its C++ logging bridge at INFO on import; WeasyPrint logs
    # each step and page of every layout at INFO (a dozen lines a document in the worker's log and on
    # the command line).
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"filters": ["one_line_refusals"]},
        "pikepdf": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Signed checkpoints of the audit ledger, outside the database (docs/AUDIT.md): every
# AUDIT_CHECKPOINT_MINUTES the scheduler appends one. Embedded: an append-only file under var/.
# Production: an object-storage bucket (S3-compatible, through django-storages) with Object Lock.
AUDIT_CHECKPOINT_MINUTES = env_int("AUDIT_CHECKPOINT_MINUTES", 15)
if env_str("AUDIT_CHECKPOINT_BUCKET", ""):
    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured("AUDIT_CHECKPOINT_BUCKET needs django-storages: pip install 'django-storages[s3]'.")
    STORAGES["audit_checkpoints"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AUDIT_CHECKPOINT_BUCKET"),
            "endpoint_url": env_str("AUDIT_CHECKPOINT_ENDPOINT_URL", "") or None,
            "region_name": env_str("AUDIT_CHECKPOINT_REGION", "") or None,
            "file_overwrite": False,
            "default_acl": None,
        },
    }
    AUDIT_CHECKPOINTS: dict[str, Any] = {
        "BACKEND": "audit.checkpoint_stores.StorageCheckpointStore",
        "OPTIONS": {"storage": "audit_checkpoints", "prefix": env_str("AUDIT_CHECKPOINT_PREFIX", "audit-checkpoints")},
    }
else:
    AUDIT_CHECKPOINTS = {
        "BACKEND": "audit.checkpoint_stores.FileCheckpointStore",
        "OPTIONS": {"path": env_str("AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit" / "checkpoints.jsonl"))},
    }

# Periodic management commands the scheduler runs every minute (each is idempotent).
SCHEDULED_COMMANDS = ["tick", "messages_send", "audit_checkpoint", "tasks_recover"]
# A job still "running" this long after its worker started it, on a worker this machine cannot
# check (another host), was lost with its worker: it is run again (core/task_recovery.py).
TASK_LOST_AFTER_MINUTES = env_int("TASK_LOST_AFTER_MINUTES", 30)
