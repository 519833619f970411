"""Production: everything from the environment, and no default for what must be secret.

A missing ``SECRET_KEY``, ``DATABASE_URL`` or ``REDIS_URL`` stops the process at start.
"""

import logging

from .base import *  # noqa: F403
from .base import LOGGING, celery_broker_from_redis, database_from_url, env, redis_cache

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
DATABASES = {"default": database_from_url(env("DATABASE_URL"))}
REDIS_URL = env("REDIS_URL")
CACHES = redis_cache(REDIS_URL)
CELERY_BROKER_URL = celery_broker_from_redis(REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Issue #9: one JSON object per line on stdout (sellercx.logs), for web and Celery alike:
# Celery keeps its hands off the root logger, so its records go through the same handler.
LOGGING = {
    **LOGGING,
    "formatters": {"json": {"()": "sellercx.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": "json",
        }
    },
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # The request line comes from sellercx.logs.RequestIdMiddleware, with the request id.
        "django.server": {"level": "WARNING"},
        "gunicorn.access": {"level": "WARNING"},
        "celery": {"level": env("LOG_LEVEL", default="INFO")},
    },
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
logging.captureWarnings(True)  # Python warnings become log records, hence JSON lines too

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
