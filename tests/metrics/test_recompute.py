"""PM-1 … PM-5, SC-2, SC-3: the daily snapshots, computed as of the start of the day (UTC)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command

from messaging.models import Conversation, CustomerServiceRating, Message
from metrics.definitions import Metric, Status
from metrics.models import MetricSnapshot
from metrics.recomputes import recompute_metrics
from sellercx import recompute
from sellercx.models import PolicySetting
from tests.concurrency import run_at_once
from tests.factories import BuyerFactory, MarketplaceFactory, SellerAccountFactory

from .helpers import AS_OF, DAY, at, chargeback, claim, feedback, order, snapshot

pytestmark = pytest.mark.django_db

ODR_FIRST = AS_OF - timedelta(days=74)  # PM-1: 60 days of order dates ending 14 days ago
ODR_END = AS_OF - timedelta(days=14)


def test_pm1_odr_counts_an_order_once_whatever_its_defects_split_by_channel(seller, marketplace):
    purchased = at(30)
    worst = order(seller, marketplace, purchased)
    feedback(worst, at(20), rating=2)
    claim(worst, at(19))
    chargeback(worst, at(18))
    claim(order(seller, marketplace, purchased), at(10))
    order(seller, marketplace, purchased)
    order(seller, marketplace, purchased)
    fba = order(seller, marketplace, purchased, channel="marketplace")
    chargeback(fba, at(5))
    order(seller, marketplace, purchased, channel="marketplace")

    merchant = snapshot(seller, marketplace, Metric.ODR_MERCHANT)
    assert (merchant.numerator, merchant.denominator, merchant.value) == (2, 4, Decimal("0.5"))
    assert merchant.breakdown == {"negative_feedback": 1, "claim": 2, "chargeback": 1}
    assert merchant.status == Status.FAILING
    fba_row = snapshot(seller, marketplace, Metric.ODR_MARKETPLACE, recompute=False)
    assert (fba_row.numerator, fba_row.denominator) == (1, 2)
    assert (fba_row.window_start, fba_row.window_end) == (
        ODR_FIRST.date(),
        (ODR_END - timedelta(days=1)).date(),
    )


def test_pm1_window_edges_day_74_in_day_14_out(seller, marketplace):
    for purchased in (
        ODR_FIRST,  # the first instant: in
        ODR_FIRST - timedelta(seconds=1),  # out
        ODR_END - timedelta(seconds=1),  # the last instant: in
        ODR_END,  # out
    ):
        claim(order(seller, marketplace, purchased), at(1))
    row = snapshot(seller, marketplace, Metric.ODR_MERCHANT)
    assert (row.numerator, row.denominator) == (2, 2)


def test_pm1_defects_belong_to_the_order_date_even_arriving_after_the_window(seller, marketplace):
    inside = order(seller, marketplace, at(60))
    claim(inside, at(2))  # arrives long after the window's last order day: still counts
    late = order(seller, marketplace, at(60))
    claim(late, AS_OF)  # did not exist at the start of the day: not yet
    order(seller, marketplace, at(60))
    row = snapshot(seller, marketplace, Metric.ODR_MERCHANT)
    assert (row.numerator, row.denominator) == (1, 3)
    next_day = snapshot(seller, marketplace, Metric.ODR_MERCHANT, day=DAY + timedelta(days=1))
    assert next_day.numerator == 2


def test_pm1_withdrawn_claims_removed_or_struck_feedback_and_neutral_are_not_defects(
    seller, marketplace
):
    claim(order(seller, marketplace, at(40)), at(30), status="withdrawn")
    feedback(order(seller, marketplace, at(40)), at(30), removed_at=at(5), removed_by="buyer")
    feedback(order(seller, marketplace, at(40)), at(30), struck_through_at=at(5))
    feedback(order(seller, marketplace, at(40)), at(30), rating=3)
    # Removed only after the day began: it still counted that day.
    counted = order(seller, marketplace, at(40))
    feedback(counted, at(30), removed_at=AS_OF + timedelta(hours=2), removed_by="buyer")
    claim(order(seller, marketplace, at(40)), at(30), status="denied")  # decided: still counts
    row = snapshot(seller, marketplace, Metric.ODR_MERCHANT)
    assert (row.numerator, row.denominator) == (2, 6)


def test_pm1_cancelled_orders_do_not_count(seller, marketplace):
    order(seller, marketplace, at(40), status="cancelled")
    claim(order(seller, marketplace, at(40)), at(20))
    row = snapshot(seller, marketplace, Metric.ODR_MERCHANT)
    assert (row.numerator, row.denominator) == (1, 1)


def test_pm1_odr_target_and_margin_are_admin_settings(seller, marketplace):
    for _ in range(99):
        order(seller, marketplace, at(40))
    claim(order(seller, marketplace, at(40)), at(20))  # 1 of 100 = 1%: not below 1%
    assert snapshot(seller, marketplace, Metric.ODR_MERCHANT).status == Status.FAILING
    PolicySetting.objects.update_or_create(key="metrics.odr_target", defaults={"value": 1.2})
    row = snapshot(seller, marketplace, Metric.ODR_MERCHANT)
    assert (row.target, row.status) == (Decimal("0.012"), Status.AT_RISK)
    PolicySetting.objects.update_or_create(
        key="metrics.odr_at_risk_margin", defaults={"value": 0.1}
    )
    assert snapshot(seller, marketplace, Metric.ODR_MERCHANT).status == Status.GOOD


def test_pm2_feedback_rates_average_and_count(seller, marketplace):
    for rating, days in ((5, 10), (4, 20), (3, 30), (1, 40), (2, 200), (5, 300), (1, 400)):
        feedback(order(seller, marketplace, at(days + 3)), at(days), rating=rating)
    feedback(
        order(seller, marketplace, at(13)), at(10), rating=1, removed_at=at(9), removed_by="buyer"
    )
    negative = snapshot(seller, marketplace, Metric.NEGATIVE_FEEDBACK)
    assert (negative.numerator, negative.denominator, negative.value) == (1, 4, Decimal("0.25"))
    assert negative.status == Status.FAILING  # FB-9: above 5%
    positive = snapshot(seller, marketplace, Metric.POSITIVE_FEEDBACK, recompute=False)
    # 365 days: 5, 4, 3, 1, 2, 5 — neutral counts in the total, not as positive.
    assert (positive.numerator, positive.denominator) == (3, 6)
    assert positive.breakdown == {"positive": 3, "neutral": 1, "negative": 2}
    average = snapshot(seller, marketplace, Metric.AVERAGE_RATING, recompute=False)
    assert average.value == Decimal("3.333333")
    count = snapshot(seller, marketplace, Metric.FEEDBACK_COUNT, recompute=False)
    assert (count.value, count.status) == (6, Status.NONE)


def test_pm3_feedback_score_points(seller, marketplace):
    for _ in range(3):
        order(seller, marketplace, at(30))
    feedback(order(seller, marketplace, at(30)), at(20), rating=1)
    claim(order(seller, marketplace, at(30)), at(20))
    order(seller, marketplace, at(91))  # outside the 90 days
    row = snapshot(seller, marketplace, Metric.FEEDBACK_SCORE)
    assert row.value == 3 * 100 - 500
    assert row.breakdown == {"clean": 3, "negative_feedback": 1, "other_defects": 1}
    assert row.status == Status.NONE  # an indicator, never used to rank


def test_pm4_cs_rating_is_the_latest_weekly_rating_with_enough_answers(seller, marketplace):
    for week, answers, value in (
        (DAY - timedelta(days=11), 50, "7.5"),
        (DAY - timedelta(4), 3, "2"),
    ):
        CustomerServiceRating.objects.create(
            seller=seller,
            marketplace=marketplace,
            week_start=week,
            answers=answers,
            yes_answers=0,
            value=Decimal(value),
        )
    row = snapshot(seller, marketplace, Metric.CS_RATING)
    assert (row.value, row.denominator, row.status) == (Decimal("7.5"), 50, Status.AT_RISK)
    assert row.window_end == DAY - timedelta(days=12)


def test_pm4_contact_response_time_as_of_the_day(seller, marketplace):
    conversation = Conversation.objects.create(
        seller=seller, marketplace=marketplace, buyer=BuyerFactory(marketplace=marketplace)
    )

    def message(direction, sent_at):
        Message.objects.create(
            conversation=conversation,
            seller=seller,
            marketplace=marketplace,
            direction=direction,
            body="Hi",
            sent_at=sent_at,
            received_at=sent_at,
        )

    message("buyer", at(10))
    message("seller", at(10) + timedelta(hours=2))  # on time
    message("buyer", at(5))
    message("seller", at(3))  # late
    message("buyer", AS_OF - timedelta(hours=3))  # not due yet
    row = snapshot(seller, marketplace, Metric.RESPONSE_TIME)
    assert (row.numerator, row.denominator, row.value) == (1, 2, Decimal("0.5"))
    assert row.status == Status.FAILING  # MS-5: at least 90%


def test_pm5_every_metric_gets_a_row_with_no_data_status_none(seller, marketplace):
    recompute_metrics(period=DAY, seller_ids=[seller.pk])
    rows = MetricSnapshot.objects.filter(seller=seller, day=DAY)
    assert {r.metric for r in rows} == {m.value for m in Metric}
    assert {r.status for r in rows} == {Status.NONE}


def test_sc3_recompute_is_idempotent(seller, marketplace):
    claim(order(seller, marketplace, at(40)), at(20))
    recompute_metrics(period=DAY, seller_ids=[seller.pk])
    first = list(MetricSnapshot.objects.order_by("metric").values("metric", "value", "status"))
    recompute_metrics(period=DAY, seller_ids=[seller.pk])
    again = list(MetricSnapshot.objects.order_by("metric").values("metric", "value", "status"))
    assert first == again and len(again) == len(Metric)


def test_sc2_run_recompute_metrics_backfills_by_hand(seller, marketplace):
    other = SellerAccountFactory(marketplaces=[MarketplaceFactory(code="PL")])
    call_command(
        "run_recompute", "metrics", "--date", DAY.isoformat(), "--backfill", "3", "--quiet"
    )
    assert MetricSnapshot.objects.filter(seller=other).count() == 3 * len(Metric)
    days = set(MetricSnapshot.objects.values_list("day", flat=True))
    assert days == {DAY - timedelta(days=n) for n in range(3)}
    assert recompute.get("metrics").cadence == "daily"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sc3_two_runs_at_once_give_the_same_rows(seller, marketplace):
    claim(order(seller, marketplace, at(40)), at(20))
    job = recompute.get("metrics")
    errors = run_at_once(lambda: job.run_chunk(period=DAY, seller_ids=[seller.pk]))
    assert errors == []
    assert MetricSnapshot.objects.filter(seller=seller).count() == len(Metric)
    assert snapshot(seller, marketplace, Metric.ODR_MERCHANT, recompute=False).numerator == 1


def test_sc2_celery_beat_runs_the_metrics_daily(seller, marketplace):
    from django.conf import settings

    from sellercx.tasks import run_scheduled_recomputes

    daily = [
        entry
        for entry in settings.SELLERCX_SCHEDULES.values()
        if entry.get("kwargs") == {"cadence": "daily"}
    ]
    assert daily, "a daily schedule runs the daily recomputes"
    assert run_scheduled_recomputes("daily")["metrics"] == 1  # one chunk, run eagerly in tests
    assert MetricSnapshot.objects.filter(seller=seller).count() == len(Metric)
