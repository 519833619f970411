"""Demo data for the performance metrics: 90 days of daily snapshots, backfilled with the same
set-based recompute the schedule runs (PM-5), after shaping the showcase sellers' defects so
that Cedar & Pine fails the ODR target, Summit Gear is at risk and Northwind is good (PM-1).

The core demo draws defects at each seller's quality rate, but at a few hundred orders per
marketplace and channel one defect moves the ODR by half a point. So, deterministically, the
good and at-risk sellers keep a defective order only while the defects of the 60 days of
orders before it stay under a cap; the others are resolved as a buyer would: the claim
withdrawn, the feedback removed by the buyer at once (FB-5), the chargeback dropped.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from feedback.models import Feedback
from sellercx import periods, policy, recompute
from sellercx.demo import DemoContext, DemoProgress, register
from sellercx.models import AtoZClaim, Chargeback, Order

from . import policies
from .definitions import windows
from .models import MetricSnapshot
from .selectors import defect_flags

BACKFILL_DAYS = 90
ODR_DAYS = 60
# Defective orders kept per order over a trailing 60 days of order dates: under the 1% target
# and under its 0.75% "at risk" line for the good seller, just under the target for the at-risk
# one, whose latest windows are filled first (``_showcase_at_risk`` then makes sure).
CAPS = {"good": Decimal("0.006"), "at_risk": Decimal("0.0099")}


def _cap_defects(ctx: DemoContext, progress: DemoProgress) -> None:
    caps = {ctx.northwind_id: CAPS["good"], ctx.at_risk_seller_id: CAPS["at_risk"]}
    since = ctx.now - timedelta(days=BACKFILL_DAYS + 74 + 30)
    orders = (
        Order.objects.filter(seller_id__in=caps, purchased_at__gte=since)
        .exclude(status=Order.Status.CANCELLED)
        .annotate(**defect_flags(ctx.now + timedelta(days=1)))
        .order_by("purchased_at", "id")
        .values_list(
            "id",
            "seller_id",
            "marketplace_id",
            "fulfilment_channel",
            "purchased_at",
            "negative_feedback",
            "claim",
            "chargeback",
        )
    )
    groups = defaultdict(list)
    for row in orders:
        groups[row[1:4]].append(row)
    dropped: list[int] = []
    for (seller_id, _m, _c), rows in groups.items():
        cap = caps[seller_id]
        first = rows[0][4].date()
        orders_on = defaultdict(int)  # day index -> orders
        for row in rows:
            orders_on[(row[4].date() - first).days] += 1
        kept_on: dict[int, int] = defaultdict(int)
        for pk, *_rest, purchased_at, feedback, claim, chargeback in reversed(rows):  # newest first
            if not (feedback or claim or chargeback):
                continue
            day = (purchased_at.date() - first).days
            # Every 60-day window of order days holding this order must stay under the cap.
            fits = all(
                sum(kept_on[d] for d in range(start, start + ODR_DAYS)) + 1
                <= cap * sum(orders_on[d] for d in range(start, start + ODR_DAYS))
                for start in range(day - ODR_DAYS + 1, day + 1)
            )
            if fits:
                kept_on[day] += 1
            else:
                dropped.append(pk)
    claims = _showcase_at_risk(ctx, groups, dropped)
    AtoZClaim.objects.filter(order_id__in=dropped).update(status=AtoZClaim.Status.WITHDRAWN)
    Chargeback.objects.filter(order_id__in=dropped).delete()
    Feedback.objects.bulk_update(
        [
            Feedback(
                pk=f.pk,
                removed_at=f.left_at + timedelta(seconds=1),
                removed_by=Feedback.RemovedBy.BUYER,
            )
            for f in Feedback.objects.filter(
                order_id__in=dropped, rating__lte=2, removed_at__isnull=True
            ).only("left_at")
        ],
        ["removed_at", "removed_by"],
    )
    AtoZClaim.objects.bulk_create(claims)


def _showcase_at_risk(ctx: DemoContext, groups: dict, dropped: list[int]) -> list[AtoZClaim]:
    """Today's ODR of the at-risk seller, in one marketplace and channel at least, between the
    "at risk" line and the target. No cap does it on every day the demo can be loaded: with 280
    orders, 2 defects are under the line and 3 over the target. So, in the largest group where
    a count fits, the window's dropped defects are kept again, newest first, and if that is not
    enough, claims are filed on the window's latest clean orders. Returns the claims to add;
    ``dropped`` loses what is kept."""
    values = policy.values(policies.ODR_TARGET, policies.ODR_AT_RISK_MARGIN)
    target = Decimal(values[policies.ODR_TARGET.key]) / 100
    line = target - Decimal(values[policies.ODR_AT_RISK_MARGIN.key]) / 100
    first, end = windows(ctx.now.date())["odr"]
    removed = set(dropped)
    fits = []  # (orders, defects needed, key, the window's rows)
    for key, rows in groups.items():
        if key[0] != ctx.at_risk_seller_id:
            continue
        window = [r for r in rows if first <= r[4].date() < end]
        orders = len(window)
        defects = sum(1 for r in window if any(r[5:]) and r[0] not in removed)
        if orders and line <= Decimal(defects) / orders < target:
            return []
        needed = math.ceil(line * orders)
        if orders and needed < target * orders:
            fits.append((orders, needed - defects, key, window))
    if not fits:
        return []
    _orders, missing, key, window = max(fits, key=lambda f: f[:2])
    for row in reversed(window):
        if missing > 0 and row[0] in removed:
            dropped.remove(row[0])
            missing -= 1
    clean = [r for r in reversed(window) if not any(r[5:])][: max(0, missing)]
    totals = dict(Order.objects.filter(pk__in=[r[0] for r in clean]).values_list("pk", "total"))
    return [
        AtoZClaim(
            seller_id=key[0],
            marketplace_id=key[1],
            order_id=pk,
            external_id=f"AZC-SHOWCASE-{pk}",
            occurred_at=purchased_at + timedelta(days=10),
            amount=totals[pk],
            status=AtoZClaim.Status.OPEN,
            reason_id=ctx.reasons["LOST_IN_TRANSIT"],
        )
        for pk, _s, _m, _c, purchased_at, *_flags in clean
    ]


@register(70, "metrics", marker=MetricSnapshot)
def load_metrics(ctx: DemoContext, progress: DemoProgress) -> None:
    progress.stage("shaping the showcase sellers' defects")
    _cap_defects(ctx, progress)
    job = recompute.get("metrics")
    chunks = list(recompute.seller_chunks(list(ctx.sellers.values())))
    days = periods.periods_back(ctx.now.date(), BACKFILL_DAYS, "daily")
    for day in progress.track(days, desc="metric snapshots, 90 days"):
        for chunk in chunks:
            job.run_chunk(period=day, seller_ids=chunk)
