"""``/health/`` (issue #9): database, Redis (cache, broker), Celery heartbeat."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.management import call_command
from django.db import OperationalError

from sellercx import health, tasks

from .conftest import CLOSED, celery_broker, redis_cache

pytestmark = pytest.mark.django_db


def test_all_ok_without_redis_in_tests(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "skipped"
    assert response["Cache-Control"] == "no-store"


def test_redis_down_is_degraded_but_200_and_strict_says_503(client, settings):
    settings.CACHES = redis_cache(CLOSED)
    with celery_broker(CLOSED):
        response = client.get("/health/")
        strict = client.get("/health/?strict=1")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert {k: v["status"] for k, v in body["checks"].items()} == {
        "database": "ok",
        "cache": "failing",
        "broker": "failing",
        "celery": "failing",
    }
    assert strict.status_code == 503


def test_everything_up_with_a_fresh_heartbeat(client, settings, private_redis):
    settings.CACHES = redis_cache(private_redis, prefix=uuid.uuid4().hex)
    with celery_broker(private_redis):
        assert client.get("/health/").json()["checks"]["celery"]["status"] == "failing"
        tasks.heartbeat()  # what a worker does when beat sends it
        response = client.get("/health/?strict=1")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_a_stale_heartbeat_fails_the_celery_check(settings, private_redis):
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    settings.CACHES = redis_cache(private_redis, prefix=uuid.uuid4().hex)
    with celery_broker(private_redis):
        cache.set(tasks.HEARTBEAT_KEY, (timezone.now() - timedelta(minutes=10)).isoformat())
        assert health.check_celery()["status"] == "failing"


def test_database_down_is_503(client, monkeypatch):
    def down():
        raise OperationalError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", down)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "down"


def test_the_command_exits_1_when_strict_and_not_ok(settings):
    out = io.StringIO()
    call_command("health", stdout=out)
    assert '"status": "ok"' in out.getvalue()
    settings.CACHES = redis_cache(CLOSED)
    with pytest.raises(SystemExit) as exit_:
        call_command("health", "--strict", stdout=io.StringIO())
    assert exit_.value.code == 1


def test_health_is_exempt_from_the_https_redirect():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "sellercx/settings/production.py").read_text()
    assert 'r"^health/$"' in text
