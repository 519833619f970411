"""Recompute jobs (issue #9, faults): every chunk of a recompute is a row before it is a message.

``start_recompute`` writes one ``RecomputeJob`` per chunk and then tries to enqueue them. When
the broker is down the rows stay ``pending`` and nothing fails upstream (a request that asked
for a recompute still answers); ``enqueue_stalled_jobs`` (beat, every minute) enqueues them
once the broker is back, and again any queued job whose message was lost with Redis.

The chunk task reports through ``job_started`` / ``job_retrying`` / ``job_finished`` /
``job_failed``: attempts, rows, last error, and a final failure logged at ERROR with the job id.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from .. import recompute
from ..broker import try_enqueue
from ..models import RecomputeJob

logger = logging.getLogger("sellercx.recompute")

# A queued job still not started after this long lost its message (Redis restarted without
# persistence, a worker crashed before acking): the sweep enqueues it again. Chunks are
# idempotent (upserts under an advisory lock), so a duplicate costs time, never correctness.
REQUEUE_QUEUED_AFTER = timedelta(hours=1)
ERROR_TEXT_LIMIT = 4000


def start_recompute(
    name: str, period: date, seller_ids: list[int] | None = None, *, chunk_size: int | None = None
) -> list[RecomputeJob]:
    """One pending job per chunk of this recompute and period, then enqueue them."""
    chunks = recompute.get(name).chunks(seller_ids, chunk_size)
    jobs = RecomputeJob.objects.bulk_create(
        RecomputeJob(name=name, period=period, chunk=chunk) for chunk in chunks
    )
    enqueue_jobs(jobs)
    return jobs


def enqueue_jobs(jobs: list[RecomputeJob]) -> int:
    """Enqueue these jobs, one message each; returns how many the broker took."""
    from ..tasks import run_recompute_job

    if not jobs:
        return 0
    # All marked queued first, in one statement: an eager (in-process) run then records its
    # own progress over it.
    RecomputeJob.objects.filter(pk__in=[job.pk for job in jobs]).update(
        status=RecomputeJob.Status.QUEUED, queued_at=timezone.now()
    )
    sent = 0
    for job in jobs:  # one message per job; the first refusal means the broker is down
        if not try_enqueue(
            lambda j=job: run_recompute_job.delay(j.pk), what=f"recompute job {job.pk}"
        ):
            break
        sent += 1
    refused = [job.pk for job in jobs[sent:]]
    if refused:  # back to pending for the sweep, unless a run got to them already
        RecomputeJob.objects.filter(pk__in=refused, status=RecomputeJob.Status.QUEUED).update(
            status=RecomputeJob.Status.PENDING, queued_at=None
        )
    return sent


def enqueue_stalled_jobs() -> int:
    """Beat, every minute: pending jobs, and queued ones whose message was lost."""
    lost = timezone.now() - REQUEUE_QUEUED_AFTER
    stalled = list(
        RecomputeJob.objects.filter(
            Q(status=RecomputeJob.Status.PENDING)
            | Q(status=RecomputeJob.Status.QUEUED, queued_at__lt=lost)
        ).order_by("created_at", "pk")[:1000]
    )
    if stalled:
        logger.info("sweep: enqueuing %d stalled recompute job(s)", len(stalled))
    return enqueue_jobs(stalled)


def prune_finished_jobs(now=None) -> int:
    """Beat, daily: delete the jobs done or failed more than
    ``SELLERCX_RECOMPUTE_JOBS_KEPT_DAYS`` ago, in one statement; returns how many. Jobs still
    to run (pending, queued, running, retrying) are kept whatever their age."""
    before = (now or timezone.now()) - timedelta(days=settings.SELLERCX_RECOMPUTE_JOBS_KEPT_DAYS)
    deleted, _ = RecomputeJob.objects.filter(
        status__in=[RecomputeJob.Status.DONE, RecomputeJob.Status.FAILED], finished_at__lt=before
    ).delete()
    if deleted:
        logger.info("prune: deleted %d recompute job(s) finished before %s", deleted, before)
    return deleted


def retry_failed_jobs(job_ids: list[int]) -> int:
    """Staff ask again for failed jobs (admin action): back to pending, then enqueued."""
    jobs = list(RecomputeJob.objects.filter(pk__in=job_ids, status=RecomputeJob.Status.FAILED))
    RecomputeJob.objects.filter(pk__in=[j.pk for j in jobs]).update(
        status=RecomputeJob.Status.PENDING, attempts=0, error="", finished_at=None
    )
    enqueue_jobs(jobs)
    return len(jobs)


def job_started(job_id: int) -> RecomputeJob | None:
    """The chunk task begins an attempt; None when the job is gone or already done."""
    updated = RecomputeJob.objects.filter(pk=job_id).exclude(status=RecomputeJob.Status.DONE)
    if not updated.update(
        status=RecomputeJob.Status.RUNNING, attempts=F("attempts") + 1, started_at=timezone.now()
    ):
        return None
    return RecomputeJob.objects.get(pk=job_id)


def job_finished(job_id: int, rows: int) -> None:
    RecomputeJob.objects.filter(pk=job_id).update(
        status=RecomputeJob.Status.DONE, rows=rows, error="", finished_at=timezone.now()
    )


def job_retrying(job_id: int, error: BaseException) -> None:
    RecomputeJob.objects.filter(pk=job_id).update(
        status=RecomputeJob.Status.RETRYING, error=_text(error)
    )


def job_failed(job_id: int, error: BaseException) -> None:
    """The last attempt failed: recorded on the job and logged at ERROR with its id."""
    RecomputeJob.objects.filter(pk=job_id).update(
        status=RecomputeJob.Status.FAILED, error=_text(error), finished_at=timezone.now()
    )
    job = RecomputeJob.objects.filter(pk=job_id).first()
    logger.error(
        "recompute job %s failed for good (%s %s, %s attempt(s)): %s",
        job_id,
        job.name if job else "?",
        job.period if job else "?",
        job.attempts if job else "?",
        _text(error),
        extra={"job_id": job_id},
    )


def _text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:ERROR_TEXT_LIMIT]
