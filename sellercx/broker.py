"""Publishing to Celery's broker without letting a Redis outage reach the user (issue #9).

Whatever is enqueued is first written to the database (a recompute job, a customer contact),
so a message the broker refuses is only late: a sweep beat runs enqueues it again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger("sellercx.broker")


def broker_errors() -> tuple[type[BaseException], ...]:
    """What publishing a message raises when the broker is unreachable."""
    from kombu.exceptions import OperationalError
    from redis.exceptions import RedisError

    return (OperationalError, RedisError)


def try_enqueue(send: Callable[[], object], *, what: str) -> bool:
    """Publish a message; with the broker down, log a warning and return False (never raise)."""
    try:
        send()
    except broker_errors() as error:
        logger.warning("broker unavailable, %s left for the sweep: %s", what, error)
        return False
    return True
