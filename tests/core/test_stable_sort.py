"""Every dashboard list's sort ends on the id, the same way (AC-1 lists, #8): rows of equal
value (a status, a rating, a price) keep one order from page to page, so paging through a
sorted list shows each row once, as the API's cursor does."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.filters import FeedbackFilter
from metrics.filters import DefectFilter
from reviews.filters import ReviewFilter
from sellercx.filters import OfferFilter, OrderFilter
from sellercx.models import Offer
from voc.filters import CXOfferFilter

from ..reviews.factories import bought_review, represented_brand

SORTED_LISTS = [
    (OfferFilter, ["status", "-price", "created"]),
    (OrderFilter, ["status", "-total"]),
    (FeedbackFilter, ["stars", "-date"]),
    (DefectFilter, ["total", "-purchaseDate"]),
    (ReviewFilter, ["stars", "-stars", "date"]),
    (CXOfferFilter, ["status", "-ncxRate", "reason"]),
]


@pytest.mark.parametrize(
    ("filterset", "sort"),
    [(filterset, sort) for filterset, sorts in SORTED_LISTS for sort in sorts],
)
def test_every_sort_ends_on_the_id_in_its_direction(filterset, sort):
    field = filterset.base_filters["sort"]
    model = filterset.Meta.model if hasattr(filterset, "Meta") else Offer  # the VOC table's
    ordering = field.filter(model.objects.all(), [sort]).query.order_by
    assert ordering[-1] == ("-pk" if sort.startswith("-") else "pk")
    assert len(ordering) == 2


@pytest.mark.django_db
def test_rv3_paging_through_reviews_sorted_by_stars_shows_each_once(
    client, user, seller, marketplace
):
    """25 reviews of the same rating over two pages: without the id, PostgreSQL may return
    the equal rows in a different order for each page's query."""
    brand = represented_brand(seller)
    now = timezone.now()
    ours = [
        bought_review(seller, marketplace, brand, rating=4, posted_at=now).pk for _ in range(25)
    ]
    client.force_login(user)
    shown = []
    for number in (1, 2):
        page = client.get(reverse("reviews:list"), {"sort": "stars", "page": number})
        shown += [review.pk for review in page.context["page"]]
    assert shown == sorted(ours)
