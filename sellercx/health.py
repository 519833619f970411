"""``/health/`` (issue #9, #20): database, Redis (cache and broker) and Celery; each check has
its own short deadline and reports, never hangs.

* ``database``: ``SELECT 1`` (connect timeout ``DATABASE_CONNECT_TIMEOUT``; on the web, the
  statement timeout too).
* ``cache``: a PING to the cache's Redis within ``HEALTH_CHECK_TIMEOUT``; ``skipped`` on a
  local-memory cache. A failure also opens the cache's breaker (``sellercx.cache``).
* ``broker``: a PING through Celery's broker connection within ``HEALTH_CHECK_TIMEOUT`` (a real
  round trip: a hung Redis still accepts connections); ``skipped`` when tasks run eagerly.
* ``celery``: the heartbeat beat sends every minute and a worker stamps in the cache; older
  than ``HEARTBEAT_MAX_AGE`` means beat, the broker or every worker is down. Not read (failing)
  while the cache check fails: it would only wait for the same Redis again.

The overall status is ``ok`` when every check passes, ``degraded`` when only Redis or Celery
fail (the site still serves: the cache fails open, recomputes wait as pending jobs), ``down``
when the database fails. HTTP 503 only when ``down`` — or, with ``?strict=1`` (or
``manage.py health --strict``), whenever anything is not ``ok``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

HEARTBEAT_MAX_AGE = timedelta(minutes=3)

OK, FAILING, SKIPPED = "ok", "failing", "skipped"


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": OK}


def _redis_location() -> str | None:
    config = settings.CACHES["default"]
    if "redis" not in config["BACKEND"].lower():
        return None
    location = config["LOCATION"]
    return location[0] if isinstance(location, list | tuple) else location


def check_cache() -> dict:
    location = _redis_location()
    if location is None:
        return {"status": SKIPPED, "detail": "local-memory cache"}
    import redis

    timeout = settings.HEALTH_CHECK_TIMEOUT
    client = redis.Redis.from_url(
        location, socket_timeout=timeout, socket_connect_timeout=timeout, retry=None
    )
    try:
        client.ping()
    except Exception as error:
        if hasattr(cache, "mark_down"):  # the site's cache need not find out for itself
            cache.mark_down(error)
        raise
    finally:
        client.close()
    return {"status": OK}


def check_broker() -> dict:
    from .celery import app

    if app.conf.task_always_eager:
        return {"status": SKIPPED, "detail": "tasks run eagerly"}
    timeout = settings.HEALTH_CHECK_TIMEOUT
    # One attempt, each socket operation bounded: the transport's own options would retry.
    options = {"socket_timeout": timeout, "socket_connect_timeout": timeout, "max_retries": 0}
    with app.connection_for_write(connect_timeout=timeout, transport_options=options) as conn:
        channel = conn.default_channel
        client = getattr(channel, "client", None)  # the redis transport's client
        if client is not None:
            client.ping()
    return {"status": OK}


def check_celery() -> dict:
    from .celery import app
    from .tasks import HEARTBEAT_KEY

    if app.conf.task_always_eager:
        return {"status": SKIPPED, "detail": "tasks run eagerly"}
    stamp = cache.get(HEARTBEAT_KEY)
    if stamp is None:
        return {"status": FAILING, "detail": "no heartbeat from a worker"}
    age = timezone.now() - datetime.fromisoformat(stamp)
    if age > HEARTBEAT_MAX_AGE:
        return {
            "status": FAILING,
            "detail": f"last heartbeat {int(age.total_seconds())} s ago",
            "heartbeat": stamp,
        }
    return {"status": OK, "heartbeat": stamp}


CHECKS: dict[str, Callable[[], dict]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "celery": check_celery,
}


def run_checks() -> dict:
    """Every check, each caught and timed; the overall status."""
    results = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            if name == "celery" and results.get("cache", {}).get("status") == FAILING:
                result = {"status": FAILING, "detail": "heartbeat unknown: the cache is failing"}
            else:
                result = check()
        except Exception as error:  # noqa: BLE001 - a failing check is a result, not a crash
            result = {"status": FAILING, "detail": f"{type(error).__name__}: {error}"[:300]}
        result["ms"] = round((time.monotonic() - started) * 1000, 1)
        results[name] = result
    if results["database"]["status"] != OK:
        status = "down"
    elif any(r["status"] == FAILING for r in results.values()):
        status = "degraded"
    else:
        status = OK
    return {"status": status, "time": timezone.now().isoformat(), "checks": results}


def http_status(report: dict, *, strict: bool) -> int:
    if report["status"] == "down" or (strict and report["status"] != OK):
        return 503
    return 200
