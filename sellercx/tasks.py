"""Celery tasks of the core: the scheduled fan-out of every registered recompute (SC-1, SC-2).

Thin wrappers: they pick the period and the chunks, then call the recompute frame.
"""

from __future__ import annotations

import logging
from datetime import date

from celery import group, shared_task

from . import periods, recompute

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
)
def recompute_chunk(self, name: str, period: str, chunk: dict | list[int]) -> int:
    """One chunk of one recompute for one period. Safe to retry: it upserts. (A list is a
    chunk of seller ids, as messages queued before chunks were named carry.)"""
    job = recompute.get(name)
    work = chunk if isinstance(chunk, dict) else {"seller_ids": chunk}
    rows = job.run(period=date.fromisoformat(period), chunk=work)
    logger.info("recompute %s %s: chunk of %s, %d rows", name, period, _size(work), rows)
    return rows


def _size(chunk: dict) -> str:
    return ", ".join(f"{len(v)} {k}" for k, v in chunk.items() if isinstance(v, list))


def fan_out(name: str, period: date, seller_ids: list[int] | None = None) -> int:
    """Enqueue one task per chunk (a Celery group: any number of workers on any number of
    machines take them); returns how many were enqueued."""
    chunks = recompute.get(name).chunks(seller_ids)
    if chunks:
        group(recompute_chunk.s(name, period.isoformat(), chunk) for chunk in chunks).apply_async()
    return len(chunks)


@shared_task(acks_late=True)
def run_scheduled_recomputes(cadence: str) -> dict[str, int]:
    """Beat's entry point: every recompute of this cadence, for the current period."""
    period = periods.current_period(cadence)
    return {name: fan_out(name, period) for name in recompute.registered(cadence)}
