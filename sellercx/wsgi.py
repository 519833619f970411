"""WSGI entry point (gunicorn in production)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sellercx.settings.dev")

application = get_wsgi_application()

# A worker imports the URLconf (every view, serializer and form) and builds its reverse map
# as it starts, not in its first request, which took about a second (#8).
get_resolver().reverse_dict  # noqa: B018 - built on first access
