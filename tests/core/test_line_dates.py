"""VC-2: an order line carries its order's purchase date (``OrderLine.purchased_at``) and whether
it is cancelled (``OrderLine.order_cancelled``), copied by database triggers whatever writes the
lines or changes the order: the VOC recompute reads an offer's orders of a window, and leaves
out the cancelled ones, from one index range."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from importlib import import_module

import pytest
from django.db import connection

from sellercx.models import Order, OrderLine
from tests.factories import OfferFactory, OrderFactory, order_of

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 10, 5, 12, tzinfo=UTC)


def line_dates(order: Order) -> set:
    return set(OrderLine.objects.filter(order=order).values_list("purchased_at", flat=True))


def line_cancelled(order: Order) -> set:
    return set(OrderLine.objects.filter(order=order).values_list("order_cancelled", flat=True))


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


def test_vc2_a_line_of_a_cancelled_order_says_so_from_the_start(seller, marketplace):
    cancelled = order_of(OfferFactory(seller=seller, marketplace=marketplace), status="cancelled")
    kept = order_of(OfferFactory(seller=seller, marketplace=marketplace))
    assert (line_cancelled(cancelled), line_cancelled(kept)) == ({True}, {False})


def test_vc2_cancelling_an_order_or_taking_it_back_reaches_its_lines(seller, marketplace):
    first, second = (OfferFactory(seller=seller, marketplace=marketplace) for _ in range(2))
    order = OrderFactory(seller=seller, marketplace=marketplace, lines=[first, second])
    other = order_of(first)
    Order.objects.filter(pk=order.pk).update(status="cancelled")
    assert (line_cancelled(order), line_cancelled(other)) == ({True}, {False})
    Order.objects.filter(pk=order.pk).update(status="shipped")  # a resent order, say (API-6)
    assert line_cancelled(order) == {False}


def test_vc2_a_line_moved_to_a_cancelled_order_is_cancelled(seller, marketplace):
    offer = OfferFactory(seller=seller, marketplace=marketplace)
    order = order_of(offer)
    cancelled = order_of(OfferFactory(seller=seller, marketplace=marketplace), status="cancelled")
    OrderLine.objects.filter(order=order).update(order=cancelled)
    assert line_cancelled(cancelled) == {True}


def test_vc2_the_fill_marks_the_lines_of_cancelled_orders_only(seller, marketplace):
    """sellercx 0013 fills the lines that were there before its triggers, in batches of ids."""
    fill = import_module("sellercx.migrations.0013_orderline_voc_columns")
    cancelled = order_of(OfferFactory(seller=seller, marketplace=marketplace), status="cancelled")
    kept = order_of(OfferFactory(seller=seller, marketplace=marketplace))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE sellercx_orderline SET order_cancelled = false")
    fill.Migration.operations[-1].code(None, None)
    assert (line_cancelled(cancelled), line_cancelled(kept)) == ({True}, {False})
