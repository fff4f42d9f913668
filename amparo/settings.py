"""Amparo's one settings module: every value comes from the environment.

`AMPARO_ENV=production` switches to production behaviour, which refuses to start without a
secret key and allowed hosts. The defaults suit a laptop: SQLite in `var/`, a broker on the
local filesystem, e-mail printed to the console.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from amparo.core.env import dev_service_key, env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("AMPARO_VAR_DIR", str(BASE_DIR / "var")))

AMPARO_ENV = env_str("AMPARO_ENV", "development")
if AMPARO_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured("AMPARO_ENV must be development, test or production.")
PRODUCTION = AMPARO_ENV == "production"

DEBUG = env_bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG cannot be on when AMPARO_ENV=production.")

_dev_secret = "insecure-development-key-" + "x" * 40  # never used in production (see below)
SECRET_KEY = env_secret("SECRET_KEY", required=PRODUCTION) or _dev_secret
if PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when AMPARO_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "amparo.accounts.admin_site.AmparoAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "amparo.core",
    "amparo.accounts",
    "amparo.vault",
    "amparo.network",
    "amparo.vocabulary",
    "amparo.registry",
    "amparo.analytics",
    "amparo.appeals",
    "amparo.support",
    "amparo.helpdesk",
    "amparo.surveys",
    "amparo.protection",
    "amparo.openrosa",
    "amparo.channels",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "amparo.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "amparo.core.middleware.NulRefusedMiddleware",  # a NUL in the address: 400, never a 500
    "django.middleware.common.CommonMiddleware",
    "amparo.core.middleware.NoReferrerCsrfMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "amparo.accounts.middleware.SessionGuardMiddleware",
    "amparo.vault.middleware.VaultMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "amparo.core.middleware.ErrorPagesMiddleware",  # 405 gets our page (Django has no handler for it)
]

# Django looks for its own CSRF middleware by name; ours subclasses it (see core/middleware.py)
# and core/checks.py fails loudly if it is ever removed from MIDDLEWARE.
SILENCED_SYSTEM_CHECKS = ["security.W003"]

ROOT_URLCONF = "amparo.urls"
WSGI_APPLICATION = "amparo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'amparo.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock when a transaction starts, so concurrent
    # writers queue instead of failing mid-way; WAL lets readers go on meanwhile.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
    }
    # A file (not memory) so threads and live-server tests share it; one per test run, so two
    # runs at once (a developer and an editor's test watcher) never clash.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-amparo-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and sessions ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_HASHERS = ["amparo.accounts.hashers.BoundedArgon2PasswordHasher"]
ARGON2_MAX_CONCURRENT = env_int("ARGON2_MAX_CONCURRENT", 2, minimum=1)
LOGIN_GLOBAL_FAILURES_PER_MINUTE = env_int("LOGIN_GLOBAL_FAILURES_PER_MINUTE", 300, minimum=1)
# Anonymous reports (registry.services.intake): one global limit on submissions and receipt checks, per
# minute, for the whole site (never per client); untriaged reports are deleted after N days.
ANONYMOUS_GLOBAL_PER_MINUTE = env_int("ANONYMOUS_GLOBAL_PER_MINUTE", 120, minimum=1)
ANONYMOUS_RETENTION_DAYS = env_int("ANONYMOUS_RETENTION_DAYS", 90, minimum=1)
# The global salt of the receipts' Argon2id (vault.derive_reporter_keys); empty: derived from
# SECRET_KEY (changing either makes every receipt unknown).
RECEIPT_SALT = env_secret("RECEIPT_SALT", required=False)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 3600, minimum=60)
# Her pages (an anonymous reporter's conversation, a defender's own reports) live at short-lived
# addresses that close after this many idle seconds, or at the quick exit (vault/short_lived.py).
HER_PAGES_IDLE_SECONDS = env_int("HER_PAGES_IDLE_SECONDS", 15 * 60, minimum=60)
INVITATION_DAYS = env_int("INVITATION_DAYS", 7, minimum=1)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365, minimum=1)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_SECONDS", 3600, minimum=300)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 15}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
# Server-side sessions in the database: nothing but an opaque key sits in the browser.
SESSION_ENGINE = "amparo.accounts.session_store"  # Django's database store, keys kept hashed
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True  # the idle timeout restarts on every request
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_AGE = None  # ends with the browser
CSRF_COOKIE_HTTPONLY = True
# A refused CSRF check gives her form back filled in, never Django's stock page (core/errors.py).
CSRF_FAILURE_VIEW = "amparo.core.errors.csrf_failure"
LANGUAGE_COOKIE_AGE = None

# --- Vault (DESIGN.md, data protection rule 1) ---------------------------------------------
# Argon2id for member keys: at least 64 MiB in production; tests lower it through a fixture.
VAULT_KDF_OPS = env_int("VAULT_KDF_OPS", 3, minimum=1)
VAULT_KDF_MEM = env_int("VAULT_KDF_MEM", 64 * 1024 * 1024, minimum=64 * 1024 * 1024 if PRODUCTION else 8192)
# The service key seals what machines must open without a member (supporters' contacts). In
# production it comes from the environment or a secret file kept off the database host and out
# of backups; a development machine makes one in var/ on first start.
VAULT_SERVICE_KEY = env_secret("VAULT_SERVICE_KEY", required=PRODUCTION) or dev_service_key(VAR_DIR)
try:
    if len(base64.b64decode(VAULT_SERVICE_KEY, validate=True)) != 32:
        raise ValueError
except ValueError as exc:
    raise ImproperlyConfigured("VAULT_SERVICE_KEY must be 32 random bytes in base64.") from exc
# Backups (docs/backup.md): the public key archives are encrypted to (`manage.py backup_keygen`
# prints it); its private half stays offline, never on the server.
BACKUP_PUBLIC_KEY = env_str("AMPARO_BACKUP_PUBLIC_KEY", "")

# --- Cache: shared by every process (login throttling lives here) ---------------------------
# The embedded default is a table in the database; production points CACHE_URL at Redis.
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "amparo_cache"},
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
]
# Each app keeps its own catalogs in amparo/<app>/locale; listed here (core first: makemessages
# puts strings of files outside the apps there) so they come before Django's own, as before.
LOCALE_PATHS = [BASE_DIR / "amparo" / app / "locale"
                for app in dict.fromkeys(["core", *(name.split(".")[1] for name in INSTALLED_APPS
                                                    if name.startswith("amparo."))])]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist")]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it; finders serve
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Sealed attachment files. Code reaches them only through
# `django.core.files.storage.storages["attachments"]`; they are sealed before they reach it, so
# either backend holds ciphertext under random names (docs/deploy.md, "Attachments on object
# storage"). The embedded default: a folder under MEDIA_ROOT (it follows MEDIA_ROOT).
ATTACHMENTS_S3_BUCKET = env_str("ATTACHMENTS_S3_BUCKET", "")
AMPARO_ATTACHMENTS_STORAGE = env_str("AMPARO_ATTACHMENTS_STORAGE", "s3" if ATTACHMENTS_S3_BUCKET else "filesystem")
if AMPARO_ATTACHMENTS_STORAGE == "filesystem":
    STORAGES["attachments"] = {
        "BACKEND": "amparo.core.storage.SealedFileStorage",
        "OPTIONS": {"subfolder": "attachments"},
    }
elif AMPARO_ATTACHMENTS_STORAGE == "s3":
    if not ATTACHMENTS_S3_BUCKET:
        raise ImproperlyConfigured("AMPARO_ATTACHMENTS_STORAGE=s3 needs ATTACHMENTS_S3_BUCKET.")
    from botocore.config import Config as _S3Config  # type: ignore[import-untyped]

    _s3_options: dict[str, object] = {
        "bucket_name": ATTACHMENTS_S3_BUCKET,
        "location": env_str("ATTACHMENTS_S3_PREFIX", "").strip("/"),
        # Files are only ever served by Amparo, after unsealing: no public ACL, no signed URLs,
        # never one object written over another.
        "default_acl": None,
        "querystring_auth": False,
        "file_overwrite": False,
        "client_config": _S3Config(
            connect_timeout=env_int("ATTACHMENTS_S3_TIMEOUT", 10, minimum=1),
            read_timeout=env_int("ATTACHMENTS_S3_TIMEOUT", 10, minimum=1) * 3,
            retries={"mode": "standard", "max_attempts": 3},
        ),
    }
    for _option, _value in {
        "endpoint_url": env_str("ATTACHMENTS_S3_ENDPOINT_URL", ""),
        "region_name": env_str("ATTACHMENTS_S3_REGION", ""),
        "addressing_style": env_str("ATTACHMENTS_S3_ADDRESSING_STYLE", ""),
        "access_key": env_secret("ATTACHMENTS_S3_ACCESS_KEY_ID", required=False),
        "secret_key": env_secret("ATTACHMENTS_S3_SECRET_ACCESS_KEY", required=False),
    }.items():
        if _value:  # unset: boto's own chain (AWS_* variables, an instance role)
            _s3_options[_option] = _value
    STORAGES["attachments"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
else:
    raise ImproperlyConfigured("AMPARO_ATTACHMENTS_STORAGE must be filesystem or s3.")
# Attachments are sealed as they arrive; uploads stay in memory (never a clear temporary file
# on disk), which is why they are capped.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# Public statistics: cells under this many incidents are suppressed (docs/analytics.md).
AMPARO_STATS_MIN_CELL = env_int("AMPARO_STATS_MIN_CELL", 5, minimum=2)
# A file over ATTACHMENT_MAX_BYTES is not kept but named to the form, which refuses it with a
# clear message (amparo/core/uploads.py): never dropped silently, never a temporary file.
FILE_UPLOAD_HANDLERS = ["amparo.core.uploads.BoundedMemoryUpload"]
FILE_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_BYTES
# Photos are decoded to remove their hidden details only up to this many pixels (registry
# services): 30 MP takes at most ~120 MB decoded (4 bytes a pixel), which keeps one upload of
# a web worker under 256 MB. Phones send 12 MP by default (their 48-200 MP sensors bin
# pixels), 24 MP on the newest; a larger JPEG is cleaned without decoding, any other larger
# image kept sealed as sent, with a note to the desk (HEIF counts double: libheif's buffer).
AMPARO_IMAGE_MAX_PIXELS = env_int("AMPARO_IMAGE_MAX_PIXELS", 30_000_000, minimum=1_000_000)
# Files of incidents imported from the upload page, held in memory only (registry/transfer);
# larger files go through `manage.py import_incidents`. Mappings offered on that page:
IMPORT_UPLOAD_MAX_BYTES = env_int("IMPORT_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
IMPORT_MAPPINGS_DIR = Path(env_str("IMPORT_MAPPINGS_DIR", str(BASE_DIR / "docs" / "mappings")))

# --- Security headers (DESIGN.md, data protection rule 7) -----------------------------------
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST", required=PRODUCTION)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", required=False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# Neutral by default: a seized inbox should not show who wrote (DESIGN.md, safety in the interface).
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "no-reply@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

# --- Background jobs ------------------------------------------------------------------------
# The embedded default needs no server: messages are files under var/broker/.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {"visibility_timeout": 3600}
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
if CELERY_BROKER_URL.startswith("filesystem"):
    for folder in ("queue", "processed", "control"):
        (VAR_DIR / "broker" / folder).mkdir(parents=True, exist_ok=True)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "send-audit-anchor": {
        "task": "amparo.network.tasks.send_audit_anchor",
        "schedule": float(env_int("AUDIT_ANCHOR_EVERY_SECONDS", 24 * 3600, minimum=60)),
    },
    "helpdesk-tick": {  # escalations at 60 and 90 minutes, lockdown warnings
        "task": "amparo.helpdesk.tasks.tick",
        "schedule": 60.0,
    },
    "support-remind-overdue": {  # decisions past the 72-hour target, follow-up reports due
        "task": "amparo.support.tasks.remind_overdue_requests",
        "schedule": 900.0,
    },
    "protection-missed-check-ins": {  # a missed check-in alerts the desk once
        "task": "amparo.protection.tasks.alert_missed_check_ins",
        "schedule": float(env_int("AMPARO_CHECK_IN_SWEEP_SECONDS", 300, minimum=10)),
    },
    "channels-poll-mailboxes": {  # the desks' report mailboxes, over IMAP
        "task": "amparo.channels.tasks.poll_mailboxes",
        "schedule": float(env_int("AMPARO_MAILBOX_POLL_SECONDS", 120, minimum=10)),
    },
    "channels-expire-sms": {  # SMS conversations left half-way
        "task": "amparo.channels.tasks.expire_sms_conversations",
        "schedule": float(env_int("AMPARO_SMS_EXPIRY_EVERY_SECONDS", 3600, minimum=60)),
    },
    "analytics-build-rollups": {  # rollups missing or built with another vocabulary
        "task": "amparo.analytics.tasks.build_rollups",
        "schedule": 300.0,
    },
    "sweep-expired-sessions": {
        "task": "amparo.accounts.tasks.sweep_expired_sessions",
        "schedule": 3600.0,
    },
    "analytics-check-public-tables": {  # the public tables' safety net: writes around the services
        "task": "amparo.analytics.tasks.check_public_tables",
        "schedule": 60.0,
    },
    "sweep-counters": {
        "task": "amparo.core.tasks.sweep_counters",
        "schedule": 3600.0,
    },
    "expire-untriaged-reports": {
        "task": "amparo.registry.tasks.expire_untriaged_reports",
        "schedule": float(env_int("RETENTION_EVERY_SECONDS", 24 * 3600, minimum=60)),
    },
    "sweep-circulation": {  # stale claims back to the queue, retries due (appeals/services/circulation_queue.py)
        "task": "amparo.appeals.tasks.sweep_circulation",
        "schedule": float(env_int("AMPARO_CIRCULATION_SWEEP_SECONDS", 60, minimum=1)),
        "options": {"queue": env_str("AMPARO_CIRCULATION_QUEUE", "celery")},
    },
}

# --- Circulation of appeals (appeals/services/circulation_queue.py, appeals/transport; docs/circulation.md)
# Links in messages point here (no request to take them from in a worker).
AMPARO_PUBLIC_URL = env_str("AMPARO_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Message-IDs are <delivery-uuid@AMPARO_MAIL_DOMAIN>; the From of appeals.
AMPARO_MAIL_DOMAIN = env_str("AMPARO_MAIL_DOMAIN", DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost")
AMPARO_CIRCULATION_FROM = env_str("AMPARO_CIRCULATION_FROM", DEFAULT_FROM_EMAIL)
AMPARO_CIRCULATION_SMTP_CONNECTIONS = env_int("AMPARO_CIRCULATION_SMTP_CONNECTIONS", 4, minimum=1)  # per worker
AMPARO_CIRCULATION_BATCH_SIZE = env_int("AMPARO_CIRCULATION_BATCH_SIZE", 200, minimum=1)
AMPARO_CIRCULATION_TASKS = env_int("AMPARO_CIRCULATION_TASKS", 2, minimum=1)  # senders started at approval
AMPARO_CIRCULATION_CLAIM_TIMEOUT = env_int("AMPARO_CIRCULATION_CLAIM_TIMEOUT_SECONDS", 300, minimum=2)
AMPARO_CIRCULATION_RETRY_SECONDS = env_int("AMPARO_CIRCULATION_RETRY_SECONDS", 30, minimum=1)  # doubles
AMPARO_CIRCULATION_MAX_ATTEMPTS = env_int("AMPARO_CIRCULATION_MAX_ATTEMPTS", 10, minimum=1)
AMPARO_CIRCULATION_RETRY_MAX_SECONDS = env_int("AMPARO_CIRCULATION_RETRY_MAX_SECONDS", 3600, minimum=1)
AMPARO_CIRCULATION_QUEUE = env_str("AMPARO_CIRCULATION_QUEUE", "celery")
# An SMS gateway speaking Twilio's request format (core/sms.py); no URL, no SMS.
AMPARO_SMS_URL = env_str("AMPARO_SMS_URL")
AMPARO_SMS_ACCOUNT = env_str("AMPARO_SMS_ACCOUNT")
AMPARO_SMS_TOKEN = env_secret("AMPARO_SMS_TOKEN", required=False)
# For a gateway that cannot sign its webhook: a shared secret it sends in `X-Webhook-Secret`
# (HTTPS only). Empty: only Twilio-style signatures are accepted at /channels/sms/.
AMPARO_SMS_WEBHOOK_SECRET = env_secret("AMPARO_SMS_WEBHOOK_SECRET", required=False)
AMPARO_SMS_FROM = env_str("AMPARO_SMS_FROM")

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "amparo.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "amparo.core.openapi.AutoSchema",  # documents 401/403/404/429 too
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Amparo API",
    "DESCRIPTION": "Network, desks and memberships of an Amparo deployment.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Logging: never request bodies, never client addresses ---------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # django.server logs each request line with the client address: silenced.
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "django.request": {"level": "ERROR"},
    },
}
