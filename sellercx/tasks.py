"""Celery tasks of the core: the scheduled fan-out of every registered recompute (SC-1, SC-2),
the recompute jobs and their sweep, and the heartbeat ``/health/`` reads (issue #9).

Thin wrappers: they pick the period and the chunks, then call the recompute frame and the
services that record each job.
"""

from __future__ import annotations

import logging
from datetime import date

from celery import Task, shared_task
from django.core.cache import cache
from django.utils import timezone

from . import periods, recompute
from .services import recompute_jobs

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "sellercx:celery:heartbeat"

# Every task that can fail for a passing reason retries with exponential backoff and jitter.
RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


class ReportedTask(Task):
    """A task whose final failure (after its retries) is logged at ERROR, with its arguments."""

    abstract = True

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        logger.error(
            "task %s[%s] failed after %d attempt(s): %s: %s (args=%r kwargs=%r)",
            self.name,
            task_id,
            self.request.retries + 1,
            type(exc).__name__,
            exc,
            args,
            kwargs,
        )
        super().on_failure(exc, task_id, args, kwargs, einfo)


class RecomputeJobTask(ReportedTask):
    """Records each retry and the final failure on the ``RecomputeJob`` row (admin)."""

    abstract = True

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        recompute_jobs.job_retrying(_job_id(args, kwargs), exc)
        super().on_retry(exc, task_id, args, kwargs, einfo)

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        recompute_jobs.job_failed(_job_id(args, kwargs), exc)
        super().on_failure(exc, task_id, args, kwargs, einfo)


def _job_id(args, kwargs) -> int:
    return kwargs["job_id"] if "job_id" in kwargs else args[0]


@shared_task(bind=True, base=RecomputeJobTask, acks_late=True, **RETRY)
def run_recompute_job(self, job_id: int) -> int:
    """One chunk of one recompute for one period, as recorded in its job row. Safe to retry
    and to run twice: the chunk is one transaction, and it upserts."""
    job = recompute_jobs.job_started(job_id)
    if job is None:
        return 0
    rows = recompute.get(job.name).run(period=job.period, chunk=job.chunk)
    recompute_jobs.job_finished(job_id, rows)
    logger.info("recompute %s %s job %s: %d rows", job.name, job.period, job_id, rows)
    return rows


@shared_task(bind=True, base=ReportedTask, acks_late=True, **RETRY)
def recompute_chunk(self, name: str, period: str, chunk: dict | list[int]) -> int:
    """One chunk of one recompute for one period, without a job row (messages queued before
    jobs existed). A list is a chunk of seller ids."""
    job = recompute.get(name)
    work = chunk if isinstance(chunk, dict) else {"seller_ids": chunk}
    rows = job.run(period=date.fromisoformat(period), chunk=work)
    logger.info("recompute %s %s: chunk of %s, %d rows", name, period, _size(work), rows)
    return rows


def _size(chunk: dict) -> str:
    return ", ".join(f"{len(v)} {k}" for k, v in chunk.items() if isinstance(v, list))


def fan_out(name: str, period: date, seller_ids: list[int] | None = None) -> int:
    """One job per chunk, each enqueued as its own message (any number of workers on any
    number of machines take them); returns how many chunks. With the broker down the jobs
    wait as ``pending`` rows for the sweep."""
    return len(recompute_jobs.start_recompute(name, period, seller_ids))


@shared_task(base=ReportedTask, acks_late=True)
def run_scheduled_recomputes(cadence: str) -> dict[str, int]:
    """Beat's entry point: every recompute of this cadence, for the current period."""
    period = periods.current_period(cadence)
    return {name: fan_out(name, period) for name in recompute.registered(cadence)}


@shared_task(base=ReportedTask)
def sweep_recompute_jobs() -> int:
    """Beat, every minute: enqueue the jobs left pending while the broker was down."""
    return recompute_jobs.enqueue_stalled_jobs()


@shared_task(base=ReportedTask)
def prune_recompute_jobs() -> int:
    """Beat, daily: the finished recompute jobs older than the days kept are deleted."""
    return recompute_jobs.prune_finished_jobs()


@shared_task
def heartbeat() -> str:
    """Beat sends it every minute and a worker runs it: a fresh stamp proves beat, broker and
    worker alive (``/health/`` reads it)."""
    stamp = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, stamp, timeout=60 * 60)
    return stamp
