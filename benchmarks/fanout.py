"""One recompute fanned out as Celery tasks to a worker with N processes, the way beat starts
it (``start_recompute``: a job row per chunk, one message each); prints the wall time from
choosing the chunks to the last job done (worker start excluded).

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

    from sellercx import periods, recompute
    from sellercx.celery import app
    from sellercx.models import RecomputeJob
    from sellercx.services.recompute_jobs import start_recompute

    job = recompute.get(args.name)
    period = periods.current_period(job.cadence, args.day)
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
        jobs = RecomputeJob.objects.filter(
            pk__in=[j.pk for j in start_recompute(job.name, period, chunk_size=args.chunk_size)]
        )
        finished = (RecomputeJob.Status.DONE, RecomputeJob.Status.FAILED)
        while jobs.exclude(status__in=finished).exists():
            if worker.poll() is not None or time.monotonic() > deadline + 900:
                raise SystemExit("the Celery worker stopped or took too long")
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        if jobs.filter(status=RecomputeJob.Status.FAILED).exists():
            raise SystemExit(f"a job of {job.name} failed: see the recompute jobs")
        rows = sum(jobs.values_list("rows", flat=True))
        chunks = jobs.count()
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    print(
        json.dumps(
            {
                "name": job.name,
                "workers": args.workers,
                "chunks": chunks,
                "rows": rows,
                "seconds": seconds,
            }
        )
    )


if __name__ == "__main__":
    main()
