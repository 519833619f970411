"""``manage.py seed_demo``: load the demo data once (``make run`` calls it on every start).

Every step registered in a ``demo`` module (``sellercx.demo.register``) runs in order inside one
transaction, so a failed load leaves nothing behind and a second load sees the first one.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from tqdm import tqdm

from sellercx.demo import NORTHWIND_OWNER, DemoContext, DemoProgress, steps
from sellercx.models import PolicySetting, User


def _project_models() -> list[type[models.Model]]:
    """The models of our own apps (not Django's or third parties'), for the summary."""
    base, environment = Path(settings.BASE_DIR).resolve(), Path(sys.prefix).resolve()
    return [
        model
        for config in apps.get_app_configs()
        if (path := Path(config.path).resolve()).is_relative_to(base)
        and not path.is_relative_to(environment)  # a virtualenv inside the project
        for model in config.get_models()
    ]


class Command(BaseCommand):
    help = "Load the demo marketplace (sellers, catalogue, orders and what buyers said) once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Delete the existing data first, then reload."
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply the volumes (orders, buyers, products, offers); 0.02 for tests.",
        )

    def handle(self, *args, reset: bool, quiet: bool, scale: float, **options) -> None:
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        if not reset and User.objects.filter(email=NORTHWIND_OWNER).exists():
            missing = [step.name for step in steps() if not step.is_loaded()]
            if missing:
                self.stdout.write(
                    self.style.WARNING(
                        f"The demo data predates: {', '.join(missing)}. "
                        "Run `manage.py seed_demo --reset` to rebuild it with them."
                    )
                )
            else:
                self.stdout.write("Demo data already loaded; use --reset to rebuild.")
            return

        started = time.perf_counter()
        todo = steps()
        with transaction.atomic():
            if reset:
                self._truncate_core_tables()
            context = DemoContext(scale=scale)
            bar = tqdm(todo, desc="demo data", unit="step", file=sys.stderr, disable=quiet)
            progress = DemoProgress(disable=quiet, file=sys.stderr, bar=bar)
            written = self._writes()
            for step in bar:
                bar.set_description(f"demo data: {step.name}")
                step.fn(context, progress)
                # The next step's recomputes plan with the rows just loaded.
                written = self._analyze_written(written)
            bar.close()
            counts = self._analyze_and_count()
        elapsed = time.perf_counter() - started

        if options["verbosity"] >= 1:
            width = max((len(label) for label in counts), default=0)
            for label, count in counts.items():
                self.stdout.write(f"  {label:<{width}}  {count:>9,}")
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data loaded: {sum(counts.values()):,} rows in {elapsed:.1f} s "
                    f"({len(todo)} step{'s' if len(todo) != 1 else ''})."
                )
            )

    def _truncate_core_tables(self) -> None:
        """One TRUNCATE of the core tables; CASCADE empties every app table that points at them
        (feedback, reviews, metrics...). Celery beat's schedules point at none, so they stay."""
        core = [
            model
            for model in apps.get_app_config("sellercx").get_models(include_auto_created=True)
            if model is not PolicySetting  # configuration staff edited, not demo data
        ]
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in core)
        with connection.cursor() as cursor:
            # TRUNCATE refuses tables with deferred foreign-key checks still pending (rows
            # written earlier in the same transaction, as in tests): run those checks first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")  # noqa: S608
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def _writes(self) -> dict[str, int]:
        """Rows inserted, updated or deleted in each of our tables by this transaction so far."""
        tables = [m._meta.db_table for m in _project_models()]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
                " WHERE relname = ANY(%s)",
                [tables],
            )
            return dict(cursor.fetchall())

    def _analyze_written(self, before: dict[str, int]) -> dict[str, int]:
        """ANALYZE the tables a step wrote to (not every table after every step: that was a
        fifth of a load); returns the counts to compare the next step with."""
        after = self._writes()
        changed = [table for table, count in after.items() if count != before.get(table, 0)]
        if changed:
            with connection.cursor() as cursor:
                names = ", ".join(connection.ops.quote_name(t) for t in sorted(changed))
                cursor.execute(f"ANALYZE {names}")
        return after

    def _analyze_and_count(self) -> dict[str, int]:
        """Row counts for the summary; fresh planner statistics so the first pages are fast."""
        counts = {}
        with connection.cursor() as cursor:
            for model in _project_models():
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
                count = cursor.fetchone()[0]
                if count:
                    cursor.execute(f"ANALYZE {table}")
                    counts[model._meta.label] = count
        return counts
