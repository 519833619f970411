"""VC-5: an offer carries its product's category (``Offer.category``), copied by database
triggers whatever writes the offer or changes the product: the VOC recompute reads a peer group's
offers (category × marketplace) from one index range."""

from __future__ import annotations

import pytest
from django.db import connection

from sellercx.models import Offer, Product
from tests.factories import CategoryFactory, OfferFactory, ProductFactory

pytestmark = pytest.mark.django_db


def category_of(offer: Offer) -> int | None:
    return Offer.objects.values_list("category_id", flat=True).get(pk=offer.pk)


def test_vc5_an_offer_written_by_the_orm_takes_its_product_category(seller, marketplace):
    offer = OfferFactory(seller=seller, marketplace=marketplace)
    assert category_of(offer) == offer.product.category_id
    offer.price = 5
    offer.save()  # the instance's stale category (None) is not written back
    assert category_of(offer) == offer.product.category_id


def test_vc5_a_raw_insert_with_a_wrong_category_is_corrected(seller, marketplace):
    product, other = ProductFactory(), CategoryFactory(name="Garden")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO sellercx_offer (seller_id, marketplace_id, product_id, category_id, sku,"
            " price, fulfilment_channel, status, do_not_solicit, closure_reason, created_at)"
            " VALUES (%s, %s, %s, %s, 'RAW-1', 5, 'merchant', 'active', false, '', now())"
            " RETURNING id",
            [seller.pk, marketplace.pk, product.pk, other.pk],
        )
        (pk,) = cursor.fetchone()
    assert Offer.objects.get(pk=pk).category_id == product.category_id


def test_vc5_a_product_moved_to_another_category_takes_its_offers_along(seller, marketplace):
    offer = OfferFactory(seller=seller, marketplace=marketplace)
    bystander = OfferFactory(seller=seller, marketplace=marketplace)
    garden = CategoryFactory(name="Garden")
    Product.objects.filter(pk=offer.product_id).update(category=garden)
    assert category_of(offer) == garden.pk
    assert category_of(bystander) == bystander.product.category_id


def test_vc5_an_offer_of_another_product_takes_that_category(seller, marketplace):
    offer = OfferFactory(seller=seller, marketplace=marketplace)
    garden_product = ProductFactory(category=CategoryFactory(name="Garden"))
    Offer.objects.filter(pk=offer.pk).update(product=garden_product)
    assert category_of(offer) == garden_product.category_id
