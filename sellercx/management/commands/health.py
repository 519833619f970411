"""``manage.py health [--strict]``: the checks of ``/health/`` as JSON, for containers without
a web server (the compose health check of beat). Exits 1 when the database is down, or with
``--strict`` when anything is not ``ok``."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from sellercx import health


class Command(BaseCommand):
    help = "Check the database, Redis (cache and broker) and the Celery heartbeat."

    def add_arguments(self, parser):
        parser.add_argument("--strict", action="store_true", help="fail unless everything is ok")

    def handle(self, *args, strict: bool, **options):
        report = health.run_checks()
        self.stdout.write(json.dumps(report))
        if health.http_status(report, strict=strict) != 200:
            raise SystemExit(1)
