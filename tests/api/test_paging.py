"""API-3: paging is exact. A list of rows with many equal sort values, paged under every sort
in both directions, gives each row once: the keyset token carries the sort value and the id
(#20: the offset cursor skipped rows and never ended past 1,000 equal values)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sellercx.filters import OfferFilter, OrderFilter
from sellercx.models import Offer, Order
from tests.factories import OfferFactory, OrderFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def walk(api, path: str, sort: str, page_size: int) -> list[int]:
    """Every id the API gives, following nextToken to the end."""
    seen, token = [], None
    for _ in range(200):  # a bound: a token that never ends fails the test
        cache.clear()  # the rate limit's buckets (API-4): this walks far more than a client
        params = {"sort": sort, "pageSize": page_size, **({"nextToken": token} if token else {})}
        response = api.get(path, params)
        assert response.status_code == 200, response.content
        body = response.json()
        seen += [row["id"] for row in body["payload"]]
        token = body["pagination"]["nextToken"]
        if token is None:
            return seen
    raise AssertionError("the pages never end")


def sorts(filterset) -> list[str]:
    keys = list(filterset.base_filters["sort"].param_map)
    return keys + [f"-{key}" for key in keys]


ROWS = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 1), st.sampled_from(["delivered", "shipped"])),
    min_size=1,
    max_size=30,
)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=ROWS, page_size=st.integers(1, 7))
def test_api3_orders_page_once_each_under_every_sort(api, user, rows, page_size):
    Order.objects.filter(seller=user.seller).delete()
    ids = {
        OrderFactory(
            seller=user.seller,
            purchased_at=T0 + timedelta(hours=hour),
            total=Decimal("10.00") + amount,
            status=status,
        ).pk
        for hour, amount, status in rows
    }
    for sort in sorts(OrderFilter):
        seen = walk(api, "/api/v1/orders", sort, page_size)
        assert sorted(seen) == sorted(ids), sort


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(prices=st.lists(st.integers(0, 1), min_size=1, max_size=25), page_size=st.integers(1, 6))
def test_api3_offers_page_once_each_under_every_sort(api, user, prices, page_size):
    Offer.objects.filter(seller=user.seller).delete()
    ids = {
        OfferFactory(
            seller=user.seller,
            marketplace=user.seller.marketplaces.first(),
            sku=f"SKU-{index % 2}-{index}",
            product__title="Same title",
            price=Decimal("5.00") + price,
        ).pk
        for index, price in enumerate(prices)
    }
    for sort in sorts(OfferFilter):
        seen = walk(api, "/api/v1/offers", sort, page_size)
        assert sorted(seen) == sorted(ids), sort


def test_api3_more_than_a_thousand_equal_values_page_to_the_end(api, user):
    """The reported case, at a scale the old cursor failed: 1,050 orders of one status."""
    offer = OfferFactory(seller=user.seller, marketplace=user.seller.marketplaces.first())
    orders = [
        Order(
            seller=user.seller,
            marketplace=offer.marketplace,
            buyer=OrderFactory(seller=user.seller).buyer,
            external_id=f"402-{n:07d}-0000009",
            status=Order.Status.DELIVERED,
            fulfilment_channel=offer.fulfilment_channel,
            purchased_at=T0,
            total=Decimal("10.00"),
        )
        for n in range(1050)
    ]
    Order.objects.bulk_create(orders)
    expected = set(Order.objects.filter(seller=user.seller).values_list("pk", flat=True))
    seen = walk(api, "/api/v1/orders", "status", 100)
    assert len(seen) == len(expected) and set(seen) == expected


def test_api3_a_token_of_another_sort_is_400(api, user):
    for _ in range(3):
        OrderFactory(seller=user.seller)
    token = api.get("/api/v1/orders", {"sort": "total", "pageSize": 1}).json()["pagination"][
        "nextToken"
    ]
    response = api.get("/api/v1/orders", {"sort": "status", "pageSize": 1, "nextToken": token})
    assert response.status_code == 400
    assert response.json()["errors"][0]["details"] == "nextToken"


@pytest.mark.django_db
@pytest.mark.parametrize("second_page", [False, True])
def test_api3_the_orders_list_is_read_in_its_index_order_not_sorted(api, user, second_page):
    """Keyset paging ordered ``purchased_at DESC NULLS LAST``: a column that is never null, but
    the clause no longer matched the index (``DESC`` is ``NULLS FIRST``), so every page sorted
    the seller's orders: the bench's orders list went from 6 to 104 ms, its throughput from
    300 to 11 requests a second. With sorting priced out, a page that still sorts shows it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    offer = OfferFactory(seller=user.seller)
    start = datetime(2026, 10, 1, tzinfo=UTC)
    for n in range(3):
        OrderFactory(seller=user.seller, marketplace=offer.marketplace, purchased_at=start)
        OrderFactory(
            seller=user.seller, marketplace=offer.marketplace, purchased_at=start + timedelta(n)
        )
    path = "/api/v1/orders?pageSize=2"
    if second_page:
        path += "&nextToken=" + api.get(path).json()["pagination"]["nextToken"]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
    with CaptureQueriesContext(connection) as queries:
        assert api.get(path).status_code == 200
    (listing,) = [q["sql"] for q in queries if 'FROM "sellercx_order"' in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + listing)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Sort" not in plan, plan
    assert "order_seller_date_cover" in plan, plan
