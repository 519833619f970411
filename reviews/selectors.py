"""Reads of product reviews for the brand dashboard (RV-3), scoped to the brands the account
represents: another brand's review is simply not there (AC-1)."""

from __future__ import annotations

from django.db.models import QuerySet

from sellercx.models import Brand, BrandRepresentative

from .models import Review


def represented_brand_ids(*, seller_id: int) -> list[int]:
    return list(
        BrandRepresentative.objects.filter(seller_id=seller_id).values_list("brand_id", flat=True)
    )


def represented_brands(*, seller_id: int) -> QuerySet[Brand]:
    return Brand.objects.filter(representatives__seller_id=seller_id).order_by("name")


def reviews_for_brand_dashboard(*, seller_id: int) -> QuerySet[Review]:
    """Reviews of the products of the brands the account represents, with what the page, the
    API and RV-4 need, in one query."""
    return Review.objects.filter(brand__representatives__seller_id=seller_id).select_related(
        "product", "brand", "marketplace", "buyer", "verified_order", "contact"
    )
