"""Local development: ``make run`` and any ``manage.py`` command on a developer's machine.

With ``DATABASE_URL`` unset, the embedded PostgreSQL under ``.data/postgres`` is started (or
joined). ``make run`` starts the embedded Redis itself and passes ``REDIS_URL`` to web, worker
and beat; a bare ``manage.py`` command without it runs tasks eagerly with a local cache.
"""

from sellercx import embedded

from .base import *  # noqa: F403
from .base import DATABASE_URL, database_from_url, env

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])

DATABASES = {"default": database_from_url(DATABASE_URL or embedded.postgres_url())}

STATIC_ROOT = None  # served from the apps and static/ by WhiteNoise's finders
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
