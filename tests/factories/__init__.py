"""factory-boy factories for the shared core. Feature apps add theirs beside these."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from sellercx import models as m
from sellercx.permissions import Access, Area, access_field


class MarketplaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Marketplace
        django_get_or_create = ("code",)

    code = "FR"
    name = factory.LazyAttribute(
        lambda o: {"US": "United States", "CA": "Canada", "FR": "France", "PL": "Poland"}.get(
            o.code, o.code
        )
    )
    domain = factory.LazyAttribute(lambda o: f"www.market.{o.code.lower()}")
    currency = factory.LazyAttribute(
        lambda o: {"US": "USD", "CA": "CAD", "FR": "EUR", "PL": "PLN"}.get(o.code, "EUR")
    )
    language = factory.LazyAttribute(
        lambda o: {"US": "en", "CA": "en", "FR": "fr", "PL": "pl"}.get(o.code, "en")
    )


class SellerAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.SellerAccount
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Seller {n}")
    kind = m.SellerAccount.Kind.PROFESSIONAL

    @factory.post_generation
    def marketplaces(self, create, extracted, **kwargs):
        if not create:
            return
        for marketplace in extracted if extracted is not None else [MarketplaceFactory()]:
            m.SellerMarketplace.objects.get_or_create(seller=self, marketplace=marketplace)


def _all_access(level: Access) -> dict:
    return {access_field(area): level for area in Area}


class UserFactory(factory.django.DjangoModelFactory):
    """A seller user, account admin (Edit everywhere) unless told otherwise."""

    class Meta:
        model = m.User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@seller.example")
    name = factory.Sequence(lambda n: f"User {n}")
    seller = factory.SubFactory(SellerAccountFactory)
    password = factory.django.Password("pass-word-123")

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        for field, level in _all_access(Access.EDIT).items():
            kwargs.setdefault(field, level)
        return kwargs


class StaffFactory(UserFactory):
    seller = None
    is_staff = True
    is_superuser = True

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        return kwargs


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Brand

    name = factory.Sequence(lambda n: f"Brand {n}")
    owner = factory.SubFactory(SellerAccountFactory)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Category
        django_get_or_create = ("name",)

    name = "Kitchen"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Product

    asin = factory.Sequence(lambda n: f"B0{n:08d}")
    title = factory.Sequence(lambda n: f"Stainless kettle model {n}")
    brand = None
    category = factory.SubFactory(CategoryFactory)


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Offer

    seller = factory.SubFactory(SellerAccountFactory)
    marketplace = factory.LazyAttribute(lambda o: o.seller.marketplaces.first())
    product = factory.SubFactory(ProductFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    price = Decimal("19.99")
    fulfilment_channel = m.FulfilmentChannel.MERCHANT


class BuyerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Buyer

    marketplace = factory.SubFactory(MarketplaceFactory)
    external_id = factory.Sequence(lambda n: f"BUYER{n:06d}")
    alias = factory.Sequence(lambda n: f"Buyer {n:06X}")


class OrderFactory(factory.django.DjangoModelFactory):
    """An order; ``lines=[offer, ...]`` gives its lines (one line of a seller's offer if not)."""

    class Meta:
        model = m.Order
        skip_postgeneration_save = True

    seller = factory.SubFactory(SellerAccountFactory)
    marketplace = factory.LazyAttribute(lambda o: o.seller.marketplaces.first())
    buyer = factory.LazyAttribute(lambda o: BuyerFactory(marketplace=o.marketplace))
    external_id = factory.Sequence(lambda n: f"113-{n:07d}-0000001")
    status = m.Order.Status.DELIVERED
    fulfilment_channel = m.FulfilmentChannel.MERCHANT
    purchased_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    delivered_at = factory.LazyAttribute(lambda o: o.purchased_at + timedelta(days=3))
    total = Decimal("19.99")
    # SC-4: test data arrived when it happened, unless a test says it came late.
    received_at = factory.LazyAttribute(lambda o: o.purchased_at)

    @factory.post_generation
    def lines(self, create, extracted, **kwargs):
        if not create:
            return
        offers = extracted or [
            m.Offer.objects.filter(seller=self.seller, marketplace=self.marketplace).first()
            or OfferFactory(seller=self.seller, marketplace=self.marketplace)
        ]
        m.OrderLine.objects.bulk_create(
            m.OrderLine(
                seller=self.seller, order=self, offer=offer, quantity=1, unit_price=offer.price
            )
            for offer in offers
        )


def order_of(offer: m.Offer, **kwargs) -> m.Order:
    """An order of one unit of ``offer``, from its seller, in its marketplace."""
    kwargs.setdefault("total", offer.price)
    return OrderFactory(
        seller=offer.seller,
        marketplace=offer.marketplace,
        fulfilment_channel=offer.fulfilment_channel,
        lines=[offer],
        **kwargs,
    )


class ReasonCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ReasonCode
        django_get_or_create = ("code",)

    code = "DEFECTIVE"
    label = factory.LazyAttribute(lambda o: o.code.replace("_", " ").capitalize())
    category = m.ReasonCode.Category.PRODUCT
