"""All settings, read from environment variables in this one module.

The embedded default (no variables set) is a SQLite database and files under ./var, suitable
for `make demo` and the test suite. Production sets GONGKAI_ENV=production and the variables
listed in .env.example.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import dj_database_url

from gongkai.config import profile

SRC_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


GONGKAI_ENV = env("GONGKAI_ENV", "embedded")  # embedded | production
PRODUCTION = GONGKAI_ENV == "production"
# the test settings module (gongkai.config.test_settings) loads these with the test profile:
# throw-away files, a fast hasher, mail and text messages in memory, inline jobs
TESTING = profile.TESTING
XDIST_WORKER = env("PYTEST_XDIST_WORKER", "main")

_default_data_dir = (
    Path(tempfile.gettempdir()) / f"gongkai-test-{os.getpid()}" if TESTING else Path.cwd() / "var"
)
DATA_DIR = Path(
    env("GONGKAI_TEST_DATA_DIR" if TESTING else "GONGKAI_DATA_DIR", str(_default_data_dir))
).resolve()
MEDIA_ROOT = Path(env("GONGKAI_MEDIA_ROOT", str(DATA_DIR / "media"))).resolve()
STATIC_ROOT = Path(env("GONGKAI_STATIC_ROOT", str(DATA_DIR / "static"))).resolve()
SEARCH_INDEX_DIR = Path(env("GONGKAI_SEARCH_DIR", str(DATA_DIR / "search"))).resolve()

DEBUG = env_bool("DEBUG", default=False)

_INSECURE_DEV_KEY = "embedded-only-insecure-key-0123456789-abcdefghijklmnopqrstuvwxyz"
SECRET_KEY = env("SECRET_KEY", "" if PRODUCTION else _INSECURE_DEV_KEY)
if PRODUCTION and not SECRET_KEY:
    raise RuntimeError("生产环境必须设置 SECRET_KEY 环境变量")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # bounded contexts, innermost first
    "gongkai.apps.audit",
    "gongkai.apps.organizations",
    "gongkai.apps.accounts",
    "gongkai.apps.notifications",
    "gongkai.apps.jobs",
    "gongkai.apps.workcalendar",
    "gongkai.apps.privacy",
    "gongkai.apps.catalog",
    "gongkai.apps.searchwords",
    "gongkai.apps.applications",
    "gongkai.apps.mailbox",
    "gongkai.apps.inspections",
    "gongkai.apps.webcheck",
    "gongkai.apps.credit",
    "gongkai.apps.reporting",
    "gongkai.apps.portal",
    "gongkai.apps.backoffice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gongkai.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongkai.apps.audit.middleware.RequestContextMiddleware",
    "gongkai.apps.portal.security.SecurityHeadersMiddleware",
    "gongkai.api.middleware.JsonOnlyMiddleware",
    "gongkai.observability.access.AccessLogMiddleware",
]

ROOT_URLCONF = "gongkai.config.urls"
WSGI_APPLICATION = "gongkai.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.apps.portal.context.site",
            ],
            "builtins": ["gongkai.apps.portal.templatetags.gk"],
        },
    }
]

DATABASE_URL = env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # BEGIN IMMEDIATE: writers queue instead of failing with "database is locked"
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        # mmap_size: pages read from the operating system's file cache in place instead of
        # copied by a read() each, for every new connection (ADR 0193); 0 switches it off
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA mmap_size={int(env('GONGKAI_SQLITE_MMAP_MB', '512')) * 1024 * 1024};"
        ),
    }
if env("GONGKAI_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env("GONGKAI_TEST_DB_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "backoffice:home"
LOGOUT_REDIRECT_URL = "portal:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # argon2 costs ~50 ms per hash; tests create many users
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_RATE_LIMIT = int(env("GONGKAI_LOGIN_RATE_LIMIT", "5"))  # free attempts per account
LOGIN_RATE_WINDOW = int(env("GONGKAI_LOGIN_RATE_WINDOW", "900"))  # seconds
LOGIN_MAX_DELAY = int(env("GONGKAI_LOGIN_MAX_DELAY", "60"))  # seconds between attempts, at most
# load balancers and reverse proxies whose X-Forwarded-For is believed (addresses or networks)
GONGKAI_TRUSTED_PROXIES = env_list("GONGKAI_TRUSTED_PROXIES")

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    # a test process owns its keys: nothing from an earlier or concurrent run is seen
    _PREFIX = f"test-{os.getpid()}-{XDIST_WORKER}" if TESTING else "gongkai"
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": _PREFIX,
        },
        # sessions live in Redis too, under their own prefix, so every server sees them
        "sessions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{_PREFIX}-session",
            "TIMEOUT": None,
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    SESSION_CACHE_ALIAS = "sessions"
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # shared between server worker processes without any service running
    CACHES = {
        "default": {
            "BACKEND": "gongkai.filecache.FileCache",  # culled now and then, not per write
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

# anonymous public pages kept in the shared cache (ADR 0110); a reverse proxy may keep them
# GONGKAI_PAGE_PROXY_SECONDS (0: it revalidates every time, so a change is seen at once)
GONGKAI_PAGE_CACHE = env_bool("GONGKAI_PAGE_CACHE", default=True)
GONGKAI_PAGE_CACHE_SECONDS = int(env("GONGKAI_PAGE_CACHE_SECONDS", "86400"))
GONGKAI_PAGE_PROXY_SECONDS = int(env("GONGKAI_PAGE_PROXY_SECONDS", "0"))
GONGKAI_SEARCH_PAGE_SECONDS = int(env("GONGKAI_SEARCH_PAGE_SECONDS", "60"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = env("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
STATIC_URL = "/static/"
STATICFILES_DIRS = [SRC_DIR / "static"]
MEDIA_URL = "/media-not-served/"  # uploads are served only through permission-checked views
# uploads and generated files: a directory (GONGKAI_MEDIA_ROOT; on several servers a shared
# one, NAS) or S3-compatible object storage (OBS, OSS, MinIO …) through django-storages
GONGKAI_STORAGE = env("GONGKAI_STORAGE", "local")  # local | s3
if GONGKAI_STORAGE == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("GONGKAI_S3_BUCKET"),
            "endpoint_url": env("GONGKAI_S3_ENDPOINT_URL") or None,
            "access_key": env("GONGKAI_S3_ACCESS_KEY") or None,
            "secret_key": env("GONGKAI_S3_SECRET_KEY") or None,
            "region_name": env("GONGKAI_S3_REGION", "us-east-1"),
            "addressing_style": env("GONGKAI_S3_ADDRESSING_STYLE", "path"),
            "location": env("GONGKAI_S3_PREFIX"),
            "default_acl": None,  # private: files are served only through permission checks
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif GONGKAI_STORAGE == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise RuntimeError(f"GONGKAI_STORAGE 只能是 local 或 s3，而不是“{GONGKAI_STORAGE}”")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
GONGKAI_UPLOAD_MAX_BYTES = int(env("GONGKAI_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))

# mail: with EMAIL_HOST, SMTP; without it, staff notices stay in the back office and the
# applicant notices that must reach people are written as files to GONGKAI_MAIL_DIR (the demo
# prints where); EMAIL_BACKEND overrides both
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "gongkai@localhost")
EMAIL_FILE_PATH = str(Path(env("GONGKAI_MAIL_DIR", str(DATA_DIR / "mail"))))
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.locmem.EmailBackend"
    if TESTING
    else "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_TIMEOUT = 10
# text messages: a dotted path to a backend class (gongkai.apps.notifications.sms)
GONGKAI_SMS_BACKEND = env(
    "GONGKAI_SMS_BACKEND",
    "gongkai.apps.notifications.sms.MemorySmsBackend"
    if TESTING
    else "gongkai.apps.notifications.sms.LoggingSmsBackend",
)
GONGKAI_SMS_OUTBOX = env("GONGKAI_SMS_OUTBOX", str(DATA_DIR / "sms" / "outbox.jsonl"))

# memory for building the PostgreSQL search index in a rebuild (maintenance_work_mem)
GONGKAI_SEARCH_BUILD_MEMORY = env("GONGKAI_SEARCH_BUILD_MEMORY", "512MB")
# the embedded index is the default on either database: it is the faster engine at scale
# (bench/results/search.md); "postgres" keeps everything in the database
GONGKAI_SEARCH_ENGINE = env("GONGKAI_SEARCH_ENGINE", "tantivy")
GONGKAI_RUN_JOBS_INLINE = env_bool("GONGKAI_RUN_JOBS_INLINE", default=TESTING)
# background work (ADR 0120): the broker every web server and worker reaches, e.g.
# amqp://gongkai:secret@mq:5672/gongkai. Unset: a folder under the data directory, for one
# machine (`make demo`; `gongkai serve` then runs the worker itself)
GONGKAI_BROKER_URL = env("GONGKAI_BROKER_URL", "filesystem://")
GONGKAI_QUEUE_DIR = DATA_DIR / "queue"
# Redis as broker only: seconds after which an unacknowledged job is handed out again; longer
# than the longest job time limit
GONGKAI_BROKER_VISIBILITY_TIMEOUT = int(env("GONGKAI_BROKER_VISIBILITY_TIMEOUT", str(4 * 3600)))
# this machine's name among the platform's nodes (default: the host name)
GONGKAI_NODE_NAME = env("GONGKAI_NODE_NAME")
GONGKAI_PDF_FONT_FAMILY = env("GONGKAI_PDF_FONT_FAMILY", "WenQuanYi Zen Hei")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SILENCED_SYSTEM_CHECKS = [] if env_bool("SECURE_HSTS_PRELOAD") else ["security.W021"]

# observability (ADR 0123): an access log line per request (logger gongkai.access, off with
# GONGKAI_ACCESS_LOG=off), text or JSON logs carrying the request id, /metrics for Prometheus
GONGKAI_ACCESS_LOG = env("GONGKAI_ACCESS_LOG", "on")
GONGKAI_LOG_FORMAT = env("GONGKAI_LOG_FORMAT", "text")  # text | json
GONGKAI_METRICS_TOKEN = env("GONGKAI_METRICS_TOKEN")
# a web worker busy with one request longer than this (seconds) is replaced; 0: never
GONGKAI_REQUEST_TIMEOUT = int(env("GONGKAI_REQUEST_TIMEOUT", "60"))
# a web worker whose memory grows past this (MiB) is replaced after its request; 0: no limit
GONGKAI_WORKER_MAX_RSS = int(env("GONGKAI_WORKER_MAX_RSS", "1024"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "gongkai.observability.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "gongkai.observability.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if GONGKAI_LOG_FORMAT == "json" else "text",
            "filters": ["request_id"],
        }
    },
    "loggers": {
        "gongkai.access": {
            "handlers": ["console"],
            "level": "INFO" if GONGKAI_ACCESS_LOG == "on" and not TESTING else "WARNING",
            "propagate": False,
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
