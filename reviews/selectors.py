"""Reads of product reviews for the brand dashboard (RV-3), scoped to the brands the account
represents: another brand's review is simply not there (AC-1)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet, Subquery

from sellercx.models import Brand, BrandRepresentative

from .models import Review

# What the page, the API and RV-4 read of each review shown.
REVIEW_DETAILS = ("product", "brand", "marketplace", "buyer", "verified_order", "contact")


def represented_brand_ids(*, seller_id: int) -> list[int]:
    return list(
        BrandRepresentative.objects.filter(seller_id=seller_id).values_list("brand_id", flat=True)
    )


def represented_brands(*, seller_id: int) -> QuerySet[Brand]:
    return Brand.objects.filter(representatives__seller_id=seller_id).order_by("name")


def reviews_for_brand_dashboard(*, seller_id: int) -> QuerySet[Review]:
    """Reviews of the products of the brands the account represents, with what the page, the
    API and RV-4 need, in one query.

    The brands are a subquery, not a join through the brand: filtered, sorted and counted on
    their keys (``.values("pk", ...)``), a list reads the index ``review_brand_posted_cover``
    only, brand by brand, and never sorts every review of the account's brands with their text
    (issue #8). Lists then read one page of rows with ``reviews_in_order``."""
    brands = BrandRepresentative.objects.filter(seller_id=seller_id).values("brand_id")
    return Review.objects.filter(brand_id__in=Subquery(brands)).select_related(*REVIEW_DETAILS)


def reviews_in_order(*, seller_id: int, ids: Iterable[int]) -> list[Review]:
    """The reviews with these ids, in this order, with their details (``REVIEW_DETAILS``), in
    one query: a list's page after its keys were chosen on the covering index. Scoped again to
    the account's brands (AC-1), whatever ids it is given; by their ids, as a subquery would
    double the time PostgreSQL takes to plan this eight-table join on our machines (#8)."""
    ids = list(ids)
    if not ids:
        return []
    rows = Review.objects.filter(
        pk__in=ids, brand_id__in=represented_brand_ids(seller_id=seller_id)
    ).select_related(*REVIEW_DETAILS)
    by_id = {review.pk: review for review in rows}
    return [by_id[pk] for pk in ids if pk in by_id]
