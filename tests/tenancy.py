"""AC-1: every URL that takes an id, with a way to make another account's object for it.

``tests/core/test_tenancy.py`` walks every URL pattern of the project: a pattern with an id
that is not listed here fails the test, so each new page or endpoint must say how its
isolation is checked. Feature apps append their entries.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.factories import OfferFactory, UserFactory, order_of


def _order(seller, marketplace):
    return order_of(OfferFactory(seller=seller, marketplace=marketplace))


def _offer(seller, marketplace):
    return OfferFactory(seller=seller, marketplace=marketplace)


def _user(seller, marketplace):
    return UserFactory(seller=seller)


def _review(seller, marketplace):
    from tests.reviews.factories import bought_review, represented_brand

    return bought_review(seller, marketplace, represented_brand(seller))


def _conversation(seller, marketplace):
    from messaging.models import Conversation
    from tests.factories import BuyerFactory

    return Conversation.objects.create(
        seller=seller, marketplace=marketplace, buyer=BuyerFactory(marketplace=marketplace)
    )


def _buyer_message(seller, marketplace):
    from messaging.models import Message

    conversation = _conversation(seller, marketplace)
    return Message.objects.create(
        conversation=conversation,
        seller=seller,
        marketplace=marketplace,
        direction="buyer",
        body="Hello",
    )


def _feedback(seller, marketplace):
    from tests.feedback.factories import FeedbackFactory

    return FeedbackFactory(order=_order(seller, marketplace), rating=1, comment="Bad")


def _closed_fba_offer(seller, marketplace):
    from sellercx.models import Offer

    return OfferFactory(
        seller=seller,
        marketplace=marketplace,
        fulfilment_channel="marketplace",
        status=Offer.Status.CLOSED,
        closure_reason=Offer.ClosureReason.NCX,
        closed_at="2026-11-01T00:00:00Z",
    )


# URL name -> (make an object of a given seller, HTTP method, body).
OWNED: dict[str, tuple[Callable, str, dict | None]] = {
    "dashboard:order": (_order, "get", None),
    "dashboard:user": (_user, "post", {"action": "deactivate"}),
    "api:order": (_order, "get", None),
    "api:offer": (_offer, "get", None),
    "api:user-permissions": (_user, "patch", {"feedback": 2}),
    "feedback:reply": (_feedback, "post", {"text": "Sorry"}),
    "feedback:delete-reply": (_feedback, "post", None),
    "feedback:request-removal": (_feedback, "post", {"ground": "abusive"}),
    "feedback-api:detail": (_feedback, "get", None),
    "feedback-api:reply": (_feedback, "post", {"text": "Sorry"}),
    "feedback-api:removal": (_feedback, "post", {"ground": "abusive"}),
    "feedback-api:solicitation-actions": (_order, "get", None),
    "feedback-api:solicitation-create": (_order, "post", None),
    "reviews:contact": (_review, "post", {"reason": "courtesy_refund"}),
    "reviews-api:contact": (_review, "post", {"reason": "courtesy_refund"}),
    "messaging:conversation": (_conversation, "get", None),
    "messaging-api:detail": (_conversation, "get", None),
    "messaging-api:reply": (_conversation, "post", {"body": "Hello"}),
    "messaging-api:no-response-needed": (_buyer_message, "post", None),
    "messaging:contact-buyer": (_order, "post", {"subject": "Your order", "body": "Hello"}),
    "messaging-api:order-messages": (_order, "post", {"subject": "Your order", "body": "Hello"}),
    # Voice of the Customer
    "voc:offer": (_offer, "get", None),
    "voc-api:offer": (_offer, "get", None),
    "voc-api:history": (_offer, "get", None),
    "voc-api:comments": (_offer, "get", None),
    "voc-api:relist": (_closed_fba_offer, "post", {"price": "20.00", "note": "Fixed"}),
    "voc-api:removal": (_closed_fba_offer, "post", {"kind": "removal", "quantity": 1}),
}

# Patterns with an id that are not seller-owned: the admin (staff only), and the storefront's
# endpoints, scoped by the marketplace token instead (tested in each app's tests).
NOT_SELLER_OWNED_PREFIXES = ("admin:", "feedback-api:buyer-remove")
