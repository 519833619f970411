"""Redis, for real: the API's rate buckets in Redis's cache and Celery's broker URL.

Redis comes from ``REDIS_URL``, else the machine's on 127.0.0.1:6379, else the embedded one.
"""

from __future__ import annotations

import os
import uuid

import pytest
from kombu import Connection

from sellercx import embedded
from sellercx.settings.base import celery_broker_from_redis


@pytest.fixture(scope="session")
def redis_url() -> str:
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    if embedded.tcp_port_open("127.0.0.1", 6379):
        return "redis://127.0.0.1:6379/15"
    return embedded.redis_url("test-redis")


@pytest.mark.django_db
def test_api4_buckets_live_in_redis(redis_url, settings, api):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    settings.SELLERCX_API_RATES = {"default": [0.2, 2]}
    statuses = [api.get("/api/v1/marketplaces").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_celery_broker_url_reaches_redis(redis_url):
    with Connection(celery_broker_from_redis(redis_url), connect_timeout=3) as connection:
        connection.ensure_connection(max_retries=2)
        queue = connection.SimpleQueue(f"sellercx-test-{uuid.uuid4().hex}")
        queue.put({"hello": "worker"})
        assert queue.get(timeout=3).payload == {"hello": "worker"}
        queue.clear()
        queue.close()


def test_celery_broker_url_reaches_embedded_redis_over_its_socket():
    url = embedded.redis_url("test-redis")
    assert url.startswith("unix://")
    with Connection(celery_broker_from_redis(url), connect_timeout=3) as connection:
        connection.ensure_connection(max_retries=2)
