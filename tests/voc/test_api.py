"""VC-1, VC-5, VC-9, VC-11, VC-13 on the REST API (API-1 … API-3)."""

from __future__ import annotations

import pytest
import time_machine

from sellercx.models import FulfilmentChannel, Offer
from tests.conftest import client_with, token_for
from tests.factories import OfferFactory
from tests.querycount import assert_constant_queries
from voc.models import RemovalOrder

from .factories import NOW, add_contact, peer_group, sell
from .test_pages import close_for_ncx, rated  # noqa: F401 - fixture
from .test_recompute import run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_vc1_api_lists_offers_with_voc_fields(api, rated):  # noqa: F811
    response = api.get("/api/v1/voc/offers", {"cxStatus": "very_poor"})
    assert response.status_code == 200
    (row,) = response.json()["payload"]
    assert row["sku"] == "BAD-1"
    assert row["cxStatus"] == "very_poor"
    assert row["ncxRate"] == "0.500000"
    assert (row["ncxOrders"], row["totalOrders"]) == (10, 20)
    assert row["mostCommonReason"] == "Defective"
    assert row["actionRequired"] is False


def test_vc1_api_pages_with_next_token(api, rated):  # noqa: F811
    first = api.get("/api/v1/voc/offers", {"pageSize": 2}).json()
    assert len(first["payload"]) == 2
    token = first["pagination"]["nextToken"]
    second = api.get("/api/v1/voc/offers", {"pageSize": 2, "nextToken": token}).json()
    assert {r["id"] for r in first["payload"]}.isdisjoint({r["id"] for r in second["payload"]})


def test_vc1_api_bad_filter_is_a_400_envelope(api, rated):  # noqa: F811
    response = api.get("/api/v1/voc/offers", {"cxStatus": "awful"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "InvalidInput"


def test_vc5_api_explains_one_offer(api, rated):  # noqa: F811
    body = api.get(f"/api/v1/voc/offers/{rated['bad'].pk}").json()
    assert body["offer"]["cxStatus"] == "very_poor"
    assert body["peerRate"] == "0.050000"
    assert body["price"] == {"amount": "19.99", "currencyCode": "EUR"}
    assert any("10 of 20 orders" in line for line in body["explanation"])


def test_vc13_api_history_and_vc11_comments(api, rated):  # noqa: F811
    history = api.get(f"/api/v1/voc/offers/{rated['bad'].pk}/history").json()
    assert [h["status"] for h in history] == ["very_poor"]
    order = rated["bad"].order_lines.first().order
    add_contact(order, rated["bad"], comment="Lid does not close")
    body = api.get(f"/api/v1/voc/offers/{rated['bad'].pk}/comments").json()
    assert "did not sell" in body["notice"]
    assert {c["source"] for c in body["comments"]} == {"return", "contact"}
    assert any(c["text"] == "Lid does not close" for c in body["comments"])


def test_vc9_api_relist_and_removal(api, rated):  # noqa: F811
    offer = close_for_ncx(rated["bad"], fulfilment_channel=FulfilmentChannel.MARKETPLACE)
    response = api.post(
        f"/api/v1/voc/offers/{offer.pk}/removalOrders",
        {"kind": "removal", "quantity": 5},
        format="json",
    )
    assert response.status_code == 201, response.json()
    response = api.post(
        f"/api/v1/voc/offers/{offer.pk}/relist",
        {"price": "18.00", "note": "Supplier batch replaced"},
        format="json",
    )
    assert response.status_code == 201
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACTIVE
    # Relisted: no longer closed for NCX, so a second relist is refused by the rule.
    response = api.post(
        f"/api/v1/voc/offers/{offer.pk}/relist", {"price": "18.00", "note": "x"}, format="json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "NotClosedForNcx"


def test_vc9_api_removal_refused_for_merchant_fulfilled_and_bad_quantity(api, rated):  # noqa: F811
    offer = close_for_ncx(rated["bad"])
    url = f"/api/v1/voc/offers/{offer.pk}/removalOrders"
    response = api.post(url, {"kind": "removal", "quantity": 5}, format="json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "NotMarketplaceFulfilled"
    offer.fulfilment_channel = FulfilmentChannel.MARKETPLACE
    offer.save()
    response = api.post(url, {"kind": "removal", "quantity": 0}, format="json")
    assert response.status_code == 400
    response = api.post(url, {"kind": "burn", "quantity": 3}, format="json")
    assert response.status_code == 400
    assert not RemovalOrder.objects.exists()


def test_api_list_query_count_is_constant(user, seller, marketplace):
    peer_group(seller, marketplace, offers=1)
    client = client_with(token_for(user))
    client.get("/api/v1/voc/offers")  # the token's first call also records its last use

    def add_offer():
        offer = OfferFactory(seller=seller, marketplace=marketplace)
        sell(offer, 2, ncx=1)
        run(seller)

    def fetch():
        assert client.get("/api/v1/voc/offers", {"pageSize": 100}).status_code == 200

    assert_constant_queries(add_offer, fetch)
