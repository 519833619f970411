"""VC-2 … VC-8, VC-10, VC-13, SC-3: the weekly recompute."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sellercx import recompute
from tests.factories import OfferFactory
from voc.models import OfferCXStatus, OfferCXWeek

from .factories import WEEK, peer_group, sell

pytestmark = pytest.mark.django_db


def run(*sellers, week=WEEK) -> int:
    return recompute.get("voc").run_chunk(period=week, seller_ids=[s.pk for s in sellers])


def test_vc2_ncx_rate_counts_orders_with_an_experience(seller, marketplace):
    peer_group(seller, marketplace)
    offer = OfferFactory(seller=seller, marketplace=marketplace)
    sell(offer, 10, ncx=5)
    run(seller)
    row = OfferCXWeek.objects.get(offer=offer, week_start=WEEK)
    assert (row.orders, row.ncx_orders, row.ncx_rate) == (10, 5, Decimal("0.5"))
    assert row.peer_orders == 60
    assert row.peer_rate == Decimal("0.1")
    assert OfferCXStatus.objects.get(offer=offer).status == "very_poor"
