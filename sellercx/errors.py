"""Domain errors raised by services and selectors.

The API's exception handler, the dashboard views and the admin actions turn them into the same
words, so a broken rule reads the same everywhere (SPEC §9 API-2).
"""

from __future__ import annotations


class ApplicationError(Exception):
    """Base of every domain error: a machine code, a human message and optional details."""

    status_code = 400
    code = "InvalidInput"

    def __init__(self, message: str, *, code: str | None = None, details: object = None):
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
        self.details = details


class InvalidInput(ApplicationError):
    """400: the input cannot be understood or is incomplete."""


class NotFound(ApplicationError):
    """404: no such object, or not the caller's (AC-1 never says which)."""

    status_code = 404
    code = "NotFound"


class PermissionDenied(ApplicationError):
    """403: the caller is known but may not do this (AC-2)."""

    status_code = 403
    code = "Unauthorized"


class Conflict(ApplicationError):
    """409: the request collides with what exists (a second feedback on one order)."""

    status_code = 409
    code = "Conflict"


class RuleViolation(ApplicationError):
    """422: well-formed, but a business rule refuses it (feedback after 90 days)."""

    status_code = 422
    code = "RuleViolation"


def is_statement_timeout(error: BaseException) -> bool:
    """A statement PostgreSQL cancelled at the web's deadline (``DATABASE_STATEMENT_TIMEOUT``)."""
    from django.db import OperationalError
    from psycopg2.errors import QueryCanceled

    return isinstance(error, OperationalError) and isinstance(error.__cause__, QueryCanceled)


# Seconds a caller is asked to wait after a request stopped at its deadline.
RETRY_AFTER_DEADLINE = 10
