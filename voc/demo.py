"""VOC demo data (VC-1 … VC-13): 26 weeks of CX status history, backfilled by the weekly
recompute itself from the core step's orders and events and the reviews and feedback steps.

The core step already shapes most of what VOC shows: products with one dominant complaint,
offers deleted recently and over a year ago (VC-10), new offers without orders (VC-7), and many
Good, Fair and Insufficient-feedback offers. Northwind, the account shown first, also gets one
offer in each status and its two offers closed for a high NCX rate (VC-9) show Very poor and
Poor, by construction rather than by luck: once the latest week is computed, each showcase offer
(each in its own peer group, so none moves another's peer rate) gets the orders and returns
that, added to its own figures, give its status under the rule itself (``rules.cx_status``),
all inside the latest week's window.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection

from sellercx import periods, recompute
from sellercx.demo import _REASONS, DemoContext, DemoOffer, DemoProgress, copy_rows, register
from sellercx.demo import reserve_ids as reserve
from sellercx.models import Offer, Order, OrderLine, Return

from .models import CXStatus, OfferCXStatus, OfferCXWeek
from .policies import WINDOW_DAYS
from .recomputes import window
from .rules import Thresholds, cx_status

HISTORY_WEEKS = 26
# The showcase, in the order offers are picked for it; the offers closed for NCX come first.
SHOWCASE = (
    CXStatus.VERY_POOR,
    CXStatus.POOR,
    CXStatus.EXCELLENT,
    CXStatus.INSUFFICIENT,
    CXStatus.FAIR,
    CXStatus.GOOD,
)
CLOSED_FOR_NCX = (CXStatus.VERY_POOR, CXStatus.POOR)
# Each status's place as an offer's NCX orders grow, its orders fixed (VC-5, VC-6).
RANK = {
    CXStatus.EXCELLENT: 0,
    CXStatus.GOOD: 1,
    CXStatus.FAIR: 2,
    CXStatus.INSUFFICIENT: 3,
    CXStatus.POOR: 3,
    CXStatus.VERY_POOR: 4,
}
MIN_ADDED = 20  # an offer that is not in its status yet gets at least this many recent orders
MAX_ADDED = {CXStatus.EXCELLENT: 2000}
DEFAULT_MAX_ADDED = 300
CANDIDATES = 30  # offers tried per status, largest peer groups first


class _Figures:
    """An offer's figures in the latest week: its orders and NCX orders, its peer group's."""

    def __init__(self, orders: int, ncx: int, peer_rate, peer_orders: int, status: str) -> None:
        self.orders, self.ncx, self.status = orders, ncx, status
        self.peer_orders = peer_orders
        self.peer_ncx = round(float(peer_rate or 0) * peer_orders)


def additions(figures: _Figures, target: str, thresholds: Thresholds) -> tuple[int, int] | None:
    """``(orders, of which NCX)`` to add to an offer so that its status becomes ``target``,
    or None when no addition within bounds does. Nothing to add when it already is."""
    if figures.status == target:
        return 0, 0
    for added in range(MIN_ADDED, MAX_ADDED.get(target, DEFAULT_MAX_ADDED)):
        for ncx in range(added + 1):
            status = cx_status(
                ncx_orders=figures.ncx + ncx,
                orders=figures.orders + added,
                peer_ncx_orders=figures.peer_ncx,
                peer_orders=figures.peer_orders,
                thresholds=thresholds,
            )
            if status == target:
                return added, ncx
            if RANK.get(status, 0) > RANK[target] or (
                target == CXStatus.INSUFFICIENT and figures.ncx + ncx >= thresholds.min_ncx_orders
            ):
                break
    return None


def _plans(ctx: DemoContext, week_start: date) -> list[tuple[DemoOffer, int, int]]:
    """Each showcase offer with the orders and NCX orders it needs."""
    thresholds = Thresholds.current()
    window_start, _end = window(week_start, int(WINDOW_DAYS.value()))
    by_id = {o.id: o for o in ctx.offers}
    figures = {
        offer_id: _Figures(*row)
        for offer_id, *row in OfferCXStatus.objects.filter(seller_id=ctx.northwind_id)
        .order_by("-peer_orders", "offer_id")
        .values_list("offer_id", "orders", "ncx_orders", "peer_rate", "peer_orders", "status")
    }

    def group(offer: DemoOffer) -> tuple[int, int]:
        return offer.category_id, offer.marketplace_id

    closed = [
        o
        for o in ctx.offers
        if o.seller_id == ctx.northwind_id and o.closure_reason == Offer.ClosureReason.NCX
    ]
    used = {group(o) for o in closed}
    plans = []
    for offer, target in zip(closed, CLOSED_FOR_NCX, strict=False):
        found = offer.id in figures and additions(figures[offer.id], target, thresholds)
        if found:
            plans.append((offer, *found))
    candidates = [
        by_id[offer_id]
        for offer_id, f in figures.items()
        if by_id[offer_id].status == Offer.Status.ACTIVE
        and by_id[offer_id].created_at < window_start
        and f.peer_orders >= 30
        and f.peer_ncx >= 2
    ]
    for target in SHOWCASE:
        tried = [o for o in candidates if group(o) not in used][:CANDIDATES]
        # An offer already in the status needs nothing; otherwise the fewest orders added.
        tried.sort(key=lambda o: figures[o.id].status != target)
        for offer in tried:
            found = additions(figures[offer.id], target, thresholds)
            if found:
                plans.append((offer, *found))
                used.add(group(offer))
                break
    return plans


def _showcase(ctx: DemoContext, progress: DemoProgress, week_start: date) -> int:
    """Writes the showcase's orders and returns, inside the latest week's window (and before
    an offer's closure), its returns before the week starts: the recompute counts them all."""
    rng = ctx.rng
    window_start, period_end = window(week_start, int(WINDOW_DAYS.value()))
    defects = [r for r in _REASONS if r.category == "product"]
    drafts = []
    for offer, added, ncx in _plans(ctx, week_start):
        reason = rng.choice(defects)
        first = window_start + timedelta(days=3)
        last = min(period_end, offer.closed_at or period_end) - timedelta(days=3)
        returned = set(rng.sample(range(added), ncx))
        for n in range(added):
            purchased = first + (last - first) * rng.random()
            drafts.append((offer, purchased, n in returned, reason))
    drafts.sort(key=lambda d: d[1])
    ids = reserve(Order, len(drafts))
    orders, lines, returns = [], [], []
    for n, (pk, (offer, purchased, bad, reason)) in enumerate(zip(ids, drafts, strict=True)):
        delivered = purchased + timedelta(days=rng.uniform(0.5, 1))
        orders.append(
            (
                pk,
                offer.seller_id,
                offer.marketplace_id,
                rng.choice(ctx.buyers[offer.marketplace_id]),
                f"900-{n:07d}-{rng.randrange(10**7):07d}",
                Order.Status.DELIVERED,
                offer.fulfilment_channel,
                purchased,
                purchased + timedelta(days=5),
                delivered,
                offer.price,
            )
        )
        lines.append((offer.seller_id, pk, offer.id, 1, offer.price))
        if bad:
            language = ctx.languages[offer.marketplace_id]
            returns.append(
                (
                    offer.seller_id,
                    offer.marketplace_id,
                    pk,
                    f"VOC-RMA-{pk}",
                    delivered + timedelta(days=rng.uniform(0.5, 1)),  # before period_end
                    reason.comments.get(language, "") if rng.random() < 0.7 else "",
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
    for chunk in job.chunks():  # the figures the showcase is sized from
        job.run(period=last, chunk=chunk)
    _showcase(ctx, progress, last)
    with connection.cursor() as cursor:  # plan the backfill with the showcase's rows counted
        tables = ", ".join(m._meta.db_table for m in (Order, OrderLine, Return))
        cursor.execute(f"ANALYZE {tables}")
    for week in progress.track(weeks, total=len(weeks), desc="CX status, weekly"):
        for chunk in job.chunks():
            job.run(period=week, chunk=chunk)
