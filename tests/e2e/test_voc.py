"""VC-1, VC-5, VC-9: a seller filters the VOC dashboard to Poor offers, opens one, reads why it
is Poor, follows "Fix the problem" and relists it with what was fixed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sellercx import recompute
from sellercx.models import Offer
from tests.factories import MarketplaceFactory, OfferFactory, SellerAccountFactory, UserFactory
from tests.voc.factories import WEEK, sell

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_seller_finds_a_poor_offer_sees_why_and_fixes_the_problem(sign_in, live_server):
    fr = MarketplaceFactory(code="FR")
    seller = SellerAccountFactory(name="Northwind", marketplaces=[fr])
    UserFactory(seller=seller, email="owner@northwind.example", name="Ava Owner")
    peer = OfferFactory(seller=seller, marketplace=fr, sku="KETTLE-OK")
    sell(peer, 100, ncx=5)  # similar offers: 5%
    poor = OfferFactory(
        seller=seller,
        marketplace=fr,
        sku="KETTLE-BAD",
        product__title="Glass kettle 1.7 l",
        status=Offer.Status.CLOSED,
        closure_reason=Offer.ClosureReason.NCX,
        closed_at="2026-11-25T10:00:00Z",
    )
    sell(poor, 60, ncx=9)  # 15%, lower bound about 8%: Poor
    fine = OfferFactory(seller=seller, marketplace=fr, sku="KETTLE-NEW")
    sell(fine, 3)
    recompute.get("voc").run_chunk(period=WEEK, seller_ids=[seller.pk])

    page = sign_in("owner@northwind.example")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Voice of the Customer"
    ).click()
    expect(page.get_by_role("heading", name="Voice of the Customer")).to_be_visible()

    page.get_by_label("CX status", exact=True).select_option("poor")
    page.get_by_role("button", name="Apply").click()
    rows = page.get_by_test_id("voc-row")
    expect(rows).to_have_count(1)
    row = rows.first
    expect(row).to_contain_text("KETTLE-BAD")
    expect(row).to_contain_text("Poor")
    expect(row).to_contain_text("15.0%")
    expect(row).to_contain_text("! Action required !")

    row.get_by_role("link", name="Glass kettle 1.7 l").click()
    why = page.get_by_test_id("cx-explanation")
    expect(why).to_contain_text("Poor")
    expect(why).to_contain_text("9 of 60 orders")
    expect(why).to_contain_text("Even the lower bound is above the similar offers' rate")
    expect(page.get_by_test_id("commingling-notice")).to_be_visible()
    expect(page.get_by_test_id("comment").first).to_contain_text("Defective")

    page.go_back()
    page.get_by_test_id("voc-row").first.get_by_role("link", name="Fix the problem").click()
    fix = page.get_by_test_id("fix-the-problem")
    expect(fix).to_be_visible()
    fix.get_by_text("Edit and relist").click()
    fix.get_by_label("What did you fix?").fill("Supplier batch replaced; lid tested.")
    fix.get_by_role("button", name="Relist the offer").click()
    expect(page.get_by_role("status")).to_contain_text("The offer is relisted")
    expect(page.get_by_text("Relisted on")).to_contain_text("Supplier batch replaced")
    poor.refresh_from_db()
    assert poor.status == Offer.Status.ACTIVE
