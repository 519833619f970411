"""MS-1 and RV-6: buyer messages from the storefront become conversations on the seller's
Messages page, a reply to a brand's contact joining that contact's conversation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from messaging.models import Conversation, Message
from reviews import services as review_services
from tests.factories import OfferFactory, order_of
from tests.querycount import assert_constant_queries
from tests.reviews.factories import bought_review, represented_brand

pytestmark = pytest.mark.django_db


def send(storefront, *rows):
    return storefront.post("/api/v1/marketplace/messages", {"messages": list(rows)}, format="json")


def message(seller, buyer, message_id="M1", **extra):
    return {
        "messageId": message_id,
        "sellerId": seller.pk,
        "buyerId": buyer,
        "body": "Where is my parcel?",
        **extra,
    }


def test_ms1_messages_about_an_order_share_a_conversation(storefront, seller, marketplace):
    order = order_of(OfferFactory(seller=seller, marketplace=marketplace), external_id="402-5")
    buyer = order.buyer.external_id
    assert send(storefront, message(seller, buyer, orderId="402-5")).status_code == 200
    send(storefront, message(seller, buyer, "M2", orderId="402-5", body="Any news?"))
    send(storefront, message(seller, buyer, "M2", orderId="402-5", body="Any news?"))  # again
    conversation = Conversation.objects.get()
    assert conversation.order == order
    assert conversation.messages.count() == 2
    send(storefront, message(seller, buyer, "M3", subject="A question before buying"))
    assert Conversation.objects.count() == 2  # a pre-order question has no order


def test_ms1_bad_rows_store_nothing(storefront, seller, stranger, marketplace):
    order = order_of(OfferFactory(seller=stranger.seller, marketplace=marketplace))
    response = send(
        storefront,
        message(seller, "B1"),
        message(seller, "B1", "M2", orderId=order.external_id),  # another seller's order
        message(seller, "B1", "M3", contactId=999),
    )
    assert response.status_code == 400
    assert [e["details"] for e in response.json()["errors"]] == [
        "messages[1].orderId",
        "messages[2].contactId",
    ]
    assert not Message.objects.exists()
    assert send(storefront, message(seller, "B1", body="")).status_code == 400


def test_rv6_buyer_reply_to_a_contact_joins_a_conversation_linked_to_the_order(
    storefront, client, user, seller, marketplace
):
    review = bought_review(seller, marketplace, represented_brand(seller, name="Northwind"))
    contact = review_services.contact_customer(
        user=user, review_id=review.pk, reason="customer_service"
    )
    buyer = review.buyer.external_id
    response = send(
        storefront, message(seller, buyer, contactId=contact.pk, body="Yes, you may write to me.")
    )
    assert response.status_code == 200, response.json()
    conversation = Conversation.objects.get()
    assert conversation.contact == contact and conversation.order == review.verified_order
    assert "Northwind" in conversation.subject

    client.force_login(user)
    inbox = client.get(reverse("messaging:inbox"))
    assert "Awaiting your reply" in inbox.content.decode()
    thread = client.get(reverse("messaging:conversation", args=[conversation.pk]))
    assert "Yes, you may write to me." in thread.content.decode()
    assert Message.objects.get().read_at is not None


def test_rv6_reply_from_another_buyer_is_refused(storefront, user, seller, marketplace):
    review = bought_review(seller, marketplace, represented_brand(seller))
    contact = review_services.contact_customer(
        user=user, review_id=review.pk, reason="customer_service"
    )
    assert send(storefront, message(seller, "SOMEONE", contactId=contact.pk)).status_code == 400


def test_ms4_inbox_lists_awaiting_first_in_constant_queries(client, user, seller, marketplace):
    from django.utils import timezone

    from tests.factories import BuyerFactory

    def add_row():
        conversation = Conversation.objects.create(
            seller=seller, marketplace=marketplace, buyer=BuyerFactory(marketplace=marketplace)
        )
        Message.objects.create(
            conversation=conversation,
            seller=seller,
            marketplace=marketplace,
            direction="buyer",
            body="Hello",
            sent_at=timezone.now(),
        )

    client.force_login(user)

    def fetch():
        assert client.get(reverse("messaging:inbox")).status_code == 200

    assert_constant_queries(add_row, fetch)


def test_ac1_another_accounts_conversation_is_404(client, api, user, stranger, marketplace):
    from tests.factories import BuyerFactory

    theirs = Conversation.objects.create(
        seller=stranger.seller, marketplace=marketplace, buyer=BuyerFactory(marketplace=marketplace)
    )
    client.force_login(user)
    assert client.get(reverse("messaging:conversation", args=[theirs.pk])).status_code == 404
    assert api.get(f"/api/v1/conversations/{theirs.pk}").status_code == 404
    assert api.get("/api/v1/conversations").json()["payload"] == []


def test_ms4_thread_shows_the_orders_returns_and_refunds(client, user, seller, marketplace):
    from sellercx.models import Refund

    order = order_of(OfferFactory(seller=seller, marketplace=marketplace))
    Refund.objects.create(
        seller=seller,
        marketplace=marketplace,
        order=order,
        external_id="RF1",
        occurred_at=order.purchased_at,
        amount="5.00",
    )
    conversation = Conversation.objects.create(
        seller=seller, marketplace=marketplace, buyer=order.buyer, order=order
    )
    client.force_login(user)
    html = client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    assert "Refund" in html and order.external_id in html
