"""Test data for VOC: offers in one peer group, their orders and negative experiences."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sellercx import periods
from sellercx.models import CustomerServiceContact, Offer, Refund, Return
from tests.factories import OfferFactory, ReasonCodeFactory, order_of

# A Monday: the week the tests compute; orders are placed in the 90 days before it.
WEEK = date(2026, 11, 23)
PERIOD_END = periods.at_midnight(WEEK)
# The clock of the page and API tests: that week's Wednesday. What they show counted back from
# now (VC-11's recent comments, VC-10's deleted offers kept a year) then holds the orders above.
NOW = PERIOD_END + timedelta(days=2, hours=12)


def days_before_week(days: float) -> datetime:
    return PERIOD_END - timedelta(days=days)


def product_reason(code: str = "DEFECTIVE"):
    return ReasonCodeFactory(code=code, category="product")


def delivery_reason(code: str = "LATE_DELIVERY"):
    return ReasonCodeFactory(code=code, category="delivery")


_counter = iter(range(10_000_000))


def happened(order, days_after: float) -> dict:
    """An event ``days_after`` the order's purchase, that reached SellerCX then (SC-4)."""
    at = order.purchased_at + timedelta(days=days_after)
    return {"occurred_at": at, "received_at": at}


def add_return(order, offer: Offer, reason=None, days_after: float = 2, comment: str = ""):
    return Return.objects.create(
        seller=offer.seller,
        marketplace=offer.marketplace,
        order=order,
        offer=offer,
        external_id=f"RMA-{next(_counter)}",
        **happened(order, days_after),
        reason=reason or product_reason(),
        comment=comment,
    )


def add_refund(order, offer: Offer | None, reason=None, days_after: float = 2):
    return Refund.objects.create(
        seller=order.seller,
        marketplace=order.marketplace,
        order=order,
        offer=offer,
        external_id=f"RFD-{next(_counter)}",
        **happened(order, days_after),
        amount=order.total,
        reason=reason or product_reason(),
    )


def add_contact(order, offer: Offer | None, reason=None, days_after: float = 1, comment=""):
    return CustomerServiceContact.objects.create(
        seller=order.seller,
        marketplace=order.marketplace,
        order=order,
        offer=offer,
        external_id=f"CSC-{next(_counter)}",
        **happened(order, days_after),
        reason=reason or product_reason(),
        comment=comment,
    )


def sell(offer: Offer, count: int, *, ncx: int = 0, days: float = 30, reason=None) -> list:
    """``count`` orders of ``offer`` placed ``days`` before WEEK; the first ``ncx`` returned."""
    orders = [
        order_of(offer, purchased_at=days_before_week(days), delivered_at=None)
        for _ in range(count)
    ]
    for order in orders[:ncx]:
        add_return(order, offer, reason=reason)
    return orders


def peer_group(seller, marketplace, *, offers: int = 3, orders: int = 20, ncx: int = 2):
    """Offers of other sellers... here of the same seller, same category: the peers."""
    made = []
    for _ in range(offers):
        offer = OfferFactory(seller=seller, marketplace=marketplace)
        sell(offer, orders, ncx=ncx)
        made.append(offer)
    return made
