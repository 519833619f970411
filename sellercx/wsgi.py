"""WSGI entry point (gunicorn in production).

Only the web server imports this module, so the web's own deadline for database statements
(``DATABASE_STATEMENT_TIMEOUT``) is set here: Celery workers, migrations and management
commands keep PostgreSQL's (none) for their long statements.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sellercx.settings.dev")


def limit_statements(databases: dict, seconds: float) -> None:
    """PostgreSQL cancels a statement of these connections running longer than ``seconds``
    (libpq ``options``: no extra round trip); 0 leaves them unlimited."""
    if seconds <= 0:
        return
    for database in databases.values():
        options = database.setdefault("OPTIONS", {})
        limit = f"-c statement_timeout={round(seconds * 1000)}"
        options["options"] = f"{options.get('options', '')} {limit}".strip()


# Before the first connection opens: connections read their settings when they connect.
limit_statements(settings.DATABASES, settings.DATABASE_STATEMENT_TIMEOUT)

application = get_wsgi_application()

# A worker imports the URLconf (every view, serializer and form) and builds its reverse map
# as it starts, not in its first request, which took about a second (#8).
get_resolver().reverse_dict  # noqa: B018 - built on first access
