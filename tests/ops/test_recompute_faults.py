"""Issue #9, faults: a recompute killed midway, and a task that raises.

One transaction per chunk: a chunk that fails (an exception, or the process killed with
SIGKILL) leaves the rows it would have replaced as they were, the chunks before it are
committed, and a rerun ends exactly where one clean run does.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import psycopg2
import pytest
from celery.exceptions import Retry
from django.core.management import call_command
from django.db import connection

from metrics.models import MetricSnapshot
from sellercx import periods, recompute, tasks
from sellercx.models import RecomputeJob, SellerAccount

ROOT = Path(__file__).resolve().parents[2]
FIELDS = (
    "seller_id",
    "marketplace_id",
    "metric",
    "day",
    "value",
    "numerator",
    "denominator",
    "breakdown",
    "status",
    "window_start",
    "window_end",
)


def figures(day) -> list[tuple]:
    return sorted(
        tuple(str(v) for v in row)
        for row in MetricSnapshot.objects.filter(day=day).values_list(*FIELDS)
    )


def sellers_with_figures(day) -> set[int]:
    return set(MetricSnapshot.objects.filter(day=day).values_list("seller_id", flat=True))


@pytest.fixture
def marketplace_data(transactional_db, django_db_serialized_rollback):
    """The demo marketplace at a small scale, committed (other connections see it)."""
    call_command("seed_demo", "--quiet", "--scale", "0.02", stdout=io.StringIO())
    today = periods.today()
    previous = today - timedelta(days=1)
    MetricSnapshot.objects.filter(day__in=[today, previous]).delete()
    call_command("run_recompute", "metrics", "--date", previous.isoformat(), "--quiet")
    ids = list(SellerAccount.objects.order_by("pk").values_list("pk", flat=True))
    assert len(ids) >= 3
    size = len(ids) // 2  # two chunks at least, each with sellers that have figures
    return {"today": today, "previous": previous, "sellers": ids, "size": size}


def clean_run(day, size) -> list[tuple]:
    """What one clean run of the day writes (then put back as it was)."""
    MetricSnapshot.objects.filter(day=day).delete()
    call_command("run_recompute", "metrics", "--date", day.isoformat(), "--chunk-size", str(size))
    return figures(day)


def test_a_chunk_that_raises_leaves_the_rest_as_it_was_and_a_rerun_completes_it(
    marketplace_data, monkeypatch
):
    today, previous, size = (marketplace_data[k] for k in ("today", "previous", "size"))
    yesterday_figures = figures(previous)
    assert yesterday_figures
    real = recompute.get("metrics")
    calls = []

    def second_chunk_breaks(**kwargs):
        rows = real.fn(**kwargs)  # the chunk's writes happen, then the failure
        calls.append(kwargs["seller_ids"])
        if len(calls) == 2:
            raise RuntimeError("worker lost midway")
        return rows

    monkeypatch.setitem(
        recompute._registry, "metrics", dataclasses.replace(real, fn=second_chunk_breaks)
    )
    day = ["--date", today.isoformat(), "--chunk-size", str(size), "--quiet"]
    with pytest.raises(RuntimeError, match="worker lost midway"):
        call_command("run_recompute", "metrics", *day)

    first_chunk, second_chunk = set(calls[0]), set(calls[1])
    assert sellers_with_figures(today) <= first_chunk  # committed
    assert sellers_with_figures(today)
    assert not sellers_with_figures(today) & second_chunk  # rolled back
    assert figures(previous) == yesterday_figures  # yesterday's figures untouched

    monkeypatch.setitem(recompute._registry, "metrics", real)
    call_command("run_recompute", "metrics", *day)  # the rerun
    after_rerun = figures(today)
    assert after_rerun == clean_run(today, size)
    assert figures(previous) == yesterday_figures


def _database_url() -> str:
    s = connection.settings_dict
    host = s["HOST"] or "127.0.0.1"
    return f"postgres://{s['USER']}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


def test_a_recompute_killed_with_sigkill_midway_is_completed_by_a_rerun(marketplace_data):
    """A real ``manage.py run_recompute`` process, killed while its second chunk's transaction
    is open: the test holds that chunk's advisory lock, so the process is stopped exactly
    there, after the first chunk committed."""
    today, previous, size = (marketplace_data[k] for k in ("today", "previous", "size"))
    yesterday_figures = figures(previous)
    chunks = recompute.get("metrics").chunks(None, size)
    lock = recompute.get("metrics").lock_key(period=today, chunk=chunks[1])
    s = connection.settings_dict
    holder = psycopg2.connect(
        dbname=s["NAME"], user=s["USER"], host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432
    )
    holder.autocommit = True
    process = None
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", list(lock))
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sellercx.settings.test",
            "DATABASE_URL": _database_url(),
        }
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "run_recompute", "metrics", "--quiet"]
            + ["--date", today.isoformat(), "--chunk-size", str(size)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _wait_until_blocked_on(holder, lock, process)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert process.returncode == -signal.SIGKILL
    finally:
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock_all()")
        holder.close()

    first_chunk = set(chunks[0]["seller_ids"])
    killed_chunk = set(chunks[1]["seller_ids"])
    assert sellers_with_figures(today)
    assert sellers_with_figures(today) <= first_chunk
    assert not sellers_with_figures(today) & killed_chunk
    assert figures(previous) == yesterday_figures

    call_command("run_recompute", "metrics", "--date", today.isoformat(), "--chunk-size", str(size))
    assert figures(today) == clean_run(today, size)


def _wait_until_blocked_on(holder, lock, process) -> None:
    """Until the process waits for the lock the test holds (a bound on waiting, not on speed:
    five minutes is only there so a broken run ends)."""
    import time

    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"run_recompute ended early: {process.stderr.read().decode()[-2000:]}")
        with holder.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                " AND classid = %s AND objid = %s",
                [lock[0], lock[1] & 0xFFFFFFFF],
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    pytest.fail("run_recompute never reached its second chunk")


# --- a task that raises ---------------------------------------------------------------------------


@pytest.fixture
def failing_recompute():
    @recompute.register("always-fails", cadence="daily", description="test: raises")
    def run(*, period, seller_ids):
        raise ConnectionResetError("the database went away")

    yield run
    recompute._registry.pop("always-fails", None)


def test_recompute_tasks_retry_with_backoff_and_jitter():
    for task in (tasks.run_recompute_job, tasks.recompute_chunk):
        assert task.autoretry_for == (Exception,)
        assert task.retry_backoff and task.retry_jitter
        assert task.max_retries == 5
        assert task.acks_late


@pytest.fixture
def eager_retries():
    """Eager tasks that run their retries (at once: countdowns are not waited for) instead of
    raising ``Retry`` to the caller: a worker's sequence of attempts, in the test's thread."""
    from sellercx.celery import app

    saved = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = saved


@pytest.mark.django_db
def test_a_failing_chunk_is_retried_then_reported_on_its_job_and_at_error(
    failing_recompute, seller, caplog, eager_retries
):
    caplog.set_level(logging.INFO)
    assert tasks.fan_out("always-fails", periods.today(), [seller.pk]) == 1
    job = RecomputeJob.objects.get(name="always-fails")
    assert job.status == RecomputeJob.Status.FAILED
    assert job.attempts == 1 + tasks.run_recompute_job.max_retries
    assert job.error == "ConnectionResetError: the database went away"
    assert job.finished_at is not None
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert any(getattr(r, "job_id", None) == job.pk for r in errors)
    assert any(f"recompute job {job.pk} failed" in r.getMessage() for r in errors)


@pytest.mark.django_db
def test_each_retry_waits_longer(failing_recompute, seller):
    """One attempt as a worker runs it: the task asks for a retry with a backoff countdown
    (exponential from 30 s, capped at 600 s, jittered), and the job counts the attempt."""
    job = RecomputeJob.objects.create(
        name="always-fails", period=periods.today(), chunk={"seller_ids": [seller.pk]}
    )
    for attempt in range(4):
        with pytest.raises(Retry) as retry:
            tasks.run_recompute_job.apply(args=[job.pk], retries=attempt, throw=True)
        assert 0 <= retry.value.when <= min(600, 30 * 2**attempt)
        job.refresh_from_db()
        assert job.attempts == attempt + 1


@pytest.mark.django_db
def test_a_chunk_that_fails_twice_then_succeeds_is_done(seller, monkeypatch, eager_retries):
    outcomes = [ConnectionResetError("blip"), ConnectionResetError("blip"), 7]

    @recompute.register("flaky", cadence="daily", description="test: fails twice")
    def run(*, period, seller_ids):
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    try:
        tasks.fan_out("flaky", periods.today(), [seller.pk])
    finally:
        recompute._registry.pop("flaky", None)
    job = RecomputeJob.objects.get(name="flaky")
    assert (job.status, job.attempts, job.rows, job.error) == ("done", 3, 7, "")


@pytest.mark.django_db
def test_failed_jobs_are_listed_in_the_admin_and_can_be_run_again(
    failing_recompute, seller, admin_client, eager_retries
):
    tasks.fan_out("always-fails", periods.today(), [seller.pk])
    job = RecomputeJob.objects.get(name="always-fails")
    page = admin_client.get("/admin/sellercx/recomputejob/?status=failed")
    assert page.status_code == 200
    assert "ConnectionResetError: the database went away" in page.content.decode()
    assert admin_client.get(f"/admin/sellercx/recomputejob/{job.pk}/change/").status_code == 200

    # Fixed now (the fixture unregisters it at the end, whatever it then is).
    recompute._registry["always-fails"] = dataclasses.replace(
        recompute.get("always-fails"), fn=lambda **kwargs: 3
    )
    response = admin_client.post(
        "/admin/sellercx/recomputejob/",
        {"action": "retry_failed", "_selected_action": [job.pk]},
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.rows, job.attempts, job.error) == ("done", 3, 1, "")
