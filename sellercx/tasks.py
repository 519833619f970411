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
def recompute_chunk(self, name: str, period: str, seller_ids: list[int]) -> int:
    """One chunk of sellers of one recompute for one period. Safe to retry: it upserts."""
    rows = recompute.get(name).run_chunk(period=date.fromisoformat(period), seller_ids=seller_ids)
    logger.info("recompute %s %s: %d sellers, %d rows", name, period, len(seller_ids), rows)
    return rows


def fan_out(name: str, period: date, seller_ids: list[int] | None = None) -> int:
    """Enqueue one task per chunk of sellers; returns how many were enqueued."""
    chunks = list(recompute.seller_chunks(seller_ids))
    if chunks:
        group(recompute_chunk.s(name, period.isoformat(), chunk) for chunk in chunks).apply_async()
    return len(chunks)


@shared_task(acks_late=True)
def run_scheduled_recomputes(cadence: str) -> dict[str, int]:
    """Beat's entry point: every recompute of this cadence, for the current period."""
    period = periods.current_period(cadence)
    return {name: fan_out(name, period) for name in recompute.registered(cadence)}
