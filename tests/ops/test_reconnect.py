"""Issue #9: persistent database connections survive a PostgreSQL restart.

The server side of Django's persistent connection is terminated (``pg_terminate_backend``, what
a restart does to every connection) between two requests: with ``CONN_MAX_AGE`` > 0 and
``CONN_HEALTH_CHECKS``, the next request notices the dead connection, opens a new one and
answers. Requests go through Django's WSGI handler in this thread, so the connection is the
one the test can see and kill (the test client would skip the request signals that matter).
"""

from __future__ import annotations

import io

import psycopg2
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test.client import RequestFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def wsgi_get(path: str) -> tuple[str, bytes]:
    environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET")
    environ["wsgi.input"] = io.BytesIO()
    status = []
    response = WSGIHandler()(environ, lambda s, headers, exc_info=None: status.append(s))
    body = b"".join(response)
    response.close()  # request_finished: Django keeps the connection (CONN_MAX_AGE)
    return status[0], body


def terminate(pid: int) -> None:
    s = connection.settings_dict
    with psycopg2.connect(
        dbname=s["NAME"], user=s["USER"], host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432
    ) as killer:
        killer.autocommit = True
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0]


@pytest.fixture
def persistent_connections():
    saved = connection.settings_dict["CONN_MAX_AGE"], connection.settings_dict["CONN_HEALTH_CHECKS"]
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 60
    connection.settings_dict["CONN_HEALTH_CHECKS"] = True
    yield
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"], connection.settings_dict["CONN_HEALTH_CHECKS"] = saved


def test_a_request_after_the_server_dropped_the_connection_succeeds(persistent_connections):
    status, _ = wsgi_get("/health/")
    assert status.startswith("200")
    first = connection.connection.info.backend_pid
    terminate(first)

    status, body = wsgi_get("/health/")
    assert status.startswith("200"), body
    assert b'"database": {"status": "ok"' in body
    assert connection.connection.info.backend_pid != first


def test_the_worker_path_reconnects_too(persistent_connections):
    """Celery's Django fix-up closes the connections before each task a worker runs; a task
    after a restart therefore starts on a fresh connection."""
    from celery.fixups.django import DjangoWorkerFixup

    from sellercx import tasks
    from sellercx.celery import app

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    first = connection.connection.info.backend_pid
    terminate(first)

    fixup = DjangoWorkerFixup(app)
    task = tasks.sweep_recompute_jobs
    task.push_request(is_eager=False)
    try:
        fixup.on_task_prerun(sender=task)
    finally:
        task.pop_request()
    assert task.run() == 0  # the task's queries run on a new connection
    assert connection.connection.info.backend_pid != first
