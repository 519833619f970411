"""Factories for product reviews: a review of a brand's product, bought from the seller."""

from __future__ import annotations

import factory
from django.utils import timezone

from reviews.models import Review
from sellercx.models import BrandRepresentative
from tests.factories import BrandFactory, OfferFactory, ProductFactory, order_of


def represented_brand(seller, **kwargs):
    brand = BrandFactory(owner=seller, **kwargs)
    BrandRepresentative.objects.create(seller=seller, brand=brand)
    return brand


def bought_review(seller, marketplace, brand, rating=1, purchased_at=None, **kwargs):
    """A verified review of ``brand``'s product, bought from ``seller``."""
    product = ProductFactory(brand=brand)
    offer = OfferFactory(seller=seller, marketplace=marketplace, product=product)
    extra = {"purchased_at": purchased_at} if purchased_at else {}
    order = order_of(offer, **extra)
    return ReviewFactory(
        product=product,
        marketplace=marketplace,
        buyer=order.buyer,
        verified_order=order,
        rating=rating,
        **kwargs,
    )


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    marketplace = factory.LazyAttribute(lambda o: o.buyer.marketplace)
    product = factory.SubFactory(ProductFactory)
    brand = factory.LazyAttribute(lambda o: o.product.brand)
    buyer = factory.SubFactory("tests.factories.BuyerFactory")
    external_id = factory.Sequence(lambda n: f"RV-{n:06d}")
    rating = 1
    title = "Broke after a week"
    text = "The handle snapped on day six."
    posted_at = factory.LazyFunction(timezone.now)
    received_at = factory.LazyAttribute(lambda o: o.posted_at)  # SC-4: arrived when posted
