"""VC-2 … VC-8, SC-4: the set-based recompute equals a naive per-offer computation in Python on
random data (several sellers, categories, sources, delivery reasons, cancelled orders,
multi-line orders, removed and struck-through feedback, unverified and edited reviews, deleted
offers, rows that reached SellerCX only after the week start)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest

from feedback.models import Feedback
from reviews.models import Review, ReviewRevision
from sellercx import recompute
from sellercx.models import CustomerServiceContact, Offer, Order, Refund, Return
from tests.factories import (
    BuyerFactory,
    CategoryFactory,
    OfferFactory,
    OrderFactory,
    ProductFactory,
    SellerAccountFactory,
)
from voc.models import OfferCXWeek
from voc.rules import as_rate, cx_status, wilson

from .factories import PERIOD_END, WEEK, delivery_reason, product_reason

pytestmark = pytest.mark.django_db

WINDOW = timedelta(days=90)


def arrival(rng: random.Random, at):
    """When a row dated ``at`` reached SellerCX: mostly then, sometimes days later, across the
    week start (SC-4)."""
    return at + timedelta(days=rng.uniform(0, 12)) if rng.random() < 0.15 else at


def edit(rng: random.Random, review: Review) -> None:
    """One to three edits of ``review``, dated around the week start, each received then or
    later; the review keeps its earlier versions (RV-1)."""
    written, received = review.posted_at, review.received_at
    for _ in range(rng.randint(1, 3)):
        edited = written + timedelta(days=rng.uniform(0, 10))
        received = max(received, arrival(rng, edited))
        ReviewRevision.objects.create(
            review=review,
            rating=review.rating,
            title=review.title,
            text=review.text,
            written_at=written,
            replaced_at=edited,
            received_at=received,
        )
        review.rating, review.edited_at, written = rng.randint(1, 5), edited, edited
    review.save(update_fields=["rating", "edited_at"])


def build(rng: random.Random, marketplace) -> list[Offer]:
    reasons = [product_reason(c) for c in ("DEFECTIVE", "POOR_QUALITY", "WRONG_ITEM")]
    reasons += [delivery_reason(c) for c in ("LATE_DELIVERY", "CARRIER_DAMAGE")]
    sellers = [SellerAccountFactory(marketplaces=[marketplace]) for _ in range(3)]
    categories = [CategoryFactory(name=name) for name in ("Kitchen", "Toys")]
    products = [ProductFactory(category=rng.choice(categories)) for _ in range(6)]
    offers = []
    for seller in sellers:
        for product in rng.sample(products, 4):
            offer = OfferFactory(seller=seller, marketplace=marketplace, product=product)
            if rng.random() < 0.15:  # VC-10: deleted before or after the week start
                offer.status = Offer.Status.DELETED
                offer.deleted_at = PERIOD_END + timedelta(days=rng.choice([-20, 5]))
                offer.save()
            offers.append(offer)
    n = 0
    for offer in offers:
        mine = [o for o in offers if o.seller_id == offer.seller_id and o.pk != offer.pk]
        for _ in range(rng.randint(0, 12)):
            n += 1
            lines = [offer] + ([rng.choice(mine)] if rng.random() < 0.2 else [])
            purchased_at = PERIOD_END - timedelta(days=rng.uniform(-5, 110))
            order = OrderFactory(
                seller=offer.seller,
                marketplace=marketplace,
                buyer=BuyerFactory(marketplace=marketplace),
                purchased_at=purchased_at,
                received_at=arrival(rng, purchased_at),
                delivered_at=None,
                status=Order.Status.CANCELLED if rng.random() < 0.05 else Order.Status.DELIVERED,
                lines=lines,
            )
            at = order.purchased_at + timedelta(days=rng.uniform(0, 20))
            common = {
                "seller": offer.seller,
                "marketplace": marketplace,
                "order": order,
                "occurred_at": at,
            }
            r = rng.random()
            if r < 0.2:
                Return.objects.create(
                    external_id=f"R{n}",
                    offer=rng.choice(lines),
                    reason=rng.choice(reasons),
                    received_at=arrival(rng, at),
                    **common,
                )
            if rng.random() < 0.15:
                Refund.objects.create(
                    external_id=f"F{n}",
                    offer=rng.choice([None, *lines]),
                    amount=order.total,
                    reason=rng.choice([None, *reasons]),
                    received_at=arrival(rng, at),
                    **common,
                )
            if rng.random() < 0.15:
                CustomerServiceContact.objects.create(
                    external_id=f"C{n}",
                    offer=rng.choice([None, *lines]),
                    reason=rng.choice(reasons),
                    received_at=arrival(rng, at),
                    **common,
                )
            if rng.random() < 0.15:
                review = Review.objects.create(
                    marketplace=marketplace,
                    product=offer.product,
                    buyer=order.buyer,
                    external_id=f"V{n}",
                    rating=rng.randint(1, 5),
                    title="Meh",
                    text="Not great",
                    verified_order=order if rng.random() < 0.8 else None,
                    posted_at=at,
                    received_at=arrival(rng, at),
                )
                if rng.random() < 0.4:
                    edit(rng, review)
            if rng.random() < 0.15:
                removed = rng.random() < 0.2
                struck = rng.random() < 0.1
                Feedback.objects.create(
                    seller=offer.seller,
                    marketplace=marketplace,
                    order=order,
                    buyer=order.buyer,
                    external_id=f"B{n}",
                    rating=rng.randint(1, 5),
                    item_as_described=rng.choice([True, False, None]),
                    left_at=at,
                    received_at=arrival(rng, at),
                    removed_at=at + timedelta(days=rng.uniform(1, 20)) if removed else None,
                    removed_by="buyer" if removed else "",
                    struck_through_at=at + timedelta(days=rng.uniform(1, 20)) if struck else None,
                )
    return offers


def rating_then(review: Review, end) -> int | None:
    """RV-1, SC-4: the stars of the latest version of ``review`` that was written and had
    reached SellerCX before ``end`` (None: it had not)."""
    revisions = list(review.revisions.order_by("id"))
    versions = [(review.posted_at, review.received_at)] + [
        (r.replaced_at, r.received_at) for r in revisions
    ]
    ratings = [r.rating for r in revisions] + [review.rating]
    standing = [
        stars
        for (at, received), stars in zip(versions, ratings, strict=True)
        if at < end and received < end
    ]
    return standing[-1] if standing else None


def counted_then(feedback: Feedback, end) -> bool:
    """FB-5, FB-7, SC-4: left and received before ``end``, not yet removed or struck then."""
    return (
        feedback.left_at < end
        and feedback.received_at < end
        and not (feedback.removed_at and feedback.removed_at < end)
        and not (feedback.struck_through_at and feedback.struck_through_at < end)
    )


def naive(offers: list[Offer]) -> dict[int, dict]:
    """Per offer, by plain queries and Python: what VC-2 … VC-8 say, as of the week start."""
    start, end = PERIOD_END - WINDOW, PERIOD_END
    stats = {}
    for offer in offers:
        orders = {
            line.order_id: line.order.purchased_at
            for line in offer.order_lines.select_related("order")
            if start <= line.order.purchased_at < end
            and line.order.received_at < end
            and line.order.status != "cancelled"
        }
        experiences = []  # (order id, reason code, date)
        for model in (Return, Refund, CustomerServiceContact):
            for event in model.objects.filter(
                order_id__in=orders, occurred_at__lt=end, received_at__lt=end
            ).select_related("reason"):
                if event.reason is None or event.reason.category != "product":
                    continue
                if event.offer_id not in (None, offer.pk):
                    continue
                experiences.append((event.order_id, event.reason.code, event.occurred_at))
        experiences += [
            (review.verified_order_id, "NEGATIVE_REVIEW", review.posted_at)
            for review in Review.objects.filter(verified_order_id__in=orders, product=offer.product)
            if (stars := rating_then(review, end)) is not None and stars <= 2
        ]
        experiences += [
            (feedback.order_id, "NOT_AS_DESCRIBED", feedback.left_at)
            for feedback in Feedback.objects.filter(order_id__in=orders, item_as_described=False)
            if counted_then(feedback, end)
        ]
        counts = Counter(code for _, code, _ in experiences)
        top = min(counts, key=lambda code: (-counts[code], code)) if counts else ""
        dates = list(orders.values()) + [at for _, _, at in experiences]
        stats[offer.pk] = {
            "orders": len(orders),
            "ncx_orders": len({order for order, _, _ in experiences}),
            "top_reason": top,
            "last_updated": max(dates).date() if dates else None,
            "group": (offer.product.category_id, offer.marketplace_id),
        }
    expected = {}
    for offer in offers:
        mine = stats[offer.pk]
        if mine["orders"] == 0:
            continue
        if offer.deleted_at and offer.deleted_at < PERIOD_END:
            continue
        peers = [s for pk, s in stats.items() if s["group"] == mine["group"] and pk != offer.pk]
        peer_orders = sum(p["orders"] for p in peers)
        peer_ncx = sum(p["ncx_orders"] for p in peers)
        low, high = wilson(mine["ncx_orders"], mine["orders"])
        expected[offer.pk] = {
            "orders": mine["orders"],
            "ncx_orders": mine["ncx_orders"],
            "ncx_rate": as_rate(mine["ncx_orders"] / mine["orders"]),
            "ci_low": as_rate(low),
            "ci_high": as_rate(high),
            "peer_orders": peer_orders,
            "peer_rate": as_rate(peer_ncx / peer_orders) if peer_orders else None,
            "status": cx_status(
                ncx_orders=mine["ncx_orders"],
                orders=mine["orders"],
                peer_ncx_orders=peer_ncx,
                peer_orders=peer_orders,
            ),
            "top_reason": mine["top_reason"],
            "last_updated": mine["last_updated"],
        }
    return expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vc2_to_vc8_recompute_equals_a_naive_per_offer_computation(marketplace, seed):
    offers = build(random.Random(seed), marketplace)
    sellers = sorted({o.seller_id for o in offers})
    job = recompute.get("voc")
    for seller_id in sellers:  # one chunk per seller: peers must not depend on chunks
        job.run_chunk(period=WEEK, seller_ids=[seller_id])
    fields = list(next(iter(naive(offers).values())).keys())
    got = {
        row["offer_id"]: {f: row[f] for f in fields}
        for row in OfferCXWeek.objects.filter(week_start=WEEK, orders__gt=0).values(
            "offer_id", *fields
        )
    }
    expected = naive(offers)
    assert got == expected
    assert {e["status"] for e in expected.values()} - {""}  # something was compared
