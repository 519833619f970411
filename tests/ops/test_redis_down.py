"""Issue #9: Redis down, then back.

With the cache and the broker pointed at a closed port, the dashboard and the API answer 200
(the cache fails open, sessions are in the database), asking for a recompute answers too and
leaves pending jobs; once Redis is back, the sweep beat sends every minute enqueues them and a
worker runs the real recompute.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from metrics.models import MetricSnapshot
from sellercx import periods, tasks
from sellercx.api.throttling import take_token
from sellercx.models import RecomputeJob
from sellercx.services import recompute_jobs
from tests.conftest import client_with, token_for
from tests.factories import SellerAccountFactory

from .conftest import CLOSED, celery_broker, drain_queue, redis_cache, run_messages

PAGES = [
    "/dashboard/",
    "/dashboard/offers/",
    "/dashboard/orders/",
    "/dashboard/feedback/",
    "/dashboard/reviews/",
    "/dashboard/messages/",
    "/dashboard/performance/",
    "/dashboard/voc/",
]
API = ["/api/v1/marketplaces", "/api/v1/offers", "/api/v1/orders", "/api/v1/feedback"]


@pytest.fixture
def redis_down(settings):
    settings.CACHES = redis_cache(CLOSED)
    with celery_broker(CLOSED):
        yield


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
# Mid-day: the admin's recompute and the day checked at the end are the same day (not two
# days when the test runs across midnight UTC); the clock ticks, for the broker's timeouts.
@time_machine.travel(datetime(2026, 11, 25, 12, tzinfo=UTC), tick=True)
def test_redis_down_the_site_serves_and_the_recompute_waits_until_it_returns(
    settings, user, staff, private_redis, caplog
):
    caplog.set_level(logging.WARNING)
    settings.SELLERCX_API_RATES = {"default": [0.001, 2]}  # would throttle from the 3rd call
    staff.is_superuser = True
    staff.save()
    dashboard, admin = Client(), Client()
    dashboard.force_login(user)
    admin.force_login(staff)
    api = client_with(token_for(user))

    with celery_broker(CLOSED):
        settings.CACHES = redis_cache(CLOSED)
        for path in PAGES:
            assert dashboard.get(path).status_code == 200, path
        for path in API * 2:  # twice: the throttle fails open too
            assert api.get(path).status_code == 200, path
        response = admin.post(
            "/admin/sellercx/selleraccount/",
            {"action": "run_recomputes", "_selected_action": [user.seller_id]},
        )
        assert response.status_code == 302
        health = dashboard.get("/health/")
        assert health.status_code == 200
        assert health.json()["status"] == "degraded"

    jobs = RecomputeJob.objects.all()
    assert jobs.exists()
    assert set(jobs.values_list("status", flat=True)) == {"pending"}
    # The outage is logged once by the cache, not once per call.
    cache_warnings = [r for r in caplog.records if r.name == "sellercx.cache"]
    assert len(cache_warnings) == 1

    # Redis returns: beat's next tick runs the sweep, which enqueues the pending jobs…
    settings.CACHES = redis_cache(private_redis, prefix=uuid.uuid4().hex)
    with celery_broker(private_redis):
        assert tasks.sweep_recompute_jobs.delay() is not None
        run_messages(drain_queue(private_redis))  # a worker takes the sweep
        assert set(jobs.values_list("status", flat=True)) == {"queued"}
        run_messages(drain_queue(private_redis))  # …and the recompute chunks
    assert set(jobs.values_list("status", flat=True)) == {"done"}
    assert all(job.attempts == 1 for job in jobs)
    assert MetricSnapshot.objects.filter(seller_id=user.seller_id, day=date(2026, 11, 25)).exists()


@pytest.mark.django_db
def test_a_broker_outage_does_not_lose_the_recompute(redis_down, seller):
    assert tasks.fan_out("metrics", periods.today(), [seller.pk]) == 1
    job = RecomputeJob.objects.get()
    assert (job.status, job.queued_at, job.attempts) == ("pending", None, 0)


@pytest.mark.django_db
def test_with_the_broker_down_a_fan_out_tries_once_and_leaves_every_chunk_pending(
    monkeypatch, seller, django_assert_num_queries
):
    """One refused message means the broker is down: the other chunks are not each left to
    time out, and the jobs are marked in statements, not one per chunk."""
    sellers = [seller.pk, *(s.pk for s in SellerAccountFactory.create_batch(4))]
    attempts = []
    monkeypatch.setattr(
        "sellercx.services.recompute_jobs.try_enqueue",
        lambda send, what: attempts.append(what) and False,
    )
    with django_assert_num_queries(3):  # the jobs, all queued, then back to pending
        jobs = recompute_jobs.start_recompute("metrics", periods.today(), sellers, chunk_size=2)
    assert len(jobs) == 3
    assert len(attempts) == 1
    assert set(RecomputeJob.objects.values_list("status", flat=True)) == {"pending"}


def test_the_cache_fails_open_and_says_so_once(settings, caplog):
    caplog.set_level(logging.WARNING, logger="sellercx.cache")
    settings.CACHES = redis_cache(CLOSED)
    assert cache.get("anything", "default") == "default"
    assert cache.set("anything", 1) is None
    assert cache.add("anything", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("anything") is False
    assert cache.is_down
    assert len(caplog.records) == 1


def test_the_throttle_fails_open_when_redis_is_down(settings):
    settings.CACHES = redis_cache(CLOSED)
    assert all(take_token("sellercx:bucket:test", 0.001, 1)[0] for _ in range(5))


def test_the_cache_answers_again_when_redis_returns(settings, private_redis):
    settings.CACHES = redis_cache(private_redis, prefix=uuid.uuid4().hex)
    cache.set("key", "value")
    assert cache.get("key") == "value"
    assert not cache.is_down


def test_sessions_do_not_depend_on_redis(settings):
    """Sessions live in PostgreSQL (Django's default), in every environment."""
    from pathlib import Path

    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    folder = Path(__file__).resolve().parents[2] / "sellercx" / "settings"
    assert not any("SESSION_ENGINE" in path.read_text() for path in folder.glob("*.py"))
