"""Demo data for the performance metrics: 90 days of daily snapshots, backfilled with the same
set-based recompute the schedule runs (PM-5), after shaping the sellers' defects so that each
seller's Account health is the one ``DEMO_LOGINS`` promises: Cedar & Pine fails the ODR target,
Summit Gear is at risk, every other seller is good (PM-1).

The core demo draws defects at each seller's quality rate, but at a few hundred orders per
marketplace and channel one defect moves the ODR by half a point. So, deterministically, the
good and at-risk sellers keep a defective order only while the defects of the 60 days of
orders around it stay under a cap; the others are resolved as a buyer would: the claim
withdrawn, the feedback removed by the buyer at once (FB-5), the chargeback dropped. Then the
at-risk and the failing sellers' largest window is brought into their band if it is not there.

The feedback and messaging steps keep the other graded metrics on the promised side of their
targets with the same kind of quota (``edges`` and ``snapshot_days`` are theirs too).
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q

from feedback.models import Feedback
from sellercx import periods, recompute
from sellercx.demo import DemoContext, DemoProgress, register
from sellercx.models import AtoZClaim, Chargeback, Order

from .definitions import Condition, Metric, targets, windows
from .models import MetricSnapshot
from .selectors import defect_flags

BACKFILL_DAYS = 90
ODR_DAYS = 60
# How far inside its edge a quota keeps a promised metric: the ODR of a good seller under 80%
# of its "at risk" line, the other figures a tenth of the way from theirs.
ODR_SAFETY = {"good": Decimal("0.8"), "at_risk": Decimal("0.99")}
SAFETY = 0.9


def snapshot_days(ctx: DemoContext) -> list[date]:
    """The days this step writes snapshots for; the last is what Account health shows."""
    return periods.periods_back(ctx.now.date(), BACKFILL_DAYS, "daily")


def edges(health: str) -> dict[str, Decimal]:
    """For a seller promised ``health``, each graded metric's edge (in the metric's unit): a
    "below" metric must stay under it, an "at least" one at or over it. A good seller keeps
    out of every "at risk" margin, an at-risk one out of failing; a failing one has no edge."""
    if health not in ("good", "at_risk"):
        return {}
    result = {}
    for metric, (target, margin, condition) in targets().items():
        if target is None or condition == Condition.NONE:
            continue
        margin = (margin or Decimal(0)) if health == "good" else Decimal(0)
        result[metric] = target - margin if condition == Condition.BELOW else target + margin
    return result


def _odr_caps(ctx: DemoContext) -> dict[int, Decimal]:
    """Defective orders a seller may keep per order of any 60 days of order dates."""
    caps = {}
    for seller_id, health in ctx.promised_health.items():
        edge = edges(health).get(Metric.ODR_MERCHANT)
        if edge is not None:
            caps[seller_id] = edge * ODR_SAFETY[health]
    return caps


def _ever_seen() -> dict:
    """An order's defects as any snapshot may count them, as annotations: a snapshot is taken
    at a midnight (``as_of``), so negative feedback counts in one unless it was removed or
    struck through before the first midnight after it was left; claims unless withdrawn;
    chargebacks. (What today's snapshot counts is ``defect_flags`` as of today.)"""
    order = OuterRef("pk")
    gone_that_day = Q(removed_at__date=F("left_at__date")) | Q(
        struck_through_at__date=F("left_at__date")
    )
    return {
        "feedback_ever": Exists(
            Feedback.objects.filter(order=order, rating__lte=2).exclude(gone_that_day)
        ),
        "claim_ever": Exists(
            AtoZClaim.objects.filter(order=order).exclude(status=AtoZClaim.Status.WITHDRAWN)
        ),
        "chargeback_ever": Exists(Chargeback.objects.filter(order=order)),
    }


def _cap_defects(ctx: DemoContext, progress: DemoProgress) -> None:
    caps = _odr_caps(ctx)
    banded = {ctx.at_risk_seller_id, ctx.failing_seller_id}
    since = ctx.now - timedelta(days=BACKFILL_DAYS + 74 + 30)
    today = defect_flags(periods.at_midnight(ctx.now.date()))
    orders = (
        Order.objects.filter(seller_id__in=[*caps, *banded], purchased_at__gte=since)
        .exclude(status=Order.Status.CANCELLED)
        .annotate(**_ever_seen(), **today)
        .order_by("purchased_at", "id")
        .values_list(
            "id",
            "seller_id",
            "marketplace_id",
            "fulfilment_channel",
            "purchased_at",
            "feedback_ever",
            "claim_ever",
            "chargeback_ever",
            *today,
        )
    )
    groups = defaultdict(list)
    for pk, seller, market, channel, purchased_at, *flags in orders:
        # (order, seller, marketplace, channel, date, a defect any snapshot sees, today's)
        groups[seller, market, channel].append(
            (pk, seller, market, channel, purchased_at, any(flags[:3]), any(flags[3:]))
        )
    dropped: list[int] = []
    for (seller_id, _m, _c), rows in groups.items():
        if seller_id not in caps:
            continue
        cap = caps[seller_id]
        first = rows[0][4].date()
        orders_on = defaultdict(int)  # day index -> orders
        for row in rows:
            orders_on[(row[4].date() - first).days] += 1
        kept_on: dict[int, int] = defaultdict(int)
        for pk, _s, _m, _c, purchased_at, ever, _today in reversed(rows):  # newest first
            if not ever:
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
    claims = _showcase_at_risk(ctx, groups, dropped) + _showcase_failing(ctx, groups)
    AtoZClaim.objects.filter(order_id__in=dropped).update(status=AtoZClaim.Status.WITHDRAWN)
    Chargeback.objects.filter(order_id__in=dropped).delete()
    # Removed by the buyer as it was left: no snapshot, whatever its day, counts it.
    Feedback.objects.filter(order_id__in=dropped, rating__lte=2).update(
        removed_at=F("left_at"), removed_by=Feedback.RemovedBy.BUYER
    )
    AtoZClaim.objects.bulk_create(claims)


def _odr_band(health: str) -> tuple[Decimal, Decimal]:
    """``[low, high)``: the ODR values of a status (PM-5), from the policies."""
    target, margin, _ = targets()[Metric.ODR_MERCHANT]
    line = target - (margin or Decimal(0))
    return (line, target) if health == "at_risk" else (target, Decimal(2))


def _showcase_at_risk(ctx: DemoContext, groups: dict, dropped: list[int]) -> list[AtoZClaim]:
    """Today's ODR of the at-risk seller, in one marketplace and channel at least, between the
    "at risk" line and the target. No cap does it on every day the demo can be loaded: with 280
    orders, 2 defects are under the line and 3 over the target. So, in the largest group where
    a count fits, the window's dropped defects are kept again, newest first, and if that is not
    enough, claims are filed on the window's latest clean orders. Returns the claims to add;
    ``dropped`` loses what is kept."""
    return _bring_into_band(ctx, ctx.at_risk_seller_id, "at_risk", groups, dropped)


def _showcase_failing(ctx: DemoContext, groups: dict) -> list[AtoZClaim]:
    """The failing seller's ODR over the target in one marketplace and channel at least
    (its defects are drawn at six times the target; this makes sure of it)."""
    return _bring_into_band(ctx, ctx.failing_seller_id, "failing", groups, [])


def _bring_into_band(
    ctx: DemoContext, seller_id: int, health: str, groups: dict, dropped: list[int]
) -> list[AtoZClaim]:
    low, high = _odr_band(health)
    first, end = windows(ctx.now.date())["odr"]
    removed = set(dropped)
    fits = []  # (orders, defects needed, key, the window's rows)
    for key, rows in groups.items():
        if key[0] != seller_id:
            continue
        window = [r for r in rows if first <= r[4].date() < end]
        orders = len(window)
        defects = sum(1 for r in window if r[6] and r[0] not in removed)
        if orders and low <= Decimal(defects) / orders < high:
            return []
        needed = math.ceil(low * orders)
        if orders and needed < high * orders:
            fits.append((orders, needed - defects, key, window))
    if not fits:
        return []
    _orders, missing, key, window = max(fits, key=lambda f: f[:2])
    for row in reversed(window):  # today's defects the cap dropped are kept again
        if missing > 0 and row[6] and row[0] in removed:
            dropped.remove(row[0])
            missing -= 1
    clean = [r for r in reversed(window) if not (r[5] or r[6])][: max(0, missing)]
    totals = dict(Order.objects.filter(pk__in=[r[0] for r in clean]).values_list("pk", "total"))
    return [
        AtoZClaim(
            seller_id=key[0],
            marketplace_id=key[1],
            order_id=pk,
            external_id=f"AZC-SHOWCASE-{pk}",
            occurred_at=purchased_at + timedelta(days=10),
            received_at=purchased_at + timedelta(days=10),  # as it happened (SC-4)
            amount=totals[pk],
            status=AtoZClaim.Status.OPEN,
            reason_id=ctx.reasons["LOST_IN_TRANSIT"],
        )
        for pk, _s, _m, _c, purchased_at, _ever, _today in clean
    ]


@register(55, "metric defects")
def shape_defects(ctx: DemoContext, progress: DemoProgress) -> None:
    """Before the VOC step, whose showcase orders are all clean (they only lower an ODR)."""
    progress.stage("shaping the sellers' defects")
    _cap_defects(ctx, progress)


@register(70, "metrics", marker=MetricSnapshot)
def load_metrics(ctx: DemoContext, progress: DemoProgress) -> None:
    job = recompute.get("metrics")
    chunks = list(recompute.seller_chunks(list(ctx.sellers.values())))
    for day in progress.track(snapshot_days(ctx), desc="metric snapshots, 90 days"):
        for chunk in chunks:
            job.run_chunk(period=day, seller_ids=chunk)
