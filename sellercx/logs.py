"""Structured logs (issue #9): one JSON object per line in production.

Every record carries ``time`` (UTC, ISO 8601), ``level``, ``logger`` and ``message``; the
request id of the request being served (``RequestIdMiddleware``), or the Celery task's id and
name in a worker; ``exc`` with the traceback when there is one; and whatever a caller passed
in ``extra=`` (``method``, ``path``, ``status``, ``duration_ms`` on the request log line).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "sellercx_request_id", default=None
)

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

# The attributes every LogRecord has: anything else on a record came in ``extra=``.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


class RequestContextFilter(logging.Filter):
    """Stamps the current request id (or Celery task) on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get() or "-"
        if not hasattr(record, "task_id"):
            task = _current_task()
            if task is not None:
                record.task_id = task.request.id
                record.task_name = task.name
        return True


class ExpectedClientErrorFilter(logging.Filter):
    """An expected 403 or 404 (another account's id, a page the permissions refuse) is one line,
    "Forbidden (Permission denied): /path": Django hands the exception to ``django.request``
    and every handler would print its traceback. Errors of the server (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True


def _current_task():
    try:
        from celery import current_task
    except ImportError:  # pragma: no cover
        return None
    task = current_task
    return task if task and getattr(task.request, "id", None) else None


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id and request_id != "-":
            entry["request_id"] = request_id
        entry.update(
            {k: v for k, v in record.__dict__.items() if k not in _STANDARD and k[:1] != "_"}
        )
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


request_logger = logging.getLogger("sellercx.request")


class RequestIdMiddleware:
    """Takes the caller's ``X-Request-ID`` (a load balancer's) or makes one, stamps it on the
    logs of the request and on the response, and logs the request once it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            status = response.status_code
            request_logger.log(
                logging.WARNING if status >= 500 else logging.INFO,
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)
