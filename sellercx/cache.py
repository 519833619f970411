"""The cache backend of production (issue #9): Django's Redis cache, failing open.

Redis holds nothing that must survive (API throttle buckets, the Celery heartbeat, cached
fragments), so when it is unreachable the site keeps serving: reads miss, writes are dropped,
and the outage is logged once (and its end once). After a failure Redis is left alone for a
few seconds (a small circuit breaker), so a dead Redis costs a request nothing but a branch;
the connection and socket timeouts in ``OPTIONS`` bound what the first failing call waits.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("sellercx.cache")

RETRY_AFTER_SECONDS = 5.0
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._retry_at = 0.0

    # -- the breaker ---------------------------------------------------------------------------

    @property
    def is_down(self) -> bool:
        return self._down_since is not None

    def _call(self, fallback: Any, method, *args, **kwargs):
        if self._down_since is not None and time.monotonic() < self._retry_at:
            return fallback
        try:
            result = method(*args, **kwargs)
        except (RedisError, OSError) as error:
            self.mark_down(error)
            return fallback
        if self._down_since is not None:
            with self._lock:
                if self._down_since is not None:
                    logger.warning(
                        "cache: Redis answers again after %.0fs",
                        time.monotonic() - self._down_since,
                    )
                    self._down_since = None
        return result

    def mark_down(self, error: BaseException) -> None:
        """Redis failed (here, or in a health check): leave it alone for a few seconds."""
        with self._lock:
            if self._down_since is None:
                self._down_since = time.monotonic()
                logger.warning("cache: Redis unreachable, serving without it: %s", error)
            self._retry_at = time.monotonic() + RETRY_AFTER_SECONDS

    # -- the cache API, each call failing open ---------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._call(missing, super().incr, key, delta, version)
        if result is missing:
            raise ValueError(f"Key '{key}' not found (cache unavailable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call(None, super().delete_many, keys, version)

    def clear(self):
        return self._call(False, super().clear)

    # -- scripts (the API's token bucket) ------------------------------------------------------

    def run_script(self, script: str, key: str, args: list, fallback: Any = None) -> Any:
        """Run a Lua script atomically on the key's server; ``fallback`` when Redis is down."""
        full_key = self.make_and_validate_key(key)

        def run():
            client = self._cache.get_client(full_key, write=True)
            return client.register_script(script)(keys=[full_key], args=args)

        return self._call(fallback, run)
