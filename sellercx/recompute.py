"""The frame every recompute plugs into (SC-1 … SC-3).

A feature app declares its recompute in ``<app>/recomputes.py``::

    @recompute.register("cs-rating", cadence="weekly", description="Customer-service rating")
    def recompute_cs_rating(*, period: date, seller_ids: list[int]) -> int:
        ...  # one set-based SQL statement for these sellers, upserted; returns rows written

The frame chooses the period, splits the work into chunks (one query), and runs each chunk
in its own transaction under a PostgreSQL advisory lock keyed by recompute, period and chunk:
two runs at once wait for each other instead of racing, and because every recompute upserts on
its natural key, running twice gives the same rows (idempotent, retry-safe).

A chunk is the recompute function's keyword arguments, JSON (it travels in a Celery message):
``{"seller_ids": [...]}`` by default. A recompute whose natural unit is not the seller passes a
``chunker`` (the VOC recompute chunks by peer groups, so no group is computed twice).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from .models import SellerAccount

Cadence = str  # "weekly" | "daily"
RecomputeFn = Callable[..., int]
Chunk = dict[str, Any]  # the recompute function's keyword arguments, JSON
Chunker = Callable[[list[int] | None, int | None], list[Chunk]]  # (sellers, chunk size)
LOCK_CLASS = 7301  # the first key of every recompute's advisory locks


@dataclass(frozen=True)
class Recompute:
    name: str
    cadence: Cadence
    description: str
    fn: RecomputeFn
    chunker: Chunker | None = None

    def chunks(self, seller_ids: list[int] | None = None, size: int | None = None) -> list[Chunk]:
        """The work of a run over every seller (or these), as independent chunks."""
        if self.chunker is not None:
            return self.chunker(seller_ids, size)
        return [{"seller_ids": chunk} for chunk in seller_chunks(seller_ids, size)]

    def lock_key(self, *, period: date, chunk: Chunk) -> tuple[int, int]:
        """The advisory lock of a chunk: (class, key), for ``pg_advisory_xact_lock``."""
        first = json.dumps({k: v[:1] if isinstance(v, list) else v for k, v in chunk.items()})
        key = zlib.crc32(f"{self.name}:{period.isoformat()}:{first}".encode())
        return LOCK_CLASS, key - 2**31

    def run(self, *, period: date, chunk: Chunk) -> int:
        """One chunk, one transaction, one advisory lock: all of it lands or none of it. A
        failure (or a killed process) midway leaves the chunk's previous rows as they were."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                list(self.lock_key(period=period, chunk=chunk)),
            )
            return self.fn(period=period, **chunk)

    def run_chunk(self, *, period: date, seller_ids: list[int]) -> int:
        """One chunk named by its sellers, whatever the recompute's own chunking."""
        return self.run(period=period, chunk={"seller_ids": seller_ids})


_registry: dict[str, Recompute] = {}


def register(
    name: str, *, cadence: Cadence, description: str, chunker: Chunker | None = None
) -> Callable:
    if cadence not in ("weekly", "daily"):
        raise ValueError(f"Unknown cadence {cadence!r}")

    def decorator(fn: RecomputeFn) -> RecomputeFn:
        _registry[name] = Recompute(
            name=name, cadence=cadence, description=description, fn=fn, chunker=chunker
        )
        return fn

    return decorator


def registered(cadence: Cadence | None = None) -> dict[str, Recompute]:
    return {n: r for n, r in sorted(_registry.items()) if cadence in (None, r.cadence)}


def get(name: str) -> Recompute:
    try:
        return _registry[name]
    except KeyError:
        known = ", ".join(sorted(_registry)) or "none yet"
        raise KeyError(f"No recompute named {name!r} (registered: {known})") from None


def seller_chunks(
    seller_ids: list[int] | None = None, chunk_size: int | None = None
) -> Iterator[list[int]]:
    """The sellers (all active and at-risk ones, or the given ids) in chunks, in id order."""
    size = chunk_size or settings.SELLERCX_RECOMPUTE_CHUNK_SIZE
    ids = seller_ids
    if ids is None:
        ids = list(SellerAccount.objects.order_by("pk").values_list("pk", flat=True))
    ids = sorted(set(ids))
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
