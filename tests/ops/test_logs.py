"""Structured logs (issue #9): JSON lines in production, request ids on requests and logs."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sellercx.logs import JsonFormatter, RequestContextFilter, request_id_var

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import logging
import django

django.setup()

from django.test import Client
from sellercx.celery import app

Client().get("/health/", secure=True, HTTP_X_REQUEST_ID="req-abc-123")
Client().get("/api/v1/no-such-thing", secure=True)
logging.getLogger("sellercx.recompute").error("job %s failed", 42, extra={"job_id": 42})
try:
    1 / 0
except ZeroDivisionError:
    logging.getLogger("sellercx").exception("with a traceback")


@app.task(name="tests.log_in_a_task")
def log_in_a_task():
    logging.getLogger("sellercx.tasks").warning("from a task")


log_in_a_task.apply(task_id="task-xyz")
"""


def production_env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sellercx.settings.production",
        "SECRET_KEY": "log-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "INFO",
    }


def test_production_logging_emits_one_json_object_per_line():
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines
    entries = [json.loads(line) for line in lines]  # every line is JSON
    for entry in entries:
        assert {"time", "level", "logger", "message"} <= set(entry)
        assert entry["time"].endswith("+00:00")

    requests = [e for e in entries if e["logger"] == "sellercx.request"]
    health = next(e for e in requests if e["path"] == "/health/")
    assert health["request_id"] == "req-abc-123"
    assert (health["method"], health["status"]) == ("GET", 200)
    assert isinstance(health["duration_ms"], float)
    missing = next(e for e in requests if e["path"] == "/api/v1/no-such-thing")
    assert missing["status"] == 404 and len(missing["request_id"]) == 32
    # Records logged while serving a request carry its id (the cache's warning, here).
    assert any(
        e["logger"] == "sellercx.cache" and e.get("request_id") == "req-abc-123" for e in entries
    )
    job = next(e for e in entries if e["message"] == "job 42 failed")
    assert (job["level"], job["job_id"]) == ("ERROR", 42)
    assert "ZeroDivisionError" in next(e for e in entries if "exc" in e)["exc"]
    task = next(e for e in entries if e["message"] == "from a task")
    assert (task["task_id"], task["task_name"]) == ("task-xyz", "tests.log_in_a_task")


def test_the_formatter_writes_utc_iso_and_extras():
    record = logging.makeLogRecord(
        {"name": "x", "levelname": "INFO", "msg": "hi %s", "args": ("there",), "created": 0.0}
    )
    record.rows = 3
    token = request_id_var.set("abc")
    try:
        RequestContextFilter().filter(record)
    finally:
        request_id_var.reset(token)
    entry = json.loads(JsonFormatter().format(record))
    assert entry == {
        "time": "1970-01-01T00:00:00.000+00:00",
        "level": "INFO",
        "logger": "x",
        "message": "hi there",
        "request_id": "abc",
        "rows": 3,
    }


@pytest.mark.django_db
def test_the_request_id_is_taken_or_made_and_returned(client):
    assert client.get("/health/", HTTP_X_REQUEST_ID="lb-1234")["X-Request-ID"] == "lb-1234"
    made = client.get("/health/")["X-Request-ID"]
    assert len(made) == 32
    forged = client.get("/health/", HTTP_X_REQUEST_ID="bad id\n{json}")["X-Request-ID"]
    assert forged != "bad id\n{json}" and len(forged) == 32
