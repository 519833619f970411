"""VC-5 properties on the database (hypothesis): an offer never counts in its own peer group,
and delivery-related experiences never move the NCX rate (VC-4)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import OfferFactory
from voc.models import OfferCXWeek

from .factories import WEEK, add_contact, add_return, delivery_reason, peer_group, sell
from .test_recompute import run

pytestmark = pytest.mark.django_db

DB_EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@DB_EXAMPLES
@given(orders=st.integers(1, 12), peer_ncx=st.integers(0, 5), data=st.data())
def test_vc5_an_offer_never_counts_in_its_own_peer_group(
    seller, marketplace, orders, peer_ncx, data
):
    """Whatever the offers sell (examples add up in one transaction), each offer's peer totals
    are its group's totals minus its own."""
    peer_group(seller, marketplace, offers=2, orders=10, ncx=peer_ncx)
    offer = OfferFactory(seller=seller, marketplace=marketplace)
    sell(offer, orders, ncx=data.draw(st.integers(0, orders)))
    run(seller)
    rows = list(OfferCXWeek.objects.filter(week_start=WEEK))
    total_orders = sum(r.orders for r in rows)
    total_ncx = sum(r.ncx_orders for r in rows)
    for row in rows:
        assert row.peer_orders == total_orders - row.orders
        expected = Decimal(total_ncx - row.ncx_orders) / Decimal(total_orders - row.orders)
        # PostgreSQL's round() takes halves away from zero; Python's round() to even.
        assert row.peer_rate == expected.quantize(Decimal("0.000001"), ROUND_HALF_UP)


@DB_EXAMPLES
@given(returns=st.integers(0, 4), contacts=st.integers(0, 4))
def test_vc4_delivery_reasons_never_move_the_rate(seller, marketplace, returns, contacts):
    offer = OfferFactory(seller=seller, marketplace=marketplace)
    peer_group(seller, marketplace, offers=1)
    orders = sell(offer, 8, ncx=2)
    run(seller)
    before = OfferCXWeek.objects.get(offer=offer, week_start=WEEK)
    late = delivery_reason()
    for order in orders[:returns]:
        add_return(order, offer, reason=late)
    for order in orders[-contacts:] if contacts else []:
        add_contact(order, offer, reason=delivery_reason("CARRIER_DAMAGE"))
    run(seller)
    after = OfferCXWeek.objects.get(offer=offer, week_start=WEEK)
    assert (after.ncx_orders, after.ncx_rate, after.status, after.top_reason) == (
        before.ncx_orders,
        before.ncx_rate,
        before.status,
        before.top_reason,
    )
