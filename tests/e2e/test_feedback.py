"""FB-6, FB-7, FB-8 in the browser: filter to negative feedback, reply, request removal of one
with a phone number and see it removed at once."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import (
    MarketplaceFactory,
    OfferFactory,
    SellerAccountFactory,
    UserFactory,
    order_of,
)
from tests.feedback.factories import FeedbackFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_seller_filters_negative_replies_and_gets_a_phone_number_removed(sign_in, live_server):
    fr = MarketplaceFactory(code="FR")
    seller = SellerAccountFactory(name="Northwind", marketplaces=[fr])
    UserFactory(seller=seller, email="owner@northwind.example", name="Ava Owner")
    offer = OfferFactory(seller=seller, marketplace=fr)
    for n in range(3):
        FeedbackFactory(order=order_of(offer), rating=5, comment=f"Parfait {n}")
    FeedbackFactory(order=order_of(offer), rating=2, comment="Livraison lente, vendeur muet.")
    FeedbackFactory(order=order_of(offer), rating=1, comment="Nul ! Appelez-moi au 06 12 34 56 78")

    page = sign_in("owner@northwind.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Feedback").click()
    expect(page.get_by_test_id("fb9-warning")).to_be_visible()  # 2 of 5 are negative
    rows = page.get_by_test_id("feedback-row")
    expect(rows).to_have_count(5)

    page.get_by_label("Rating", exact=True).select_option("negative")
    page.get_by_role("button", name="Apply").click()
    expect(rows).to_have_count(2)

    slow = rows.filter(has_text="Livraison lente")
    slow.locator("summary", has_text="Reply").click()
    slow.get_by_label("Public reply").fill("Toutes nos excuses, nous vous avons écrit.")
    slow.get_by_role("button", name="Post reply").click()
    slow = page.get_by_test_id("feedback-row").filter(has_text="Livraison lente")
    expect(slow.get_by_role("status")).to_have_text("Your public reply is posted.")
    expect(slow.get_by_text("Toutes nos excuses")).to_be_visible()

    rude = page.get_by_test_id("feedback-row").filter(has_text="06 12 34 56 78")
    rude.locator("summary", has_text="Request removal").click()
    rude.get_by_label("Why should it be removed?").select_option("personal_info")
    rude.get_by_role("button", name="Request removal").click()
    rude = page.get_by_test_id("feedback-row").filter(has_text="06 12 34 56 78")
    expect(rude.get_by_test_id("removal-status")).to_contain_text("Removed")
    expect(rude.get_by_text(re.compile("Removed by the marketplace"))).to_be_visible()

    page.reload()
    negative_row = page.get_by_test_id("feedback-summary").get_by_role(
        "row", name=re.compile("Negative")
    )
    expect(negative_row).to_contain_text("25.0%")  # 1 of the 4 that still count
