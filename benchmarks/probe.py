"""One timed recompute (or its baseline) in a fresh process, so its peak memory is its own.

It starts as a Celery worker's task does: the worker's Python has run queries before (the ORM's
first query imports and compiles what every later one reuses), and its database connection is
new (a weekly task finds the last one closed).

    python -m benchmarks.probe recompute cs-rating --database-url URL --day 2026-11-29

prints one JSON line: seconds, rows, rss_mb (the process's own peak resident set).
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from datetime import date

from .generate import setup_django


def peak_rss_mb() -> float:
    """This process's own peak resident set: ``VmHWM``, which ``execve`` starts afresh.
    ``ru_maxrss`` is no use here: a child inherits its parent's, so a probe started by a bench
    that had loaded data reported the bench's peak, not its own."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["recompute", "baseline"])
    parser.add_argument("name")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--day", type=date.fromisoformat, required=True)
    args = parser.parse_args(argv)
    setup_django(args.database_url)

    from django.db import connection

    from sellercx import periods, recompute

    from .baselines import BASELINES, FORGET

    job = recompute.get(args.name)
    period = periods.current_period(job.cadence, args.day)
    if args.kind == "recompute" and args.name in FORGET:
        table, column, also = FORGET[args.name]
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [period])  # noqa: S608
            for vacuumed in (table, *also):
                cursor.execute(f"VACUUM {vacuumed}")
    from sellercx.models import Marketplace

    list(Marketplace.objects.order_by("pk").values_list("pk", flat=True)[:1])  # warm Python
    connection.close()
    connection.ensure_connection()
    started = time.perf_counter()
    if args.kind == "recompute":
        rows = sum(job.run(period=period, chunk=chunk) for chunk in job.chunks())
    else:
        sql, params = BASELINES[args.name](period)
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")  # as the recomputes run
            cursor.execute(sql, params)
            rows = len(cursor.fetchall())
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "rows": rows, "rss_mb": round(peak_rss_mb(), 1)}))


if __name__ == "__main__":
    main()
