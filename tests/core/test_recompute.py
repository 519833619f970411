"""SC-1 … SC-3: the schedules, and the frame recomputes plug into (chunks, locks, command)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django_celery_beat.models import PeriodicTask

from sellercx import periods, recompute, tasks
from sellercx.services import register_schedules
from tests.concurrency import run_at_once
from tests.factories import SellerAccountFactory

CALLS: list[tuple[date, list[int]]] = []

# A Wednesday, mid-day: "the current week" is the week of Monday 2026-11-23 whatever the clock.
WEDNESDAY = datetime(2026, 11, 25, 12, tzinfo=UTC)


@pytest.fixture
def probe():
    """A recompute that records its calls and writes one row per seller into a table."""
    CALLS.clear()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS probe_rows (seller_id bigint, period date, n int,"
            " PRIMARY KEY (seller_id, period))"
        )

    @recompute.register("probe", cadence="weekly", description="test probe")
    def run(*, period, seller_ids):
        CALLS.append((period, list(seller_ids)))
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO probe_rows SELECT id, %s, 1 FROM sellercx_selleraccount"
                " WHERE id = ANY(%s) ON CONFLICT (seller_id, period) DO UPDATE SET n ="
                " probe_rows.n + 1",
                [period, seller_ids],
            )
            return cursor.rowcount

    yield run
    recompute._registry.pop("probe", None)


@pytest.mark.django_db
def test_sc1_sc2_schedules_are_registered_once_and_edits_survive():
    weekly = PeriodicTask.objects.get(name="weekly-recomputes")
    assert (weekly.crontab.minute, weekly.crontab.hour, weekly.crontab.day_of_week) == (
        "0",
        "2",
        "1",
    )
    assert str(weekly.crontab.timezone) == "UTC"
    assert PeriodicTask.objects.get(name="daily-recomputes").kwargs == '{"cadence": "daily"}'
    weekly.enabled = False
    weekly.save()
    assert register_schedules() == 0
    assert PeriodicTask.objects.get(name="weekly-recomputes").enabled is False


def test_cs3_weeks_start_on_monday_utc():
    assert periods.week_start(date(2026, 11, 22)) == date(2026, 11, 16)  # a Sunday
    assert periods.week_start(date(2026, 11, 23)) == date(2026, 11, 23)  # a Monday
    assert periods.periods_back(date(2026, 11, 25), 3, "weekly") == [
        date(2026, 11, 9),
        date(2026, 11, 16),
        date(2026, 11, 23),
    ]
    assert periods.periods_back(date(2026, 11, 25), 2, "daily") == [
        date(2026, 11, 24),
        date(2026, 11, 25),
    ]
    start, end = periods.days_before(date(2026, 11, 23), 28)
    assert (start.isoformat(), end.isoformat()) == (
        "2026-10-26T00:00:00+00:00",
        "2026-11-23T00:00:00+00:00",
    )


@pytest.mark.django_db
def test_sc3_command_runs_every_chunk_of_every_period(probe, capsys):
    sellers = [SellerAccountFactory().pk for _ in range(5)]
    call_command(
        "run_recompute",
        "probe",
        "--week",
        "2026-11-18",
        "--backfill",
        "2",
        "--chunk-size",
        "2",
        "--quiet",
    )
    assert [c[0] for c in CALLS] == [date(2026, 11, 9)] * 3 + [date(2026, 11, 16)] * 3
    assert sorted(s for _, chunk in CALLS[:3] for s in chunk) == sorted(sellers)
    assert "probe: 2 period(s) × 3 chunk(s)" in capsys.readouterr().out


@pytest.mark.django_db
def test_sc3_command_for_one_seller_and_unknown_names(probe):
    seller = SellerAccountFactory()
    with time_machine.travel(WEDNESDAY, tick=False):
        call_command("run_recompute", "probe", "--seller", str(seller.pk), "--quiet")
    assert CALLS == [(date(2026, 11, 23), [seller.pk])]  # this week's Monday
    with pytest.raises(Exception, match="No recompute named"):
        call_command("run_recompute", "nope")


@pytest.mark.django_db
def test_sc1_beat_task_fans_out_one_task_per_chunk(probe, settings):
    settings.SELLERCX_RECOMPUTE_CHUNK_SIZE = 2
    for _ in range(3):
        SellerAccountFactory()
    fanned = tasks.run_scheduled_recomputes("weekly")
    assert fanned["probe"] == 2
    assert "cs-rating" in fanned  # every weekly recompute, SC-1
    assert len(CALLS) == 2
    assert "probe" not in tasks.run_scheduled_recomputes("daily")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sc3_two_runs_at_once_wait_for_each_other(probe):
    """The advisory lock serialises two runs of one chunk; the upsert makes them idempotent."""
    seller = SellerAccountFactory()
    job = recompute.get("probe")
    period = date(2026, 11, 16)
    errors = run_at_once(lambda: job.run_chunk(period=period, seller_ids=[seller.pk]))
    assert errors == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), max(n) FROM probe_rows WHERE seller_id = %s", [seller.pk])
        assert cursor.fetchone() == (1, 2)
        cursor.execute("DROP TABLE probe_rows")


@pytest.mark.django_db
def test_admin_action_queues_recomputes_for_selected_sellers(
    probe, client, admin_user, django_capture_on_commit_callbacks
):
    seller = SellerAccountFactory()
    with time_machine.travel(WEDNESDAY, tick=False):
        client.force_login(admin_user)  # a session of that day
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/admin/sellercx/selleraccount/",
                {"action": "run_recomputes", "_selected_action": [seller.pk]},
                follow=True,
            )
    assert response.status_code == 200
    assert CALLS == [(date(2026, 11, 23), [seller.pk])]  # this week's Monday


@pytest.fixture
def shards():
    """A recompute with its own chunker: chunks named by letters, not sellers."""
    CALLS.clear()

    def chunker(seller_ids, size):
        return [{"letters": ["a", "b"]}, {"letters": ["c"]}]

    @recompute.register("shards", cadence="daily", description="test", chunker=chunker)
    def run(*, period, letters=(), seller_ids=None):
        CALLS.append((period, list(letters or seller_ids)))
        return len(letters or seller_ids)

    yield run
    recompute._registry.pop("shards", None)


@pytest.mark.django_db
def test_sc3_a_recompute_may_chunk_its_own_way(shards, settings):
    job = recompute.get("shards")
    assert job.chunks() == [{"letters": ["a", "b"]}, {"letters": ["c"]}]
    day = date(2026, 11, 23)
    assert tasks.fan_out("shards", day) == 2  # eager in tests: the tasks ran
    assert CALLS == [(day, ["a", "b"]), (day, ["c"])]
    # A chunk named by sellers still reaches it; and so does a task queued as a bare list.
    assert job.run_chunk(period=day, seller_ids=[7]) == 1
    assert tasks.recompute_chunk.apply(args=["shards", day.isoformat(), [8, 9]]).get() == 2


@pytest.mark.django_db
def test_sc3_default_chunks_are_sellers_in_id_order(probe, settings):
    settings.SELLERCX_RECOMPUTE_CHUNK_SIZE = 2
    ids = sorted(s.pk for s in SellerAccountFactory.create_batch(5))
    chunks = recompute.get("probe").chunks()
    assert chunks == [{"seller_ids": ids[i : i + 2]} for i in range(0, 5, 2)]
    assert recompute.get("probe").chunks([ids[3]], 10) == [{"seller_ids": [ids[3]]}]
