"""SC-1, SC-2: the recompute schedules, written once into django-celery-beat's tables."""

from __future__ import annotations

import json

from django.conf import settings
from django.db import transaction


@transaction.atomic
def register_schedules() -> int:
    """Create the periodic tasks declared in ``SELLERCX_SCHEDULES`` that are missing.

    Existing rows are left alone, so what marketplace staff change in the admin survives
    deploys and restarts. Returns how many were created.
    """
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    created = 0
    for name, entry in settings.SELLERCX_SCHEDULES.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            timezone="UTC", day_of_month="*", month_of_year="*", **entry["crontab"]
        )
        PeriodicTask.objects.create(
            name=name,
            task=entry["task"],
            kwargs=json.dumps(entry.get("kwargs", {})),
            crontab=crontab,
            description=str(entry.get("description", "")),
        )
        created += 1
    return created
