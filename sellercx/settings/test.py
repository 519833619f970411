"""The test suite: always real PostgreSQL, never SQLite.

Order of preference: ``DATABASE_URL`` from the environment, then the machine's PostgreSQL on
127.0.0.1:5432 when it answers, then the embedded one under ``.data/test-postgres``.
Celery runs tasks eagerly and the cache is per process, so tests are independent of Redis.
"""

import os

from sellercx import embedded

from .base import *  # noqa: F403
from .base import DATABASE_URL, database_from_url

if DATABASE_URL:
    _url = DATABASE_URL
elif embedded.tcp_port_open("127.0.0.1", 5432):
    _url = "postgres://postgres@127.0.0.1:5432/postgres"
else:
    _url = embedded.postgres_url("test-postgres")

# Several checkouts (worktrees) on one machine test side by side with their own database names.
_test_name = os.environ.get("TEST_DATABASE_NAME", "test_sellercx")

DATABASES = {
    "default": {**database_from_url(_url), "CONN_MAX_AGE": 0, "TEST": {"NAME": _test_name}}
}

SECRET_KEY = "test-only-secret-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT = None  # served from the apps and static/ by WhiteNoise's finders
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
