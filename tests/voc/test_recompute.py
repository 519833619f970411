"""VC-2 … VC-8, VC-10, VC-13, SC-1, SC-3: the weekly recompute."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command

from sellercx import recompute
from sellercx.models import Offer, Order, PolicySetting, SellerAccount
from tests.concurrency import run_at_once
from tests.factories import (
    CategoryFactory,
    OfferFactory,
    OrderFactory,
    SellerAccountFactory,
    order_of,
)
from tests.feedback.factories import FeedbackFactory
from tests.reviews.factories import ReviewFactory
from voc.models import OfferCXStatus, OfferCXWeek

from .factories import (
    PERIOD_END,
    WEEK,
    add_contact,
    add_refund,
    add_return,
    days_before_week,
    delivery_reason,
    peer_group,
    product_reason,
    sell,
)

pytestmark = pytest.mark.django_db


def run(*sellers, week=WEEK) -> int:
    return recompute.get("voc").run_chunk(period=week, seller_ids=[s.pk for s in sellers])


def week_of(offer, week=WEEK) -> OfferCXWeek:
    return OfferCXWeek.objects.get(offer=offer, week_start=week)


@pytest.fixture
def offer(seller, marketplace):
    peer_group(seller, marketplace)
    return OfferFactory(seller=seller, marketplace=marketplace)


def test_vc2_ncx_rate_counts_orders_with_an_experience(seller, marketplace):
    peer_group(seller, marketplace)
    offer = OfferFactory(seller=seller, marketplace=marketplace)
    sell(offer, 10, ncx=5)
    run(seller)
    row = week_of(offer)
    assert (row.orders, row.ncx_orders, row.ncx_rate) == (10, 5, Decimal("0.5"))
    assert row.peer_orders == 60
    assert row.peer_rate == Decimal("0.1")
    assert OfferCXStatus.objects.get(offer=offer).status == "very_poor"


def test_vc2_an_order_with_several_experiences_counts_once(offer):
    (order,) = sell(offer, 1)
    sell(offer, 3)
    add_return(order, offer)
    add_refund(order, offer)
    add_contact(order, offer)
    run(offer.seller)
    row = week_of(offer)
    assert (row.orders, row.ncx_orders) == (4, 1)


def test_vc2_window_is_the_90_days_before_the_week(offer):
    sell(offer, 2, ncx=2, days=91)  # before the window
    sell(offer, 3, ncx=1, days=89)
    order_of(offer, purchased_at=PERIOD_END + timedelta(hours=1), delivered_at=None)  # after
    cancelled = sell(offer, 1, days=10)[0]
    Order.objects.filter(pk=cancelled.pk).update(status=Order.Status.CANCELLED)
    run(offer.seller)
    row = week_of(offer)
    assert (row.orders, row.ncx_orders) == (3, 1)


def test_vc7_an_order_cancelled_in_the_week_before_the_window_clears_nothing(offer):
    # Last week's window (read to clear a status, VC-7) excludes its cancelled orders too:
    # the recompute reads the cancelled orders of both windows by date (#8).
    (cancelled,) = sell(offer, 1, days=93)
    Order.objects.filter(pk=cancelled.pk).update(status=Order.Status.CANCELLED)
    run(offer.seller)
    assert not OfferCXWeek.objects.filter(offer=offer).exists()

    Order.objects.filter(pk=cancelled.pk).update(status=Order.Status.DELIVERED)
    run(offer.seller)
    assert week_of(offer).orders == 0  # sold in last week's window only: a row, no rate


def test_vc2_window_is_an_admin_setting(offer):
    sell(offer, 2, ncx=2, days=100)
    PolicySetting.objects.update_or_create(key="voc.window_days", defaults={"value": 120})
    run(offer.seller)
    assert week_of(offer).orders == 2


def test_vc2_an_experience_after_the_week_start_waits_for_next_week(offer):
    (order,) = sell(offer, 1, days=1)
    add_return(order, offer, days_after=2)  # one day after the week started
    run(offer.seller)
    assert week_of(offer).ncx_orders == 0


def test_vc3_every_source_counts(seller, marketplace, offer):
    orders = sell(offer, 8, days=20)
    add_return(orders[0], offer)
    add_refund(orders[1], offer)
    add_contact(orders[2], offer)
    ReviewFactory(
        marketplace=marketplace,
        product=offer.product,
        buyer=orders[3].buyer,
        rating=2,
        verified_order=orders[3],
        posted_at=days_before_week(10),
    )
    FeedbackFactory(
        order=orders[4], rating=2, item_as_described=False, left_at=days_before_week(10)
    )
    run(seller)
    assert week_of(offer).ncx_orders == 5


def test_vc3_what_does_not_count(seller, marketplace, offer):
    orders = sell(offer, 6, days=20)
    review = {
        "marketplace": marketplace,
        "product": offer.product,
        "posted_at": days_before_week(5),
    }
    ReviewFactory(buyer=orders[0].buyer, rating=3, verified_order=orders[0], **review)  # 3 stars
    ReviewFactory(buyer=orders[1].buyer, rating=1, verified_order=None, **review)  # unverified
    FeedbackFactory(order=orders[2], rating=5, item_as_described=True, left_at=days_before_week(5))
    FeedbackFactory(
        order=orders[3],
        item_as_described=False,
        left_at=days_before_week(5),
        removed_at=days_before_week(4),
        removed_by="buyer",
    )  # FB-5: removed feedback stops counting everywhere
    run(seller)
    assert week_of(offer).ncx_orders == 0


def test_vc3_low_star_limit_is_an_admin_setting(seller, marketplace, offer):
    (order,) = sell(offer, 1, days=20)
    ReviewFactory(
        marketplace=marketplace,
        product=offer.product,
        buyer=order.buyer,
        rating=3,
        verified_order=order,
        posted_at=days_before_week(5),
    )
    PolicySetting.objects.update_or_create(key="voc.low_star_max", defaults={"value": 3})
    run(seller)
    assert week_of(offer).ncx_orders == 1


def test_vc3_an_event_naming_no_offer_concerns_every_line_of_its_order(seller, marketplace, offer):
    other = OfferFactory(seller=seller, marketplace=marketplace)
    order = OrderFactory(
        seller=seller,
        marketplace=marketplace,
        purchased_at=days_before_week(10),
        lines=[offer, other],
    )
    add_refund(order, None)
    run(seller)
    assert week_of(offer).ncx_orders == 1 and week_of(other).ncx_orders == 1


def test_vc3_most_common_reason(offer):
    orders = sell(offer, 5)
    for order in orders[:3]:
        add_return(order, offer, reason=product_reason("POOR_QUALITY"))
    add_return(orders[3], offer, reason=product_reason("WRONG_ITEM"))
    run(offer.seller)
    assert week_of(offer).top_reason == "POOR_QUALITY"


def test_vc4_delivery_reasons_never_count(offer):
    orders = sell(offer, 4)
    late = delivery_reason("LATE_DELIVERY")
    add_return(orders[0], offer, reason=delivery_reason("CARRIER_DAMAGE"))
    add_contact(orders[1], offer, reason=late)
    add_refund(orders[2], offer, reason=delivery_reason("LOST_IN_TRANSIT"))
    run(offer.seller)
    row = week_of(offer)
    assert (row.ncx_orders, row.top_reason) == (0, "")


def test_vc5_an_offer_never_counts_in_its_own_peer_group(seller, marketplace, offer):
    sell(offer, 10, ncx=0)
    run(seller)
    before = week_of(offer).peer_rate
    sell(offer, 50, ncx=40)  # only the offer itself changes
    run(seller)
    assert week_of(offer).peer_rate == before == Decimal("0.1")


def test_vc5_peers_share_category_and_marketplace_across_sellers(seller, marketplace, offer):
    rival = SellerAccountFactory(marketplaces=[marketplace])
    rival_offer = OfferFactory(seller=rival, marketplace=marketplace, product=offer.product)
    sell(rival_offer, 40, ncx=40)
    elsewhere = OfferFactory(seller=seller, marketplace=marketplace)  # another category
    elsewhere.product.category = type(elsewhere.product.category).objects.create(name="Toys")
    elsewhere.product.save()
    sell(elsewhere, 40, ncx=40)
    sell(offer, 10, ncx=1)
    run(seller)
    # 3 peers × 2 of 20, plus the rival's 40 of 40; the toy is elsewhere.
    assert week_of(offer).peer_rate == Decimal(46) / Decimal(100)
    assert week_of(offer).peer_orders == 100


def test_vc5_peer_rate_does_not_depend_on_the_chunk(seller, marketplace, offer):
    rival = SellerAccountFactory(marketplaces=[marketplace])
    sell(OfferFactory(seller=rival, marketplace=marketplace), 30, ncx=9)
    sell(offer, 10, ncx=3)
    run(seller)
    alone = week_of(offer).peer_rate
    run(seller, rival)
    assert week_of(offer).peer_rate == alone


def rows_by_offer() -> dict:
    return {
        w.offer_id: (w.orders, w.ncx_orders, w.ncx_rate, w.peer_rate, w.status)
        for w in OfferCXWeek.objects.filter(week_start=WEEK)
    }


def test_vc5_chunks_of_whole_peer_groups_give_the_rows_of_seller_chunks(
    seller, marketplace, monkeypatch
):
    """The scheduled run chunks by peer groups (each group read once per run); the figures
    are those of a run by sellers, and every group is in exactly one chunk."""
    rival = SellerAccountFactory(marketplaces=[marketplace])
    for n, name in enumerate(["Kitchen", "Toys", "Garden"]):
        category = CategoryFactory(name=name)
        for i, owner in enumerate([seller, rival, seller]):
            offer = OfferFactory(seller=owner, marketplace=marketplace, product__category=category)
            sell(offer, 10 + 5 * i, ncx=n + i)
    job = recompute.get("voc")
    run(seller, rival)
    by_sellers = rows_by_offer()
    OfferCXWeek.objects.all().delete()
    OfferCXStatus.objects.all().delete()
    monkeypatch.setattr("voc.recomputes.OFFERS_PER_SELLER", 1)
    chunks = job.chunks(size=3)  # about 3 offers a chunk: one group each here
    groups = [pair for c in chunks for pair in zip(c["categories"], c["marketplaces"], strict=True)]
    assert len(groups) == len(set(groups)) == len(chunks) > 1
    for chunk in chunks:
        job.run(period=WEEK, chunk=chunk)
    assert rows_by_offer() == by_sellers
    # A run for one seller recomputes the groups it sells in, for every seller in them.
    assert len(job.chunks([rival.pk], size=1000)) == 1


def test_vc5_status_thresholds_are_admin_settings(offer):
    sell(offer, 20, ncx=10)
    run(offer.seller)
    assert week_of(offer).status == "very_poor"
    PolicySetting.objects.update_or_create(key="voc.very_poor_multiple", defaults={"value": 10})
    run(offer.seller)
    assert week_of(offer).status == "poor"
    PolicySetting.objects.update_or_create(key="voc.min_ncx_orders", defaults={"value": 11})
    run(offer.seller)
    assert week_of(offer).status == "insufficient"


def test_vc6_few_ncx_orders_give_insufficient_feedback(offer):
    sell(offer, 6, ncx=4)  # 67% against 10%, but only 4 NCX orders
    run(offer.seller)
    assert week_of(offer).status == "insufficient"


def test_vc7_no_orders_no_rate_no_status_and_a_stale_status_is_cleared(offer):
    run(offer.seller)
    assert not OfferCXWeek.objects.filter(offer=offer).exists()
    assert not OfferCXStatus.objects.filter(offer=offer).exists()
    sell(offer, 10, ncx=5, days=80)
    run(offer.seller)
    assert OfferCXStatus.objects.get(offer=offer).status == "very_poor"
    later = WEEK + timedelta(weeks=2)  # the orders have left the window
    run(offer.seller, week=later)
    status = OfferCXStatus.objects.get(offer=offer)
    assert (status.week_start, status.status, status.orders, status.ncx_rate) == (
        later,
        "",
        0,
        None,
    )


def test_vc8_last_updated_is_the_last_order_or_experience(offer):
    (early,) = sell(offer, 1, days=40)
    sell(offer, 1, days=30)
    add_return(early, offer, days_after=25)  # 15 days before the week
    run(offer.seller)
    assert week_of(offer).last_updated == (PERIOD_END - timedelta(days=15)).date()


def test_vc10_a_deleted_offer_keeps_its_last_status(offer):
    sell(offer, 20, ncx=10, days=60)
    run(offer.seller)
    Offer.objects.filter(pk=offer.pk).update(
        status=Offer.Status.DELETED, deleted_at=PERIOD_END + timedelta(days=2)
    )
    run(offer.seller, week=WEEK + timedelta(weeks=5))
    status = OfferCXStatus.objects.get(offer=offer)
    assert (status.week_start, status.status) == (WEEK, "very_poor")
    assert not OfferCXWeek.objects.filter(offer=offer, week_start__gt=WEEK).exists()


def test_vc13_history_is_kept_and_backfill_does_not_overwrite_the_current_week(offer):
    sell(offer, 20, ncx=10, days=40)
    run(offer.seller)
    run(offer.seller, week=WEEK - timedelta(weeks=4))  # an older week, run later
    assert OfferCXWeek.objects.filter(offer=offer).count() == 2
    assert OfferCXStatus.objects.get(offer=offer).week_start == WEEK


def test_sc1_voc_is_a_weekly_recompute_run_monday_2am_utc():
    assert "voc" in recompute.registered("weekly")
    weekly = settings.SELLERCX_SCHEDULES["weekly-recomputes"]
    assert weekly["crontab"] == {"minute": "0", "hour": "2", "day_of_week": "1"}


def test_sc3_command_backfills_and_reruns_change_nothing(offer):
    sell(offer, 20, ncx=10, days=10)
    args = ["run_recompute", "voc", "--week", WEEK.isoformat(), "--backfill", "3", "--quiet"]
    call_command(*args)
    first = list(OfferCXWeek.objects.values_list("offer", "week_start", "status", "ncx_rate"))
    call_command(*args)
    again = list(OfferCXWeek.objects.values_list("offer", "week_start", "status", "ncx_rate"))
    assert sorted(first) == sorted(again)
    assert {w for _, w, _, _ in first} == {WEEK - timedelta(weeks=n) for n in range(3)}


def test_sc3_a_rerun_of_the_week_rewrites_its_rows_with_what_changed(offer):
    sell(offer, 10, ncx=1)
    written = run(offer.seller)
    sell(offer, 10, ncx=9)  # late events: the week is run again
    assert run(offer.seller) == written
    row, status = week_of(offer), OfferCXStatus.objects.get(offer=offer)
    assert (row.orders, row.ncx_orders) == (20, 10) == (status.orders, status.ncx_orders)
    assert OfferCXWeek.objects.count() == written


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sc3_two_recomputes_at_once_write_one_set_of_rows(seller, marketplace):
    peer_group(seller, marketplace)
    rival = SellerAccountFactory(marketplaces=[marketplace])
    peer_group(rival, marketplace, offers=2)
    job = recompute.get("voc")
    errors = run_at_once(lambda: job.run_chunk(period=WEEK, seller_ids=[seller.pk, rival.pk]))
    errors += run_at_once(lambda: job.run_chunk(period=WEEK, seller_ids=[rival.pk]))
    assert errors == []
    assert OfferCXWeek.objects.count() == 5 == OfferCXStatus.objects.count()


def test_rows_of_a_deleted_offer_go_with_it_though_the_database_checks_no_key(offer):
    """DERIVED_KEY: the database keeps no foreign key on the recompute's rows; Django's
    delete still cascades to them."""
    keys = {"seller": offer.seller, "marketplace": offer.marketplace, "week_start": WEEK}
    OfferCXWeek.objects.create(offer=offer, **keys)  # an offer with no order left
    OfferCXStatus.objects.create(offer=offer, **keys)
    Offer.objects.filter(pk=offer.pk).delete()
    assert not OfferCXWeek.objects.filter(offer_id=offer.pk).exists()
    assert not OfferCXStatus.objects.filter(offer_id=offer.pk).exists()


def test_a_deleted_sellers_cx_rows_go_with_its_offers():
    """The rows have no index by seller (#8): a seller's deletion reaches them through its
    offers, by offer key, and leaves every other seller's rows. (A seller whose offers sold
    cannot be deleted at all: its order lines protect its offers.)"""
    offer = OfferFactory()
    other = OfferFactory(marketplace=offer.marketplace)
    for each in (offer, other):
        keys = {"seller": each.seller, "marketplace": each.marketplace}
        OfferCXWeek.objects.create(offer=each, week_start=WEEK - timedelta(days=7), **keys)
        OfferCXWeek.objects.create(offer=each, week_start=WEEK, **keys)
        OfferCXStatus.objects.create(offer=each, week_start=WEEK, **keys)
    SellerAccount.objects.get(pk=offer.seller_id).delete()
    assert not OfferCXWeek.objects.filter(seller_id=offer.seller_id).exists()
    assert not OfferCXStatus.objects.filter(seller_id=offer.seller_id).exists()
    assert OfferCXWeek.objects.filter(offer=other).count() == 2
    assert OfferCXStatus.objects.filter(offer=other).exists()
