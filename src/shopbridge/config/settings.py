"""ShopBridge settings, all from the environment (12-factor) with safe local defaults.

Defaults give a single-machine install with nothing else running: SQLite in WAL mode and a
Celery broker stored in SQLite through kombu's SQLAlchemy transport, both in the data dir.
At scale: DATABASE_URL=postgres://..., CELERY_BROKER_URL=redis://... or amqp://...
"""

from __future__ import annotations

import os
from pathlib import Path

import environ

from .paths import data_dir
from .secrets_store import key_from_env_or_file

env = environ.Env()
BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

PRODUCTION = env.bool("SHOPBRIDGE_PRODUCTION", default=False)
DEBUG = env.bool("SHOPBRIDGE_DEBUG", default=False)
SECRET_KEY = key_from_env_or_file("SECRET_KEY", DATA_DIR, production=PRODUCTION, kind="django")
FIELD_ENCRYPTION_KEYS = [
    k.strip()
    for k in key_from_env_or_file(
        "FIELD_ENCRYPTION_KEY", DATA_DIR, production=PRODUCTION, kind="fernet"
    ).split(",")
    if k.strip()
]
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
PUBLIC_BASE_URL = env.str("SHOPBRIDGE_PUBLIC_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "shopbridge.accounts",
    "shopbridge.connections",
    "shopbridge.catalog",
    "shopbridge.listings",
    "shopbridge.orders",
    "shopbridge.webhooks",
    "shopbridge.sync",
    "shopbridge.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_RESET_ON_SUCCESS = True

ROOT_URLCONF = "shopbridge.config.urls"
WSGI_APPLICATION = "shopbridge.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'shopbridge.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a worker writes; IMMEDIATE avoids lock upgrades
    # deadlocking under concurrent writers; busy timeout waits instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    # Tests use a file, not shared-cache memory: concurrency tests need real SQLite locking.
    # One file per test process, so two test runs sharing a data dir never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test_shopbridge_{os.getpid()}.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less header set in the base template
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL", default=f"sqlalchemy+sqlite:///{DATA_DIR / 'broker.sqlite3'}"
)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# One queue name per installation: two ShopBridge installs (or test runs) sharing a broker never
# consume each other's messages.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="shopbridge")
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
RECONCILE_INTERVAL_SECONDS = env.int("RECONCILE_INTERVAL_SECONDS", default=60)
JOB_STALE_AFTER_SECONDS = env.int("JOB_STALE_AFTER_SECONDS", default=300)

# Rate budgets shared by all workers: 'sqlite' (default, a file in DATA_DIR), 'redis', or 'postgres'.
RATE_BUDGET_BACKEND = env.str("RATE_BUDGET_BACKEND", default="")
RATE_BUDGET_REDIS_URL = env.str("RATE_BUDGET_REDIS_URL", default="")

# --- Logging (structured JSON lines) --------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "shopbridge.core.logging.RedactSecretsFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "ts", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["redact"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}

# --- Dashboard, REST API, metrics ------------------------------------------------------------
# django_htmx ships htmx itself as a static file ({% htmx_script %}) and sets request.htmx;
# "ninja" makes /api/docs serve its bundled Swagger UI instead of loading it from a CDN.
INSTALLED_APPS += ["django_htmx", "ninja"]
MIDDLEWARE += [
    "django_htmx.middleware.HtmxMiddleware",
    "shopbridge.api.middleware.ApiErrorEnvelopeMiddleware",
]
TEMPLATES[0]["OPTIONS"]["context_processors"] += ["shopbridge.dashboard.context.navigation"]
# Axes answers a locked-out sign-in with this page (status 429) instead of a bare text response.
AXES_LOCKOUT_TEMPLATE = "dashboard/locked_out.html"
# /metrics: loopback may scrape without a token; anyone else must send "Authorization: Bearer <token>".
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
