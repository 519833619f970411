"""SC-4 for the weekly VOC recompute: a week counts each source as it stood at the week start.
A review edited later counts with the rating it had then (from its revisions), feedback removed
or struck through later still counts, and what reached SellerCX after the week start (whatever
its own date) does not count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models.functions import Now

from feedback.models import Feedback
from reviews.models import Review, ReviewRevision
from reviews.services import ReviewInput, ingest_reviews
from sellercx.models import Order, Return
from tests.factories import OfferFactory
from tests.feedback.factories import FeedbackFactory
from tests.reviews.factories import ReviewFactory

from .factories import PERIOD_END, add_return, days_before_week, peer_group, sell
from .test_recompute import run, week_of

pytestmark = pytest.mark.django_db

AFTER = PERIOD_END + timedelta(days=2)  # a moment after the week start
BEFORE = days_before_week(3)  # a moment inside the window, before the week start


@pytest.fixture
def offer(seller, marketplace):
    peer_group(seller, marketplace)
    return OfferFactory(seller=seller, marketplace=marketplace)


@pytest.fixture
def order(offer):
    orders = sell(offer, 4, days=20)
    return orders[0]


def review(order, offer, rating: int) -> Review:
    return ReviewFactory(
        product=offer.product,
        marketplace=order.marketplace,
        buyer=order.buyer,
        verified_order=order,
        rating=rating,
        posted_at=order.purchased_at + timedelta(days=5),
    )


def edited(review: Review, *, rating: int, at, received_at) -> Review:
    """``review`` edited at ``at`` to ``rating``, the edit reaching SellerCX at ``received_at``."""
    ReviewRevision.objects.create(
        review=review,
        rating=review.rating,
        title=review.title,
        text=review.text,
        written_at=review.posted_at,
        replaced_at=at,
        received_at=received_at,
    )
    review.rating, review.edited_at = rating, at
    review.save(update_fields=["rating", "edited_at"])
    return review


def edit_now(review: Review, rating: int, date=None) -> None:
    """The storefront sends an edit of ``review`` now (dated ``date``, if given)."""
    ingest_reviews(
        marketplace=review.marketplace,
        rows=[
            ReviewInput(
                external_id=review.external_id,
                asin=review.product.asin,
                buyer_id=review.buyer.external_id,
                rating=rating,
                title="Changed my mind",
                text="Edited.",
                posted_at=date,
            )
        ],
    )


def ncx(offer) -> int:
    run(offer.seller)
    return week_of(offer).ncx_orders


def test_sc4_a_review_edited_after_the_week_counts_with_its_rating_then(order, offer):
    low = review(order, offer, rating=1)
    edit_now(low, 5)
    assert ncx(offer) == 1


def test_sc4_a_good_review_edited_after_the_week_does_not_count(order, offer):
    edit_now(review(order, offer, rating=5), 1)
    assert ncx(offer) == 0


@pytest.mark.parametrize(("before", "after", "counted"), [(5, 1, 1), (1, 5, 0)])
def test_sc4_a_review_edited_before_the_week_counts_with_its_new_rating(
    order, offer, before, after, counted
):
    edited(review(order, offer, before), rating=after, at=BEFORE, received_at=BEFORE)
    assert ncx(offer) == counted


def test_sc4_an_edit_dated_before_the_week_but_received_after_it_does_not_count(order, offer):
    """A late edit: dated inside the week's window, it reached SellerCX after the week start."""
    edit_now(review(order, offer, rating=5), 1, date=BEFORE)
    assert ncx(offer) == 0


def test_sc4_the_version_that_stood_is_found_among_several_edits(order, offer):
    """5★, then 1★ before the week, then 4★ after it: the week counts the 1★."""
    low = edited(review(order, offer, 5), rating=1, at=BEFORE, received_at=BEFORE)
    edit_now(low, 4)
    assert ncx(offer) == 1


@pytest.mark.parametrize(
    ("field", "when", "counted"),
    [
        ("removed_at", AFTER, 1),
        ("removed_at", BEFORE, 0),
        ("struck_through_at", AFTER, 1),
        ("struck_through_at", BEFORE, 0),
    ],
)
def test_sc4_not_as_described_feedback_counts_until_removed_or_struck_through(
    order, offer, field, when, counted
):
    extra = {"removed_by": Feedback.RemovedBy.BUYER} if field == "removed_at" else {}
    FeedbackFactory(
        order=order,
        rating=2,
        item_as_described=False,
        left_at=order.purchased_at + timedelta(days=4),
        **{field: when},
        **extra,
    )
    assert ncx(offer) == counted


def late(model, row) -> None:
    """``row`` reached SellerCX only now, long after the week start."""
    model.objects.filter(pk=row.pk).update(received_at=Now())


@pytest.mark.parametrize(
    "source",
    [
        lambda order, offer: late(Return, add_return(order, offer)),
        lambda order, offer: late(Review, review(order, offer, rating=1)),
        lambda order, offer: late(
            Feedback, FeedbackFactory(order=order, item_as_described=False, left_at=BEFORE)
        ),
    ],
    ids=["return", "review", "feedback"],
)
def test_sc4_an_experience_that_arrived_after_the_week_start_does_not_count(order, offer, source):
    source(order, offer)
    assert ncx(offer) == 0


def test_sc4_an_order_that_arrived_after_the_week_start_is_not_in_its_window(order, offer):
    add_return(order, offer)
    Order.objects.filter(pk=order.pk).update(received_at=Now())  # its lines follow (0017)
    run(offer.seller)
    assert (week_of(offer).orders, week_of(offer).ncx_orders) == (3, 0)


def test_rv1_an_edit_keeps_the_version_it_replaces_with_its_date_and_arrival(order, offer):
    """The edit's date ends the earlier version and starts the new one; its arrival is kept
    apart, on the revision (SC-4)."""
    first = review(order, offer, rating=5)
    edit_now(first, 1, date=BEFORE)
    edit_now(first, 3)
    first.refresh_from_db()
    one, two = first.revisions.order_by("id")
    assert (one.rating, one.written_at, one.replaced_at) == (5, first.posted_at, BEFORE)
    assert (two.rating, two.written_at) == (1, BEFORE)
    assert two.replaced_at == first.edited_at
    assert one.received_at > PERIOD_END and two.received_at >= one.received_at
    assert first.received_at == first.posted_at  # the review itself arrived when posted
