"""VC-3, #8: each order line's ``experience_sources`` bits, kept by the triggers of voc 0006,
tell the recompute which sources to look an order up in. Whatever writes a line or a source
(the ORM, a bulk insert, the ingestion API, a migration's fill), the bits are there; a bit may
outlive what set it, and the recompute still counts only what counts."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.db import connection

from sellercx.models import Order, OrderLine, Return
from sellercx.services.ingestion import ingest_orders
from tests.factories import OfferFactory, OrderFactory
from tests.feedback.factories import FeedbackFactory
from tests.reviews.factories import ReviewFactory
from voc.models import OfferCXWeek
from voc.recomputes import SOURCE_BITS

from .factories import (
    WEEK,
    add_contact,
    add_refund,
    add_return,
    days_before_week,
    delivery_reason,
    peer_group,
    sell,
)
from .test_recompute import run, week_of

pytestmark = pytest.mark.django_db

MIGRATION = import_module("voc.migrations.0006_order_line_experience_sources")


def bits(order) -> list[int]:
    return list(
        OrderLine.objects.filter(order=order)
        .order_by("pk")
        .values_list("experience_sources", flat=True)
    )


@pytest.fixture
def offer(seller, marketplace):
    peer_group(seller, marketplace)
    return OfferFactory(seller=seller, marketplace=marketplace)


@pytest.fixture
def order(seller, marketplace, offer):
    """An order of two lines, placed 20 days before the week."""
    second = OfferFactory(seller=seller, marketplace=marketplace)
    return OrderFactory(
        seller=seller,
        marketplace=marketplace,
        lines=[offer, second],
        purchased_at=days_before_week(20),
        delivered_at=None,
    )


def review_of(order, offer, **kwargs):
    kwargs.setdefault("verified_order", order)
    return ReviewFactory(
        marketplace=order.marketplace,
        product=offer.product,
        buyer=order.buyer,
        rating=1,
        posted_at=days_before_week(10),
        **kwargs,
    )


def feedback_on(order, **kwargs):
    kwargs.setdefault("item_as_described", False)
    return FeedbackFactory(order=order, rating=1, left_at=days_before_week(10), **kwargs)


SOURCES = {
    "return": lambda order, offer: add_return(order, offer),
    "refund": lambda order, offer: add_refund(order, None),
    "contact": lambda order, offer: add_contact(order, offer),
    "review": review_of,
    "feedback": lambda order, offer: feedback_on(order),
}


@pytest.mark.parametrize("source", SOURCES)
def test_vc3_a_source_row_marks_every_line_of_its_order_and_only_those(source, order, offer):
    untouched = sell(offer, 1)[0]
    SOURCES[source](order, offer)
    assert bits(order) == [SOURCE_BITS[source]] * 2
    assert bits(untouched) == [0]


def test_vc3_bits_add_up_source_by_source(order, offer):
    add_return(order, offer)
    add_contact(order, offer)
    add_return(order, offer)  # a second row of the same source changes nothing
    assert bits(order) == [SOURCE_BITS["return"] | SOURCE_BITS["contact"]] * 2


def test_vc3_one_statement_of_many_rows_marks_all_their_orders(offer):
    orders = sell(offer, 3)
    reason = delivery_reason()  # whatever the reason: its category may change (VC-4)
    Return.objects.bulk_create(
        Return(
            seller=offer.seller,
            marketplace=offer.marketplace,
            order=order,
            offer=offer,
            external_id=f"BULK-{order.pk}",
            occurred_at=order.purchased_at,
            reason=reason,
        )
        for order in orders
    )
    assert [bits(order) for order in orders] == [[SOURCE_BITS["return"]]] * 3


def test_vc3_a_row_that_cannot_count_marks_nothing_until_it_can(order, offer):
    review = review_of(order, offer, verified_order=None)
    feedback = feedback_on(order, item_as_described=True)
    assert bits(order) == [0, 0]

    review.verified_order = order
    review.save(update_fields=["verified_order"])
    feedback.item_as_described = False
    feedback.save(update_fields=["item_as_described"])
    assert bits(order) == [SOURCE_BITS["review"] | SOURCE_BITS["feedback"]] * 2


def test_sc4_removed_feedback_marks_its_order_a_past_week_may_count_it(order):
    """A week before its removal counts it (SC-4): the bit says look, the recompute judges."""
    feedback_on(order, removed_at=days_before_week(9), removed_by="buyer")
    assert bits(order) == [SOURCE_BITS["feedback"]] * 2


def test_sc4_the_fill_marks_orders_whose_feedback_was_already_removed(order):
    """voc 0007 gives the feedback bit to lines that 0006's condition left without it."""
    feedback_on(order, struck_through_at=days_before_week(9))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE sellercx_orderline SET experience_sources = 0")
        cursor.execute(import_module("voc.migrations.0007_feedback_bit_as_of").FILL_SQL)
    assert bits(order) == [SOURCE_BITS["feedback"]] * 2


def test_vc3_a_line_written_after_its_sources_takes_their_bits(seller, marketplace, order, offer):
    add_refund(order, None)
    late = OrderLine.objects.create(
        seller=seller,
        order=order,
        offer=OfferFactory(seller=seller, marketplace=marketplace),
        quantity=1,
        unit_price=offer.price,
    )
    late.refresh_from_db()
    assert late.experience_sources == SOURCE_BITS["refund"]


def test_vc3_a_line_moved_to_another_order_takes_that_orders_bits(order, offer):
    (other,) = sell(offer, 1)
    add_contact(other, offer)
    line = OrderLine.objects.filter(order=order).exclude(offer=offer).get()
    line.order = other
    line.save(update_fields=["order"])
    line.refresh_from_db()
    assert line.experience_sources == SOURCE_BITS["contact"]


def test_vc3_a_resent_order_keeps_its_bits_and_its_experience(seller, marketplace, offer):
    """API-6: a resent order's lines replace its earlier ones; they take the order's bits."""
    row = {
        "external_id": "402-0000001-0000009",
        "seller_id": seller.pk,
        "buyer_id": "BUYER-9",
        "status": "delivered",
        "fulfilment_channel": "merchant",
        "purchased_at": days_before_week(20),
        "lines": [{"sku": offer.sku, "quantity": 1, "unit_price": offer.price}],
    }
    ingest_orders(marketplace=marketplace, rows=[row])
    order = offer.order_lines.get().order
    # SC-4: it reached SellerCX back then (stored now, it would not count in a past week).
    Order.objects.filter(pk=order.pk).update(received_at=row["purchased_at"])
    add_return(order, offer)
    ingest_orders(marketplace=marketplace, rows=[{**row, "status": "delivered"}])
    assert bits(order) == [SOURCE_BITS["return"]]
    assert list(order.lines.values_list("received_at", flat=True)) == [row["purchased_at"]]
    run(seller)
    assert week_of(offer).ncx_orders == 1


def test_vc3_a_bit_outlives_its_row_and_the_recompute_counts_only_what_counts(order, offer):
    add_return(order, offer).delete()
    add_return(order, offer, reason=delivery_reason())  # VC-4: delivery-related
    review_of(order, offer).delete()
    assert bits(order) == [SOURCE_BITS["return"] | SOURCE_BITS["review"]] * 2
    run(offer.seller)
    figures = week_of(offer)
    assert (figures.orders, figures.ncx_orders) == (1, 0)


def test_vc3_the_fill_of_existing_lines_sets_every_bit_and_writes_only_those(order, offer):
    """voc 0006 fills the lines that were there before its triggers, in batches of ids."""
    add_return(order, offer)
    review_of(order, offer)
    (clean,) = sell(offer, 1)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE sellercx_orderline SET experience_sources = 0")
    fill = MIGRATION.Migration.operations[-1]
    fill.code(None, None)
    assert bits(order) == [SOURCE_BITS["return"] | SOURCE_BITS["review"]] * 2
    assert bits(clean) == [0]
    with connection.cursor() as cursor:
        cursor.execute(MIGRATION.FILL_SQL, {"lo": 0, "hi": 2**62})
        assert cursor.rowcount == 0  # a second fill finds nothing to write


def test_vc3_the_migration_and_the_recompute_agree_on_the_bits():
    tables = {
        "return": "sellercx_return",
        "refund": "sellercx_refund",
        "contact": "sellercx_customerservicecontact",
        "review": "reviews_review",
        "feedback": "feedback_feedback",
    }
    assert {bit: source[0] for bit, source in MIGRATION.SOURCES.items()} == {
        SOURCE_BITS[name]: table for name, table in tables.items()
    }


def test_vc3_every_experience_the_recompute_counts_is_marked(seller, marketplace, offer):
    """The recompute looks up only marked orders: each source, marked, counts (VC-3)."""
    orders = sell(offer, 6, days=20)
    for order, add in zip(orders, SOURCES.values(), strict=False):
        add(order, offer)
    run(seller)
    assert week_of(offer, WEEK).ncx_orders == 5
    assert OfferCXWeek.objects.filter(offer=offer).count() == 1
