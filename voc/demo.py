"""VOC demo data (VC-1 … VC-13): 26 weeks of CX status history, backfilled by the weekly
recompute itself from the core step's orders and events and the reviews and feedback steps.

The core step already shapes most of what VOC shows: products with one dominant complaint,
offers closed for a high NCX rate (VC-9), offers deleted recently and over a year ago (VC-10),
new offers without orders (VC-7), and many Good, Fair and Insufficient-feedback offers. So that
Northwind, the account shown first, also has an Excellent, a Poor and a Very poor offer and an
offer closed for NCX that still shows Very poor, this step adds their orders and returns (COPY),
sized from their peer group's own rate, each in a different peer group so they do not move
each other's peer rate.
"""

from __future__ import annotations

import math
from datetime import timedelta

from sellercx import periods, recompute
from sellercx.demo import _REASONS, DemoContext, DemoOffer, DemoProgress, copy_rows, register
from sellercx.demo import reserve_ids as reserve
from sellercx.models import Offer, Order, OrderLine, Return

from .models import OfferCXStatus, OfferCXWeek

HISTORY_WEEKS = 26
SPAN_DAYS = HISTORY_WEEKS * 7 + 90  # every week of history has a full window


def _showcase(ctx: DemoContext, progress: DemoProgress) -> int:
    """Orders and returns that give Northwind one offer of each extreme status."""
    rng, now = ctx.rng, ctx.now
    by_id = {o.id: o for o in ctx.offers}
    # The peer rate of each of Northwind's offers, as the latest week's recompute sees it.
    rows = OfferCXStatus.objects.filter(seller_id=ctx.northwind_id, peer_orders__gte=20).order_by(
        "-peer_orders", "offer_id"
    )
    groups: dict[tuple[int, int], tuple[float, DemoOffer]] = {}
    closed_for_ncx = None
    for offer_id, peer_rate in rows.values_list("offer_id", "peer_rate"):
        offer = by_id.get(offer_id)
        if offer is None or not peer_rate:
            continue
        if offer.closure_reason == Offer.ClosureReason.NCX and closed_for_ncx is None:
            closed_for_ncx = (float(peer_rate), offer)
        if offer.status == Offer.Status.ACTIVE:
            groups.setdefault((offer.category_id, offer.marketplace_id), (float(peer_rate), offer))
    candidates = list(groups.values())  # the largest peer groups first: stable peer rates
    if closed_for_ncx is None:  # the core step's showcase offers may lack peers at small scales
        closed = [o for o in ctx.offers if o.seller_id == ctx.northwind_id and o.closure_reason]
        closed = [o for o in closed if o.closure_reason == Offer.ClosureReason.NCX]
        closed_for_ncx = (0.03, closed[0]) if closed else None
    plans = []  # (offer, orders in a 90-day window, NCX rate, last day it sold)
    for (peer, offer), kind in zip(candidates, ("very_poor", "poor", "excellent"), strict=False):
        if kind == "very_poor":
            plans.append((offer, 150, max(5 * peer, 0.1), now))
        elif kind == "poor":
            plans.append((offer, 600, 2 * peer, now))
        else:
            plans.append((offer, min(900, math.ceil(8 / peer)), 0.0, now))
    if closed_for_ncx is not None:
        peer, offer = closed_for_ncx
        plans.append((offer, 60, max(5 * peer, 0.25), offer.closed_at or now))

    defects = [r for r in _REASONS if r.category == "product"]
    drafts, returns = [], []
    for offer, per_window, rate, until in plans:
        count = round(per_window * SPAN_DAYS / 90)
        reason = rng.choice(defects)
        buyers = ctx.buyers[offer.marketplace_id]
        language = ctx.languages[offer.marketplace_id]
        for _ in range(count):
            purchased = until - timedelta(days=rng.uniform(0.5, SPAN_DAYS))
            delivered = purchased + timedelta(days=rng.uniform(1, 4))
            bad = rng.random() < rate
            drafts.append((offer, rng.choice(buyers), purchased, delivered, bad, reason, language))
    drafts.sort(key=lambda d: d[2])
    ids = reserve(Order, len(drafts))
    orders, lines = [], []
    for n, (pk, draft) in enumerate(zip(ids, drafts, strict=True)):
        offer, buyer, purchased, delivered, bad, reason, language = draft
        delivered = delivered if delivered <= now else None
        orders.append(
            (
                pk,
                offer.seller_id,
                offer.marketplace_id,
                buyer,
                f"900-{n:07d}-{rng.randrange(10**7):07d}",
                Order.Status.DELIVERED if delivered else Order.Status.SHIPPED,
                offer.fulfilment_channel,
                purchased,
                purchased + timedelta(days=5),
                delivered,
                offer.price,
            )
        )
        lines.append((offer.seller_id, pk, offer.id, 1, offer.price))
        occurred = (delivered or purchased) + timedelta(days=rng.uniform(1, 20))
        if bad and occurred <= now:
            comment = reason.comments.get(language, "") if rng.random() < 0.7 else ""
            returns.append(
                (
                    offer.seller_id,
                    offer.marketplace_id,
                    pk,
                    f"VOC-RMA-{pk}",
                    occurred,
                    comment,
                    offer.id,
                    1,
                    ctx.reasons[reason.code],
                )
            )
    copy_rows(
        Order,
        "id seller_id marketplace_id buyer_id external_id status fulfilment_channel purchased_at"
        " promised_delivery_at delivered_at total",
        orders,
    )
    copy_rows(OrderLine, "seller order offer quantity unit_price", lines)
    copy_rows(
        Return,
        "seller marketplace order external_id occurred_at comment offer quantity reason",
        returns,
    )
    progress.stage(f"VOC showcase: {len(orders):,} orders, {len(returns):,} returns")
    return len(orders)


@register(60, "voc", marker=OfferCXWeek)
def load_voc(ctx: DemoContext, progress: DemoProgress) -> None:
    job = recompute.get("voc")
    last = periods.current_period("weekly", ctx.now.date())
    weeks = periods.periods_back(last, HISTORY_WEEKS, "weekly")
    chunks = job.chunks()
    for chunk in chunks:  # the peer rates the showcase is sized from
        job.run(period=last, chunk=chunk)
    _showcase(ctx, progress)
    for week in progress.track(weeks, total=len(weeks), desc="CX status, weekly"):
        for chunk in job.chunks():
            job.run(period=week, chunk=chunk)
