"""Orders and their defects for the metrics tests, at chosen moments."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from metrics.models import MetricSnapshot
from metrics.recomputes import recompute_metrics
from sellercx.models import AtoZClaim, Chargeback
from tests.factories import OrderFactory
from tests.feedback.factories import FeedbackFactory

DAY = date(2026, 11, 20)
AS_OF = datetime(2026, 11, 20, tzinfo=UTC)
_ids = itertools.count(1)


def at(days_before: float, day: datetime = AS_OF) -> datetime:
    return day - timedelta(days=days_before)


def order(seller, marketplace, purchased_at, channel="merchant", **kwargs):
    return OrderFactory(
        seller=seller,
        marketplace=marketplace,
        purchased_at=purchased_at,
        delivered_at=None,
        fulfilment_channel=channel,
        **kwargs,
    )


def feedback(order, left_at, rating=1, **kwargs):
    return FeedbackFactory(order=order, rating=rating, left_at=left_at, **kwargs)


def claim(order, occurred_at, status="open"):
    return AtoZClaim.objects.create(
        seller=order.seller,
        marketplace=order.marketplace,
        order=order,
        external_id=f"CLAIM-{next(_ids)}",
        occurred_at=occurred_at,
        received_at=occurred_at,
        amount=Decimal("10"),
        status=status,
    )


def chargeback(order, occurred_at, status="open"):
    return Chargeback.objects.create(
        seller=order.seller,
        marketplace=order.marketplace,
        order=order,
        external_id=f"CB-{next(_ids)}",
        occurred_at=occurred_at,
        received_at=occurred_at,
        amount=Decimal("10"),
        status=status,
    )


def snapshot(seller, marketplace, metric, day=DAY, recompute=True) -> MetricSnapshot:
    if recompute:
        recompute_metrics(period=day, seller_ids=[seller.pk])
    return MetricSnapshot.objects.get(
        seller=seller, marketplace=marketplace, metric=metric, day=day
    )
