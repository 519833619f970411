"""RV-3 … RV-5 in the browser: a brand representative filters to 1-star reviews, contacts a
buyer with a courtesy refund, and sees the button replaced by the contact's status."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from sellercx import periods
from tests.e2e.conftest import BOTH_WIDTHS
from tests.factories import MarketplaceFactory, SellerAccountFactory, UserFactory
from tests.reviews.factories import bought_review, represented_brand

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@BOTH_WIDTHS
def test_brand_representative_contacts_a_one_star_reviewer(sign_in, live_server, width):
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


@BOTH_WIDTHS
def test_contact_the_customer_on_a_review_above_another_is_clicked_and_sent(
    sign_in, live_server, width
):
    """UX-1: the open form stays inside its own card. It used to spill under the next review,
    which painted over it: the click on Send landed on the next review. The last-but-one
    review's form is the one that was covered."""
    fr = MarketplaceFactory(code="FR")
    seller = SellerAccountFactory(name="Northwind", marketplaces=[fr])
    UserFactory(seller=seller, email="owner@northwind.example", name="Ava Owner")
    brand = represented_brand(seller, name="Northwind")
    midnight = periods.at_midnight(periods.today())
    titles = ["Poignée cassée", "Couvercle fendu", "Bouton bloqué", "Fuit par le bas"]
    for age, title in enumerate(titles):  # newest first: in this order on the page
        bought_review(
            seller, fr, brand, rating=1 + age % 3, title=title,
            posted_at=midnight - timedelta(days=age + 1),
            purchased_at=midnight - timedelta(days=age + 20),
        )  # fmt: skip

    page = sign_in("owner@northwind.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customer reviews").click()
    reviews = page.get_by_test_id("review")
    expect(reviews).to_have_count(4)
    expect(page).to_have_url(re.compile(r"marketplace=FR"))

    covered = reviews.filter(has_text="Bouton bloqué")
    covered.get_by_text("Contact the customer").click()
    covered.get_by_label("Customer service").check()
    covered.get_by_role("button", name="Send").click()

    covered = page.get_by_test_id("review").filter(has_text="Bouton bloqué")
    expect(covered.get_by_role("status")).to_have_text(
        "Your message is on its way to the customer."
    )
    expect(covered.get_by_test_id("contact-status")).to_contain_text("Customer service")
    expect(covered.get_by_text("Contact the customer")).to_have_count(0)
    next_one = page.get_by_test_id("review").filter(has_text="Fuit par le bas")
    expect(next_one.get_by_text("Contact the customer")).to_be_visible()  # still untouched
    expect(page).to_have_url(re.compile(r"marketplace=FR"))


@BOTH_WIDTHS
def test_brand_representative_filters_by_stars_and_sorts_keeping_the_marketplace(
    sign_in, live_server, width
):
    fr, pl = MarketplaceFactory(code="FR"), MarketplaceFactory(code="PL")
    seller = SellerAccountFactory(name="Northwind", marketplaces=[fr, pl])
    UserFactory(seller=seller, email="owner@northwind.example", name="Ava Owner")
    brand = represented_brand(seller, name="Northwind")
    midnight = periods.at_midnight(periods.today())
    for age, (marketplace, rating, title) in enumerate(
        [(fr, 2, "Moyen"), (fr, 5, "Parfait"), (fr, 2, "Décevant"), (pl, 2, "Słabo")]
    ):
        bought_review(
            seller, marketplace, brand, rating=rating, title=title,
            posted_at=midnight - timedelta(days=age + 1),
        )  # fmt: skip

    page = sign_in("owner@northwind.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customer reviews").click()
    expect(page).to_have_url(re.compile(r"marketplace=FR"))  # the main one: the most orders
    reviews = page.get_by_test_id("review")
    expect(reviews).to_have_count(3)
    filters = page.get_by_role("complementary", name="Filters")
    filters.get_by_label("2 stars").check()
    filters.get_by_role("button", name="Apply").click()
    expect(reviews).to_have_count(2)
    expect(page).to_have_url(re.compile(r"marketplace=FR.*stars=2|stars=2.*marketplace=FR"))

    page.get_by_role("link", name="newest").click()
    expect(page).to_have_url(re.compile(r"sort=-date"))
    expect(page).to_have_url(re.compile(r"marketplace=FR"))
    expect(page).to_have_url(re.compile(r"stars=2"))
    expect(reviews.first).to_contain_text("Moyen")
    expect(reviews).to_have_count(2)
