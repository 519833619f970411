"""SPEC §9 plumbing: tokens (AC-4), the error envelope (API-2), camelCase and money (API-1),
nextToken paging (API-3), token-bucket throttling (API-4), the OpenAPI document (API-7)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from sellercx.models import ApiToken, hash_token
from sellercx.services import revoke_api_token
from tests.conftest import client_with, token_for
from tests.factories import OfferFactory, SellerAccountFactory, UserFactory, order_of
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def assert_envelope(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"errors"}
    assert body["errors"] and all(set(e) == {"code", "message", "details"} for e in body["errors"])
    assert body["errors"][0]["code"] == code
    return body


# ---- AC-4 tokens -------------------------------------------------------------------------------


def test_ac4_no_token_is_401_with_the_envelope(client):
    response = client.get("/api/v1/offers")
    assert_envelope(response, 401, "Unauthenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_ac4_unknown_or_malformed_token_is_401():
    assert_envelope(client_with("scx_nope").get("/api/v1/offers"), 401, "Unauthenticated")
    malformed = client_with(None)
    malformed.credentials(HTTP_AUTHORIZATION="Bearer a b")
    assert_envelope(malformed.get("/api/v1/offers"), 401, "Unauthenticated")


def test_ac4_token_is_stored_hashed_and_shown_once(user):
    raw = token_for(user)
    token = ApiToken.objects.get(user=user)
    assert raw.startswith("scx_") and len(raw) > 40
    assert token.key_hash == hash_token(raw)
    assert raw not in {token.key_hash, token.prefix, token.name}
    assert raw.startswith(token.prefix)


def test_ac4_revoked_token_fails_at_once(user):
    raw = token_for(user)
    client = client_with(raw)
    assert client.get("/api/v1/offers").status_code == 200
    revoke_api_token(acting_user=user, token_id=ApiToken.objects.get(user=user).pk)
    assert_envelope(client.get("/api/v1/offers"), 401, "Unauthenticated")


def test_ac4_token_of_a_deactivated_user_fails(user):
    raw = token_for(user)
    user.is_active = False
    user.save()
    assert_envelope(client_with(raw).get("/api/v1/offers"), 401, "Unauthenticated")


def test_ac4_marketplace_token_cannot_read_seller_data(storefront):
    assert_envelope(storefront.get("/api/v1/offers"), 403, "Unauthorized")
    assert_envelope(storefront.get("/api/v1/orders"), 403, "Unauthorized")


def test_ac4_last_used_is_recorded(api, user):
    api.get("/api/v1/offers")
    assert ApiToken.objects.get(user=user).last_used_at is not None


# ---- API-2 errors ------------------------------------------------------------------------------


def test_api2_unknown_url_is_a_json_404(api):
    assert_envelope(api.get("/api/v1/nothing-here"), 404, "NotFound")


def test_api2_wrong_method_is_a_json_405(api):
    assert_envelope(api.delete("/api/v1/offers"), 405, "MethodNotAllowed")


def test_api2_malformed_json_is_a_400(storefront):
    response = storefront.post(
        "/api/v1/marketplace/orders", data="{not json", content_type="application/json"
    )
    assert_envelope(response, 400, "InvalidInput")


def test_api2_unsupported_media_type_is_a_415(storefront):
    response = storefront.post("/api/v1/marketplace/orders", data="x", content_type="text/plain")
    assert_envelope(response, 415, "UnsupportedMediaType")


def test_api2_a_crash_is_a_json_500_without_a_trace(api, monkeypatch):
    from sellercx import selectors

    def boom(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "offers_of_seller", boom)
    body = assert_envelope(api.get("/api/v1/offers"), 500, "InternalFailure")
    assert "secret" not in str(body)


# ---- API-1 shape -------------------------------------------------------------------------------


def test_api1_keys_are_camel_case_and_money_is_an_object(api, seller, marketplace):
    OfferFactory(seller=seller, marketplace=marketplace, sku="NW-1")
    offer = api.get("/api/v1/offers").json()["payload"][0]
    assert offer["marketplaceId"] == "FR"
    assert offer["fulfilmentChannel"] == "merchant"
    assert offer["price"] == {"amount": "19.99", "currencyCode": "EUR"}
    assert offer["createdAt"].endswith("Z")


def test_order_detail_has_lines_and_events(api, seller, marketplace):
    order = order_of(OfferFactory(seller=seller, marketplace=marketplace))
    body = api.get(f"/api/v1/orders/{order.pk}").json()
    assert body["orderId"] == order.external_id
    assert body["lines"][0]["unitPrice"]["currencyCode"] == "EUR"
    assert body["events"] == []


# ---- AC-1 tenancy ------------------------------------------------------------------------------


def test_ac1_another_accounts_order_and_offer_are_404(api, stranger, marketplace):
    theirs = order_of(OfferFactory(seller=stranger.seller, marketplace=marketplace))
    assert_envelope(api.get(f"/api/v1/orders/{theirs.pk}"), 404, "NotFound")
    offer_id = theirs.lines.get().offer_id
    assert_envelope(api.get(f"/api/v1/offers/{offer_id}"), 404, "NotFound")


def test_ac1_lists_show_only_the_callers_rows(api, seller, stranger, marketplace):
    mine = OfferFactory(seller=seller, marketplace=marketplace)
    OfferFactory(seller=stranger.seller, marketplace=marketplace)
    order_of(OfferFactory(seller=stranger.seller, marketplace=marketplace))
    assert [o["id"] for o in api.get("/api/v1/offers").json()["payload"]] == [mine.pk]
    assert api.get("/api/v1/orders").json()["payload"] == []
    assert [m["marketplaceId"] for m in api.get("/api/v1/marketplaces").json()["payload"]] == ["FR"]


# ---- API-3 paging ------------------------------------------------------------------------------


def test_api3_next_token_walks_every_row_once(api, seller, marketplace):
    ids = {OfferFactory(seller=seller, marketplace=marketplace).pk for _ in range(7)}
    seen, token, pages = [], None, 0
    while True:
        params = {"pageSize": 3, **({"nextToken": token} if token else {})}
        body = api.get("/api/v1/offers", params).json()
        seen += [row["id"] for row in body["payload"]]
        token = body["pagination"]["nextToken"]
        pages += 1
        if not token:
            break
    assert pages == 3
    assert sorted(seen) == sorted(ids)


@pytest.mark.parametrize("size", ["0", "101", "abc", "-1"])
def test_api3_page_size_out_of_range_is_a_400(api, size):
    assert_envelope(api.get("/api/v1/offers", {"pageSize": size}), 400, "InvalidInput")


def test_api3_bad_next_token_is_a_400(api):
    assert_envelope(api.get("/api/v1/offers", {"nextToken": "garbage"}), 400, "InvalidInput")


def test_api3_sort_and_filters_are_shared_with_the_dashboard(api, seller, marketplace):
    OfferFactory(seller=seller, marketplace=marketplace, sku="B", price="5.00")
    OfferFactory(seller=seller, marketplace=marketplace, sku="A", price="9.00")
    OfferFactory(
        seller=seller,
        marketplace=marketplace,
        sku="C",
        price="1.00",
        status="deleted",
        deleted_at="2026-01-01T00:00:00Z",
    )
    body = api.get("/api/v1/offers", {"sort": "-price", "status": "active"}).json()
    assert [o["sku"] for o in body["payload"]] == ["A", "B"]
    body = api.get("/api/v1/offers", {"q": "c", "status": "deleted"}).json()
    assert [o["sku"] for o in body["payload"]] == ["C"]


# ---- API-4 throttling --------------------------------------------------------------------------


def test_api4_token_bucket_throttles_with_retry_after(api, settings):
    settings.SELLERCX_API_RATES = {"default": [0.5, 3], "ingest": [1, 1]}
    statuses = [api.get("/api/v1/marketplaces") for _ in range(4)]
    assert [r.status_code for r in statuses] == [200, 200, 200, 429]
    assert statuses[0]["x-amzn-RateLimit-Limit"] == "0.5"
    throttled = statuses[-1]
    assert_envelope(throttled, 429, "QuotaExceeded")
    assert int(throttled["Retry-After"]) >= 1


def test_api4_buckets_are_per_token(user, settings):
    settings.SELLERCX_API_RATES = {"default": [0.1, 1]}
    first, second = client_with(token_for(user)), client_with(token_for(user))
    assert first.get("/api/v1/marketplaces").status_code == 200
    assert first.get("/api/v1/marketplaces").status_code == 429
    assert second.get("/api/v1/marketplaces").status_code == 200


# ---- API-7 schema ------------------------------------------------------------------------------


def test_api7_schema_documents_every_endpoint(client):
    response = client.get(reverse("schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    paths = set(schema["paths"])
    for path in (
        "/api/v1/offers",
        "/api/v1/orders",
        "/api/v1/orders/{id}",
        "/api/v1/marketplace/orders",
        "/api/v1/marketplace/returns",
    ):
        assert path in paths
    order_input = schema["components"]["schemas"]["OrderInputRequest"]["properties"]
    assert "purchaseDate" in order_input and "fulfilmentChannel" in order_input


def test_api7_docs_page_is_served_without_a_cdn(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    assert b"cdn" not in response.content.lower()


def test_permission_view_only_user_cannot_change_but_can_read(seller, marketplace):
    viewer = UserFactory(seller=seller, users_access=1)
    client = client_with(token_for(viewer))
    assert client.get("/api/v1/offers").status_code == 200


def test_sellers_with_no_marketplace_see_an_empty_list(db):
    lonely = UserFactory(seller=SellerAccountFactory(marketplaces=[]))
    body = client_with(token_for(lonely)).get("/api/v1/marketplaces").json()
    assert body == {"payload": [], "pagination": {"nextToken": None}}


def test_ac3_users_api_changes_permissions_within_the_account(api, seller, stranger):
    member = UserFactory(seller=seller, feedback_access=0)
    response = api.patch(f"/api/v1/users/{member.pk}/permissions", {"feedback": 2}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["permissions"]["feedback"] == 2
    assert_envelope(
        api.patch(f"/api/v1/users/{stranger.pk}/permissions", {"feedback": 2}, format="json"),
        404,
        "NotFound",
    )
    assert_envelope(
        api.patch(f"/api/v1/users/{member.pk}/permissions", {"feedback": 7}, format="json"),
        400,
        "InvalidInput",
    )
    emails = [u["email"] for u in api.get("/api/v1/users").json()["payload"]]
    assert stranger.email not in emails and member.email in emails


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/marketplaces",
        "/api/v1/offers",
        "/api/v1/orders",
        "/api/v1/users",
        "/api/v1/conversations",
    ],
)
def test_api_lists_run_the_same_queries_for_1_and_30_rows(api, seller, marketplace, path):
    api.get(path)  # the token's first call also records its last use

    def add_row():
        from messaging.models import Conversation, Message

        order = order_of(OfferFactory(seller=seller, marketplace=marketplace))
        UserFactory(seller=seller)
        conversation = Conversation.objects.create(
            seller=seller, marketplace=marketplace, buyer=order.buyer, order=order
        )
        Message.objects.create(
            conversation=conversation,
            seller=seller,
            marketplace=marketplace,
            direction="buyer",
            body="Hello",
        )

    def fetch():
        assert api.get(path, {"pageSize": 100}).status_code == 200

    assert_constant_queries(add_row, fetch)


def test_marketplace_filter_takes_only_the_callers_marketplaces(api, seller, marketplace):
    from tests.factories import MarketplaceFactory

    MarketplaceFactory(code="PL")
    OfferFactory(seller=seller, marketplace=marketplace)
    assert len(api.get("/api/v1/offers", {"marketplace": "FR"}).json()["payload"]) == 1
    for code in ("PL", "ZZ"):
        body = assert_envelope(
            api.get("/api/v1/offers", {"marketplace": code}), 400, "InvalidInput"
        )
        assert body["errors"][0]["details"] == "marketplace"


def test_api7_schema_builds_without_warnings_and_validates(tmp_path):
    from django.core.management import call_command

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )


def _token(**parts: str) -> str:
    """A nextToken as DRF's cursor writes it, with any position a client may forge."""
    from base64 import b64encode
    from urllib.parse import urlencode

    return b64encode(urlencode(parts).encode("ascii")).decode("ascii")


FORGED = [
    _token(o="0", p="zz"),
    _token(p="0000-01-01T00:00:00+00:00"),
    _token(p="10000-01-01T00:00:00+00:00"),
    _token(p="\x00"),
    _token(o="-5", p="1"),
]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/orders",
        "/api/v1/orders?sort=purchaseDate",
        "/api/v1/orders?sort=-total",
        "/api/v1/offers",
        "/api/v1/feedback",
        "/api/v1/voc/offers",
        "/api/v1/auditLog",
    ],
)
def test_api3_a_forged_next_token_is_400_never_500(api, path):
    """#20: a token decoding to a position its column cannot hold answered 500."""
    for token in FORGED:
        separator = "&" if "?" in path else "?"
        response = api.get(f"{path}{separator}nextToken={quote(token)}")
        assert response.status_code == 400, (token, response.content)
        assert_envelope(response, 400, "InvalidInput")


def test_api3_a_nul_in_a_text_position_is_400(api):
    """On a text column ``zz`` is a position like any other; a NUL byte is not."""
    token = quote(_token(p="a\x00"))
    response = api.get(f"/api/v1/orders?sort=status&nextToken={token}")
    assert_envelope(response, 400, "InvalidInput")
