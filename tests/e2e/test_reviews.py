"""RV-3 … RV-5 in the browser: a brand representative filters to 1-star reviews, contacts a
buyer with a courtesy refund, and sees the button replaced by the contact's status."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import MarketplaceFactory, SellerAccountFactory, UserFactory
from tests.reviews.factories import bought_review, represented_brand

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_brand_representative_contacts_a_one_star_reviewer(sign_in, live_server):
    fr = MarketplaceFactory(code="FR")
    seller = SellerAccountFactory(name="Northwind", marketplaces=[fr])
    UserFactory(seller=seller, email="owner@northwind.example", name="Ava Owner")
    brand = represented_brand(seller, name="Northwind")
    bought_review(seller, fr, brand, rating=1, title="Cassé au bout d'une semaine")
    bought_review(seller, fr, brand, rating=5, title="Parfait")
    bought_review(seller, fr, brand, rating=4, title="Très bien")

    page = sign_in("owner@northwind.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customer reviews").click()
    reviews = page.get_by_test_id("review")
    expect(reviews).to_have_count(3)
    expect(reviews.filter(has_text="Parfait").get_by_test_id("unable")).to_contain_text(
        "Only reviews with 1 to 3 stars"
    )

    page.get_by_role("complementary", name="Filters").get_by_label("1 star").check()
    page.get_by_role("button", name="Apply").click()
    expect(reviews).to_have_count(1)

    review = reviews.first
    review.get_by_text("Contact the customer").click()
    review.get_by_label("Courtesy refund").check()
    review.get_by_role("button", name="Send").click()

    review = page.get_by_test_id("review").first
    expect(review.get_by_test_id("contact-status")).to_contain_text("Courtesy refund")
    expect(review.get_by_text("Contact the customer")).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("contact-status")).to_contain_text("customer contacted on")
