"""Run a recompute by hand (SC-3), with progress:

manage.py run_recompute --list
manage.py run_recompute cs-rating                      # this period, every seller
manage.py run_recompute cs-rating --seller 12 --week 2026-11-16
manage.py run_recompute metrics --date 2026-11-20 --backfill 90
"""

from __future__ import annotations

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sellercx import periods, recompute


class Command(BaseCommand):
    help = "Run a registered recompute for one or all sellers, for one period or a backfill."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="the recompute (see --list)")
        parser.add_argument("--list", action="store_true", help="list the recomputes and exit")
        parser.add_argument(
            "--seller", type=int, action="append", dest="sellers", help="seller id (repeatable)"
        )
        parser.add_argument("--week", type=date.fromisoformat, help="a day of the week (weekly)")
        parser.add_argument("--date", type=date.fromisoformat, help="the day (daily)")
        parser.add_argument("--backfill", type=int, default=1, help="periods back, ending there")
        parser.add_argument(
            "--chunk-size", type=int, help="sellers per transaction (the recompute's own unit)"
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        if options["list"] or not options["name"]:
            rows = recompute.registered()
            if not rows:
                self.stdout.write("No recompute is registered yet.")
            for item in rows.values():
                self.stdout.write(f"{item.name:<16} {item.cadence:<7} {item.description}")
            return
        try:
            job = recompute.get(options["name"])
        except KeyError as error:
            raise CommandError(str(error)) from None
        if options["backfill"] < 1:
            raise CommandError("--backfill must be at least 1.")
        day = options["week"] or options["date"] or periods.today()
        targets = periods.periods_back(
            periods.current_period(job.cadence, day), options["backfill"], job.cadence
        )
        chunks = job.chunks(options["sellers"], options["chunk_size"])
        started, rows = time.monotonic(), 0
        with tqdm(
            total=len(targets) * len(chunks),
            desc=job.name,
            unit="chunk",
            disable=options["quiet"],
        ) as bar:
            for period in targets:
                bar.set_postfix_str(period.isoformat())
                for chunk in chunks:
                    rows += job.run(period=period, chunk=chunk)
                    bar.update()
        self.stdout.write(
            self.style.SUCCESS(
                f"{job.name}: {len(targets)} period(s) × {len(chunks)} chunk(s), "
                f"{rows} rows written in {time.monotonic() - started:.1f}s"
            )
        )
