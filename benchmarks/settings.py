"""Settings of the benchmark: production-like (no debug, no toolbar), pointed at the bench
database given in ``BENCH_DATABASE_URL``; tasks run eagerly unless a broker is given."""

import os

from sellercx.settings.base import *  # noqa: F403
from sellercx.settings.base import database_from_url

DEBUG = False
ALLOWED_HOSTS = ["*"]
SECRET_KEY = "bench-only-secret-key"  # noqa: S105
DATABASES = {"default": {**database_from_url(os.environ["BENCH_DATABASE_URL"]), "CONN_MAX_AGE": 60}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = os.environ.get("BENCH_BROKER_URL", "memory://")
CELERY_TASK_ALWAYS_EAGER = "BENCH_BROKER_URL" not in os.environ
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The load test measures the code, not the rate limits integrators are held to.
SELLERCX_API_RATES = {"default": [1e9, 1e9], "ingest": [1e9, 1e9]}
ROOT_URLCONF = "benchmarks.urls"
if "BENCH_BROKER_URL" in os.environ:  # the fan-out scenario waits for its tasks' results
    CELERY_RESULT_BACKEND = CELERY_BROKER_URL
    CELERY_TASK_IGNORE_RESULT = False
