"""The demo (``make run``): 90 days of snapshots; Cedar & Pine fails the ODR target, Summit
Gear is at risk, Northwind is good (PM-1, PM-5). Full scale: the statuses depend on volume."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone

from metrics.definitions import ODR_METRICS, windows, worst
from metrics.demo import _showcase_at_risk
from metrics.models import MetricSnapshot
from sellercx import periods
from tests.factories import OrderFactory, ReasonCodeFactory

pytestmark = pytest.mark.django_db


def test_pm5_demo_backfills_90_days_with_a_failing_and_an_at_risk_odr():
    call_command("seed_demo", "--quiet", stdout=io.StringIO(), stderr=io.StringIO())
    days = MetricSnapshot.objects.values_list("day", flat=True).distinct()
    assert len(days) == 90 and max(days) == periods.today()
    latest = MetricSnapshot.objects.filter(day=periods.today(), metric__in=ODR_METRICS)
    odr = {}
    for name, status in latest.values_list("seller__name", "status"):
        odr.setdefault(name, []).append(status)
    assert worst(odr["Cedar & Pine Trading Co."]) == "failing"
    assert worst(odr["Summit Gear Supply"]) == "at_risk"
    assert worst(odr["Northwind Outfitters"]) == "good"


def _window_rows(seller, marketplace, now, count):
    """``count`` clean orders of the at-risk seller inside today's ODR window, newest last: the
    newest two are real orders, the rest only rows (the step reads no other)."""
    first, end = windows(now.date())["odr"]
    day = datetime.combine(end - timedelta(days=1), time(12), tzinfo=UTC)
    real = [OrderFactory(seller=seller, marketplace=marketplace) for _ in range(2)]
    rows = [
        (-n, seller.pk, marketplace.pk, "merchant", day - timedelta(days=1 + n % 50), *[False] * 3)
        for n in range(1, count - 1)
    ]
    rows.reverse()
    rows += [
        (o.pk, seller.pk, marketplace.pk, "merchant", day - timedelta(hours=2 - i), *[False] * 3)
        for i, o in enumerate(real)
    ]
    assert all(first <= r[4].date() < end for r in rows)
    return {(seller.pk, marketplace.pk, "merchant"): rows}, real


@pytest.mark.parametrize("dropped_in_window", [False, True])
def test_pm5_demo_puts_the_at_risk_seller_between_the_line_and_the_target(
    seller, marketplace, dropped_in_window
):
    now = timezone.now()
    reason = ReasonCodeFactory(code="LOST_IN_TRANSIT", category="delivery")
    ctx = SimpleNamespace(at_risk_seller_id=seller.pk, now=now, reasons={reason.code: reason.pk})
    groups, real = _window_rows(seller, marketplace, now, 110)  # 1 defect: 0.91%
    dropped = []
    if dropped_in_window:  # a defect the cap dropped is kept again
        key = next(iter(groups))
        pk, *rest, _fb, _claim, _cb = groups[key][50]
        groups[key][50] = (pk, *rest, False, True, False)
        dropped = [pk]
    claims = _showcase_at_risk(ctx, groups, dropped)
    assert dropped == []
    if dropped_in_window:
        assert claims == []
    else:
        assert [(c.order_id, c.status) for c in claims] == [(real[-1].pk, "open")]
        assert claims[0].occurred_at < datetime.combine(now.date(), time(0), tzinfo=UTC)
    assert _showcase_at_risk(ctx, {}, []) == []
