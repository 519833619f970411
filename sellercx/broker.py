"""Publishing to Celery's broker without letting a Redis outage reach the user (issue #9, #20).

Whatever is enqueued is first written to the database (a recompute job, a customer contact),
so a message the broker refuses is only late: a sweep beat runs enqueues it again.

A publish gives up within the broker's deadline (``BROKER_SOCKET_TIMEOUT``, no retry), whether
Redis is dead (refused at once) or hung (every read times out). After a failure the broker is
left alone for ``RETRY_AFTER_SECONDS`` (a small circuit breaker, per process and broker URL,
like the cache's): a hung broker then costs one deadline every few seconds, not one per request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

logger = logging.getLogger("sellercx.broker")

RETRY_AFTER_SECONDS = 5.0

_lock = threading.Lock()
_down_until: dict[str, float] = {}  # broker URL -> monotonic time of the next attempt


def broker_errors() -> tuple[type[BaseException], ...]:
    """What publishing raises when the broker is unreachable, refused or hung: kombu's
    ``OperationalError``, redis-py's errors (``TimeoutError``, ``ConnectionError``) and the
    socket's own (``OSError``: ``TimeoutError``, ``ConnectionRefusedError``)."""
    from kombu.exceptions import OperationalError
    from redis.exceptions import RedisError

    return (OperationalError, RedisError, OSError)


def try_enqueue(send: Callable[[], object], *, what: str) -> bool:
    """Publish a message; with the broker down or hung, log a warning and return False (never
    raise), within the broker's deadline, and at once while it is known down."""
    from .celery import app

    if app.conf.task_always_eager:  # no broker: the task runs here, its errors are its own
        send()
        return True
    url = str(app.conf.broker_url)
    if time.monotonic() < _down_until.get(url, 0.0):
        logger.debug("broker known down, %s left for the sweep", what)
        return False
    try:
        send()
    except broker_errors() as error:
        with _lock:
            _down_until[url] = time.monotonic() + RETRY_AFTER_SECONDS
        logger.warning("broker unavailable, %s left for the sweep: %s", what, error)
        return False
    if url in _down_until:
        with _lock:
            _down_until.pop(url, None)
    return True


def reset() -> None:
    """Forget every failure (tests that point Celery at another broker)."""
    with _lock:
        _down_until.clear()
