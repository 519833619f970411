"""Recompute jobs do not pile up: a daily beat deletes the finished ones (done or failed) older
than ``SELLERCX_RECOMPUTE_JOBS_KEPT_DAYS``; jobs still to run stay, whatever their age."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from sellercx import tasks
from sellercx.models import RecomputeJob
from sellercx.services import register_schedules
from sellercx.services.recompute_jobs import prune_finished_jobs

pytestmark = pytest.mark.django_db

Status = RecomputeJob.Status


def job(status: str, finished_days_ago: float | None, created_days_ago: float = 200):
    now = timezone.now()
    return RecomputeJob.objects.create(
        name="voc",
        period=date(2026, 1, 5),
        status=status,
        created_at=now - timedelta(days=created_days_ago),
        finished_at=None if finished_days_ago is None else now - timedelta(days=finished_days_ago),
    )


def test_finished_jobs_older_than_the_days_kept_are_deleted_and_the_rest_stay():
    kept = settings.SELLERCX_RECOMPUTE_JOBS_KEPT_DAYS
    old_done = job(Status.DONE, kept + 1)
    old_failed = job(Status.FAILED, kept + 30)
    recent_done = job(Status.DONE, kept - 1)
    recent_failed = job(Status.FAILED, 2)
    waiting = [job(status, None) for status in (Status.PENDING, Status.QUEUED, Status.RUNNING)]
    retrying = job(Status.RETRYING, None)

    assert prune_finished_jobs() == 2
    left = set(RecomputeJob.objects.values_list("pk", flat=True))
    assert old_done.pk not in left
    assert old_failed.pk not in left
    assert {recent_done.pk, recent_failed.pk, retrying.pk} | {j.pk for j in waiting} == left
    assert prune_finished_jobs() == 0  # a second run finds nothing


def test_the_days_kept_are_a_setting(settings):
    job(Status.DONE, 10)
    settings.SELLERCX_RECOMPUTE_JOBS_KEPT_DAYS = 30
    assert prune_finished_jobs() == 0
    settings.SELLERCX_RECOMPUTE_JOBS_KEPT_DAYS = 7
    assert prune_finished_jobs() == 1


def test_the_daily_beat_prunes_and_is_scheduled():
    job(Status.DONE, settings.SELLERCX_RECOMPUTE_JOBS_KEPT_DAYS + 5)
    assert tasks.prune_recompute_jobs.apply().get() == 1
    register_schedules()
    scheduled = PeriodicTask.objects.get(name="recompute-jobs-prune")
    assert scheduled.task == "sellercx.tasks.prune_recompute_jobs"
    assert (scheduled.crontab.hour, scheduled.crontab.minute) == ("4", "15")
