"""One recompute fanned out as Celery tasks (one per chunk of sellers) to a worker with N
processes; prints the wall time from enqueueing to the last result (worker start excluded).

    BENCH_DATABASE_URL=… BENCH_BROKER_URL=redis://…/14 \
        python -m benchmarks.fanout cs-rating --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from .generate import setup_django

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("name")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--day", type=date.fromisoformat, required=True)
    parser.add_argument("--chunk-size", type=int, default=100)
    args = parser.parse_args(argv)
    setup_django(os.environ["BENCH_DATABASE_URL"])

    from celery import group

    from sellercx import periods, recompute
    from sellercx.celery import app
    from sellercx.tasks import recompute_chunk

    job = recompute.get(args.name)
    period = periods.current_period(job.cadence, args.day)
    chunks = job.chunks(size=args.chunk_size)
    app.control.purge()
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable, "-m", "celery", "-A", "sellercx", "worker",
            "--concurrency", str(args.workers), "--pool", "prefork", "--loglevel", "warning",
            "--without-gossip", "--without-mingle", "--hostname", f"bench{os.getpid()}@%h",
        ],
        cwd=ROOT, env=os.environ.copy(),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the Celery worker did not start")
        started = time.perf_counter()
        result = group(
            recompute_chunk.s(job.name, period.isoformat(), chunk) for chunk in chunks
        ).apply_async()
        rows = sum(result.get(timeout=900))
        seconds = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    print(
        json.dumps(
            {
                "name": job.name,
                "workers": args.workers,
                "chunks": len(chunks),
                "rows": rows,
                "seconds": seconds,
            }
        )
    )


if __name__ == "__main__":
    main()
