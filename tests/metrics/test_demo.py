"""The demo's at-risk seller (PM-1, PM-5): its ODR is brought between the "at risk" line and the
target whatever its defects. The whole demo at many start times: tests/core/test_demo_promises.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from metrics.definitions import windows
from metrics.demo import _showcase_at_risk, _showcase_failing
from tests.factories import OrderFactory, ReasonCodeFactory

pytestmark = pytest.mark.django_db


def _window_rows(seller, marketplace, now, count):
    """``count`` clean orders of the at-risk seller inside today's ODR window, newest last: the
    newest two are real orders, the rest only rows (the step reads no other)."""
    first, end = windows(now.date())["odr"]
    day = datetime.combine(end - timedelta(days=1), time(12), tzinfo=UTC)
    real = [OrderFactory(seller=seller, marketplace=marketplace) for _ in range(2)]
    rows = [
        (-n, seller.pk, marketplace.pk, "merchant", day - timedelta(days=1 + n % 50), False, False)
        for n in range(1, count - 1)
    ]
    rows.reverse()
    rows += [
        (o.pk, seller.pk, marketplace.pk, "merchant", day - timedelta(hours=2 - i), False, False)
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
        pk, *rest, _ever, _today = groups[key][50]
        groups[key][50] = (pk, *rest, True, True)
        dropped = [pk]
    claims = _showcase_at_risk(ctx, groups, dropped)
    assert dropped == []
    if dropped_in_window:
        assert claims == []
    else:
        assert [(c.order_id, c.status) for c in claims] == [(real[-1].pk, "open")]
        assert claims[0].occurred_at < datetime.combine(now.date(), time(0), tzinfo=UTC)
    assert _showcase_at_risk(ctx, {}, []) == []


def test_pm5_demo_puts_the_failing_seller_over_the_target(seller, marketplace):
    now = timezone.now()
    reason = ReasonCodeFactory(code="LOST_IN_TRANSIT", category="delivery")
    ctx = SimpleNamespace(failing_seller_id=seller.pk, now=now, reasons={reason.code: reason.pk})
    groups, real = _window_rows(seller, marketplace, now, 150)  # no defect: 0%
    claims = _showcase_failing(ctx, groups)
    # 2 of 150 orders: 1.3%, over the 1% target; on the window's latest clean orders.
    assert sorted(c.order_id for c in claims) == sorted(o.pk for o in real)
    key = next(iter(groups))
    groups[key][0] = (*groups[key][0][:5], True, True)
    groups[key][1] = (*groups[key][1][:5], True, True)
    assert _showcase_failing(ctx, groups) == []  # already failing: nothing to add
