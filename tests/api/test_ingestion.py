"""API-6: marketplace-scoped ingestion of orders and post-order events, in batches."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from sellercx.models import AtoZClaim, Buyer, Order, OrderLine, Refund, Return
from tests.factories import OfferFactory, ReasonCodeFactory, SellerAccountFactory, order_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _after_the_dates():
    """The rows below happened in October 2026, and a date in the future is refused (#9): the
    tests run in the November after, whatever the machine's clock says."""
    with time_machine.travel(datetime(2026, 11, 2, 12, tzinfo=UTC), tick=True):
        yield


PURCHASED = datetime(2026, 10, 1, 10, tzinfo=UTC)  # the purchase date of ``order_row``


def order_row(seller, offer, order_id="402-0000001-0000001", **extra) -> dict:
    row = {
        "orderId": order_id,
        "sellerId": seller.pk,
        "buyerId": "AMZBUYER1",
        "status": "delivered",
        "fulfilmentChannel": "merchant",
        "purchaseDate": "2026-10-01T10:00:00Z",
        "deliveredAt": "2026-10-03T10:00:00Z",
        "lines": [
            {
                "sku": offer.sku,
                "quantity": 2,
                "unitPrice": {"amount": "12.50", "currencyCode": "EUR"},
            }
        ],
    }
    row.update(extra)
    return row


@pytest.fixture
def offer(seller, marketplace):
    return OfferFactory(seller=seller, marketplace=marketplace, sku="NW-1")


def test_api6_orders_batch_is_stored_once_and_updated_when_resent(storefront, seller, offer):
    batch = {"orders": [order_row(seller, offer)]}
    first = storefront.post("/api/v1/marketplace/orders", batch, format="json")
    assert first.status_code == 200, first.json()
    assert first.json() == {"payload": {"received": 1, "created": 1, "updated": 0}}

    again = storefront.post("/api/v1/marketplace/orders", batch, format="json")
    assert again.json() == {"payload": {"received": 1, "created": 0, "updated": 0}}

    batch["orders"][0]["status"] = "delivered"
    batch["orders"][0]["fullyDeliveredAt"] = "2026-10-05T10:00:00Z"
    second = storefront.post("/api/v1/marketplace/orders", batch, format="json")
    assert second.json() == {"payload": {"received": 1, "created": 0, "updated": 1}}

    order = Order.objects.get()
    assert order.fully_delivered_at.day == 5
    assert str(order.total) == "25.00"

    batch["orders"][0]["lines"][0]["quantity"] += 1
    third = storefront.post("/api/v1/marketplace/orders", batch, format="json")
    assert third.json() == {"payload": {"received": 1, "created": 0, "updated": 1}}
    assert Order.objects.get().lines.get().quantity == batch["orders"][0]["lines"][0]["quantity"]
    assert OrderLine.objects.filter(order=order).count() == 1
    assert Buyer.objects.count() == 1


def test_api6_batch_with_a_bad_row_stores_nothing_and_names_each_bad_row(storefront, seller, offer):
    good = order_row(seller, offer, "402-1")
    unknown_sku = order_row(seller, offer, "402-2")
    unknown_sku["lines"][0]["sku"] = "NOPE"
    bad_type = order_row(seller, offer, "402-3", purchaseDate="yesterday")

    response = storefront.post(
        "/api/v1/marketplace/orders", {"orders": [good, unknown_sku, bad_type]}, format="json"
    )

    assert response.status_code == 400
    details = {error["details"] for error in response.json()["errors"]}
    assert "orders[2].purchaseDate" in details
    assert not Order.objects.exists()

    response = storefront.post(
        "/api/v1/marketplace/orders", {"orders": [good, unknown_sku]}, format="json"
    )
    assert response.status_code == 400
    assert [e["details"] for e in response.json()["errors"]] == ["orders[1].lines[0].sku"]
    assert not Order.objects.exists()


def test_api6_order_of_a_seller_not_in_this_marketplace_is_refused(storefront, offer):
    elsewhere = SellerAccountFactory(marketplaces=[])
    response = storefront.post(
        "/api/v1/marketplace/orders", {"orders": [order_row(elsewhere, offer)]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["details"] == "orders[0].sellerId"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lines": []}, "orders[0].lines"),
        ({"status": "lost"}, "orders[0].status"),
        (
            {
                "lines": [
                    {
                        "sku": "NW-1",
                        "quantity": 1,
                        "unitPrice": {"amount": "1", "currencyCode": "USD"},
                    }
                ]
            },
            "orders[0].lines[0].unitPrice",
        ),
        (
            {
                "lines": [
                    {
                        "sku": "NW-1",
                        "quantity": 0,
                        "unitPrice": {"amount": "1", "currencyCode": "EUR"},
                    }
                ]
            },
            "orders[0].lines[0].quantity",
        ),
    ],
)
def test_api6_bad_order_fields_are_refused_with_their_path(
    storefront, seller, offer, change, field
):
    response = storefront.post(
        "/api/v1/marketplace/orders",
        {"orders": [order_row(seller, offer, **change)]},
        format="json",
    )
    assert response.status_code == 400
    assert field in [e["details"] for e in response.json()["errors"]]
    assert not Order.objects.exists()


def test_api6_batch_over_the_limit_is_refused(storefront, seller, offer, settings):
    settings.SELLERCX_MAX_BATCH = 2
    rows = [order_row(seller, offer, f"402-{n}") for n in range(3)]
    response = storefront.post("/api/v1/marketplace/orders", {"orders": rows}, format="json")
    assert response.status_code == 400
    assert not Order.objects.exists()


def test_api6_empty_or_missing_batch_is_refused(storefront):
    for body in ({}, {"orders": []}, {"orders": "x"}):
        response = storefront.post("/api/v1/marketplace/orders", body, format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["code"] == "InvalidInput"


def test_api6_same_order_twice_in_one_batch_is_refused(storefront, seller, offer):
    rows = [order_row(seller, offer), order_row(seller, offer)]
    response = storefront.post("/api/v1/marketplace/orders", {"orders": rows}, format="json")
    assert response.status_code == 400
    assert not Order.objects.exists()


def test_api6_returns_refunds_and_claims_are_idempotent(storefront, seller, offer):
    ReasonCodeFactory(code="DEFECTIVE")
    order = order_of(offer, external_id="402-9", purchased_at=PURCHASED)
    returns = {
        "returns": [
            {
                "returnId": "R1",
                "orderId": "402-9",
                "sku": "NW-1",
                "reasonCode": "DEFECTIVE",
                "date": "2026-10-10T00:00:00Z",
                "comment": "Broke on day two",
            }
        ]
    }
    refunds = {
        "refunds": [
            {
                "refundId": "F1",
                "orderId": "402-9",
                "amount": {"amount": "19.99", "currencyCode": "EUR"},
                "date": "2026-10-11T00:00:00Z",
            }
        ]
    }
    claims = {
        "claims": [
            {
                "claimId": "C1",
                "orderId": "402-9",
                "amount": {"amount": "19.99", "currencyCode": "EUR"},
                "status": "open",
                "date": "2026-10-12T00:00:00Z",
            }
        ]
    }
    for path, body in (("returns", returns), ("refunds", refunds), ("claims", claims)):
        for _ in range(2):
            response = storefront.post(f"/api/v1/marketplace/{path}", body, format="json")
            assert response.status_code == 200, response.json()
    assert Return.objects.get().order == order
    assert Return.objects.get().seller == seller
    assert Refund.objects.count() == 1

    response = storefront.post("/api/v1/marketplace/claims", claims, format="json")
    assert response.json()["payload"] == {"received": 1, "created": 0, "updated": 0}
    claims["claims"][0]["status"] = "withdrawn"
    response = storefront.post("/api/v1/marketplace/claims", claims, format="json")
    assert response.json()["payload"] == {"received": 1, "created": 0, "updated": 1}
    assert AtoZClaim.objects.get().status == "withdrawn"


def test_api6_event_on_unknown_order_or_reason_stores_nothing(storefront, seller, offer):
    order_of(offer, external_id="402-9", purchased_at=PURCHASED)
    body = {
        "returns": [
            {
                "returnId": "R1",
                "orderId": "402-9",
                "sku": "NW-1",
                "reasonCode": "NOPE",
                "date": "2026-10-10T00:00:00Z",
            },
            {
                "returnId": "R2",
                "orderId": "999",
                "sku": "NW-1",
                "reasonCode": "NOPE",
                "date": "2026-10-10T00:00:00Z",
            },
        ]
    }
    response = storefront.post("/api/v1/marketplace/returns", body, format="json")
    assert response.status_code == 400
    assert {e["details"] for e in response.json()["errors"]} == {
        "returns[0].reasonCode",
        "returns[1].orderId",
    }
    assert not Return.objects.exists()


def test_ac4_seller_token_cannot_ingest(api):
    response = api.post("/api/v1/marketplace/orders", {"orders": []}, format="json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "Unauthorized"
