"""API-4 under concurrency (issue #9): the token bucket never spends a token twice.

On Redis the bucket is one Lua script; on the local-memory cache a lock. Many threads take
tokens from one bucket at the same moment: exactly ``burst`` get through.
"""

from __future__ import annotations

import threading
import uuid

import pytest

from sellercx.api.throttling import take_token

from .conftest import redis_cache

THREADS = 16
BURST = 10


def hammer(key: str) -> list[bool]:
    """THREADS threads, released together, each taking three tokens."""
    results: list[bool] = []
    gate = threading.Barrier(THREADS)
    lock = threading.Lock()

    def work():
        gate.wait()
        for _ in range(3):
            allowed, _tokens = take_token(key, 0.0001, BURST)  # no refill to speak of
            with lock:
                results.append(allowed)

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_redis_bucket_is_atomic_under_concurrency(settings, private_redis):
    settings.CACHES = redis_cache(private_redis, prefix=uuid.uuid4().hex)
    results = hammer("sellercx:bucket:test:token:1")
    assert len(results) == THREADS * 3
    assert results.count(True) == BURST


def test_local_memory_bucket_is_atomic_under_concurrency():
    results = hammer(f"sellercx:bucket:test:{uuid.uuid4().hex}")
    assert results.count(True) == BURST


def test_redis_bucket_refills_at_its_rate(settings, private_redis, monkeypatch):
    settings.CACHES = redis_cache(private_redis, prefix=uuid.uuid4().hex)
    clock = [1_000_000.0]
    monkeypatch.setattr("sellercx.api.throttling.time.time", lambda: clock[0])
    key = "sellercx:bucket:test:refill"
    assert [take_token(key, 2, 2)[0] for _ in range(3)] == [True, True, False]
    clock[0] += 0.5  # one token back at 2 per second
    assert [take_token(key, 2, 2)[0] for _ in range(2)] == [True, False]


@pytest.mark.django_db
def test_the_api_throttles_through_redis(settings, private_redis, api):
    settings.CACHES = redis_cache(private_redis, prefix=uuid.uuid4().hex)
    settings.SELLERCX_API_RATES = {"default": [0.001, 2]}
    statuses = [api.get("/api/v1/marketplaces").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
