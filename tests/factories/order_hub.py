"""Test data for the order page (UX-5): an order with something of every kind on it — lines,
post-order events, seller feedback with its reply and removal requests, product reviews,
conversations — each dated from the order's own dates, and the order from a fixed point
(``NOW`` by default; browser tests, whose server runs on the real clock, give theirs)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count

from sellercx.models import AtoZClaim, Chargeback, CustomerServiceContact, OrderLine, Refund, Return
from tests.factories import OfferFactory, ReasonCodeFactory, order_of

# The clock of the order page's tests: a Wednesday, mid-day UTC.
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

_ids = count(1)


def hub_order(seller, marketplace, *, now: datetime = NOW, **kwargs):
    """An order of one line, purchased 20 days before ``now`` and delivered 15 days before:
    inside FB-11's request window (from 5 days after delivery to 30 days after it)."""
    offer = OfferFactory(seller=seller, marketplace=marketplace, **kwargs.pop("offer", {}))
    kwargs.setdefault("purchased_at", now - timedelta(days=20))
    kwargs.setdefault("delivered_at", now - timedelta(days=15))
    return order_of(offer, **kwargs)


def add_line(order, **offer_kwargs) -> OrderLine:
    offer = OfferFactory(seller=order.seller, marketplace=order.marketplace, **offer_kwargs)
    return OrderLine.objects.create(
        seller=order.seller, order=order, offer=offer, quantity=2, unit_price=offer.price
    )


EVENT_KINDS = ("return", "refund", "claim", "chargeback", "contact")


def add_events(order, offer, *, days_after: float = 1, kinds=EVENT_KINDS) -> list:
    """One return, refund, A-to-z claim, chargeback and customer-service contact (or the
    ``kinds`` given: a return, a refund or an open claim rule out a review request)."""
    reason = ReasonCodeFactory(code="DEFECTIVE")
    amount = Decimal("5.00")
    made = {
        "return": (Return, {"offer": offer, "reason": reason}),
        "refund": (Refund, {"offer": offer, "reason": reason, "amount": amount}),
        "claim": (AtoZClaim, {"amount": amount}),
        "chargeback": (Chargeback, {"amount": amount}),
        "contact": (
            CustomerServiceContact,
            {"offer": offer, "reason": reason, "comment": "Where is the lid?"},
        ),
    }
    return [
        made[kind][0].objects.create(
            seller=order.seller,
            marketplace=order.marketplace,
            order=order,
            occurred_at=order.purchased_at + timedelta(days=days_after),
            external_id=f"{kind}-{next(_ids)}",
            **made[kind][1],
        )
        for kind in kinds
    ]


def add_feedback(order, *, rating: int = 2, comment: str = "Lid missing, slow answer.", **kw):
    from tests.feedback.factories import FeedbackFactory

    kw.setdefault("left_at", order.delivered_at + timedelta(days=2))
    return FeedbackFactory(order=order, rating=rating, comment=comment, **kw)


def add_reply(feedback, text: str = "Sorry: a new lid is on its way."):
    from feedback.models import FeedbackReply

    return FeedbackReply.objects.create(
        feedback=feedback, seller=feedback.seller, text=text, created_at=feedback.left_at
    )


def add_removal_request(feedback, *, ground: str = "product_review", status: str = "pending"):
    from feedback.models import RemovalRequest

    return RemovalRequest.objects.create(
        feedback=feedback,
        seller=feedback.seller,
        ground=ground,
        status=status,
        requested_at=feedback.left_at + timedelta(hours=1),
        decided_at=None if status == "pending" else feedback.left_at + timedelta(days=1),
        decision_reason="" if status == "pending" else "The comment is about the seller.",
    )


def add_review(order, line: OrderLine | None = None, *, rating: int = 2, title: str = "Leaks"):
    from tests.reviews.factories import ReviewFactory

    product = (line or order.lines.first()).offer.product
    return ReviewFactory(
        product=product,
        marketplace=order.marketplace,
        buyer=order.buyer,
        verified_order=order,
        rating=rating,
        title=title,
        text="It leaks from the spout.",
        posted_at=order.delivered_at + timedelta(days=3),
    )


def add_conversation(order, *messages: tuple[str, str], subject: str = "About my kettle"):
    """A conversation about the order with ``(direction, body)`` messages, an hour apart."""
    from messaging.models import Conversation, Message

    conversation = Conversation.objects.create(
        seller=order.seller,
        marketplace=order.marketplace,
        buyer=order.buyer,
        order=order,
        subject=subject,
        created_at=order.purchased_at + timedelta(days=1),
    )
    for hour, (direction, body) in enumerate(messages):
        Message.objects.create(
            conversation=conversation,
            seller=order.seller,
            marketplace=order.marketplace,
            direction=direction,
            body=body,
            sent_at=conversation.created_at + timedelta(hours=hour),
        )
    return conversation
