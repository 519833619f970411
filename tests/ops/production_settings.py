"""Production settings for a site the fault tests run as a real process (gunicorn): everything
from ``sellercx.settings.production`` and the environment, except that static files come from
the apps' folders (``collectstatic`` is a build step of the image, not of the test suite)."""

from sellercx.settings.production import *  # noqa: F403

STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
