"""VC-2: an order line carries its order's purchase date (``OrderLine.purchased_at``), copied by
database triggers whatever writes the lines or changes the order: the VOC recompute reads an
offer's orders of a window from one index range."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from sellercx.models import Order, OrderLine
from tests.factories import OfferFactory, order_of

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 10, 5, 12, tzinfo=UTC)


def line_dates(order: Order) -> set:
    return set(OrderLine.objects.filter(order=order).values_list("purchased_at", flat=True))


def test_vc2_a_line_written_by_the_orm_takes_its_order_date(seller, marketplace):
    order = order_of(OfferFactory(seller=seller, marketplace=marketplace), purchased_at=T0)
    assert line_dates(order) == {T0}


def test_vc2_bulk_and_raw_lines_take_their_order_date(seller, marketplace):
    first, second = (OfferFactory(seller=seller, marketplace=marketplace) for _ in range(2))
    order = order_of(first, purchased_at=T0)
    OrderLine.objects.bulk_create(
        [OrderLine(seller=seller, order=order, offer=second, quantity=1, unit_price=Decimal(5))]
    )
    third = OfferFactory(seller=seller, marketplace=marketplace)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO sellercx_orderline"
            " (seller_id, order_id, offer_id, quantity, unit_price, purchased_at)"
            " VALUES (%s, %s, %s, 1, 5, %s)",
            [seller.pk, order.pk, third.pk, T0 + timedelta(days=99)],  # a wrong date is ignored
        )
    assert line_dates(order) == {T0}


def test_vc2_a_new_order_date_reaches_its_lines(seller, marketplace):
    order = order_of(OfferFactory(seller=seller, marketplace=marketplace), purchased_at=T0)
    other = order_of(OfferFactory(seller=seller, marketplace=marketplace), purchased_at=T0)
    Order.objects.filter(pk=order.pk).update(purchased_at=T0 - timedelta(days=3))
    assert line_dates(order) == {T0 - timedelta(days=3)}
    assert line_dates(other) == {T0}


def test_vc2_a_line_moved_to_another_order_takes_that_date(seller, marketplace):
    offer = OfferFactory(seller=seller, marketplace=marketplace)
    order = order_of(offer, purchased_at=T0)
    later = order_of(OfferFactory(seller=seller, marketplace=marketplace), purchased_at=T0)
    Order.objects.filter(pk=later.pk).update(purchased_at=T0 + timedelta(days=2))
    OrderLine.objects.filter(order=order).update(order=later)
    assert line_dates(later) == {T0 + timedelta(days=2)}
