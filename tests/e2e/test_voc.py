"""VC-1, VC-5, VC-9: a seller filters the VOC dashboard to Poor offers, opens one, reads why it
is Poor, follows "Fix the problem" and relists it with what was fixed; a figure column sorts the
worst first on its first click; the offer's chart shows its interval over its rate."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sellercx import recompute
from sellercx.models import Offer
from tests.e2e.conftest import BOTH_WIDTHS
from tests.factories import MarketplaceFactory, OfferFactory, SellerAccountFactory, UserFactory
from tests.voc.factories import WEEK, sell

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@BOTH_WIDTHS
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


@BOTH_WIDTHS
def test_seller_clicks_a_figure_column_once_and_sees_the_worst_first(sign_in):
    fr = MarketplaceFactory(code="FR")
    seller = SellerAccountFactory(name="Northwind", marketplaces=[fr])
    UserFactory(seller=seller, email="owner@northwind.example", name="Ava Owner")
    sell(OfferFactory(seller=seller, marketplace=fr, sku="KETTLE-OK"), 100, ncx=5)
    sell(OfferFactory(seller=seller, marketplace=fr, sku="KETTLE-GOOD"), 80, ncx=0)
    sell(OfferFactory(seller=seller, marketplace=fr, sku="KETTLE-BAD"), 60, ncx=12)
    recompute.get("voc").run_chunk(period=WEEK, seller_ids=[seller.pk])

    page = sign_in("owner@northwind.example")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Voice of the Customer"
    ).click()
    rows = page.get_by_test_id("voc-row")
    page.get_by_role("link", name="Total orders").click()  # the most orders first
    expect(rows.first).to_contain_text("KETTLE-OK")

    page.get_by_role("link", name="NCX rate").click()

    expect(page).to_have_url(re.compile(r"sort=-ncxRate"))
    header = page.get_by_role("columnheader", name=re.compile("NCX rate"))
    expect(header).to_have_attribute("aria-sort", "descending")
    expect(rows.first).to_contain_text("KETTLE-BAD")
    expect(rows.first).to_contain_text("20.0%")
    expect(rows.last).to_contain_text("KETTLE-GOOD")


def test_the_interval_is_drawn_over_the_rate_bar(sign_in, live_server):
    """The 95% interval of the offer's rate overlaps its bar (the rate lies inside it): it is
    painted over the bar, so the part from the lower bound to the rate is not hidden."""
    fr = MarketplaceFactory(code="FR")
    seller = SellerAccountFactory(name="Northwind", marketplaces=[fr])
    UserFactory(seller=seller, email="owner@northwind.example", name="Ava Owner")
    sell(OfferFactory(seller=seller, marketplace=fr, sku="KETTLE-OK"), 100, ncx=5)
    poor = OfferFactory(seller=seller, marketplace=fr, sku="KETTLE-BAD")
    sell(poor, 60, ncx=9)
    recompute.get("voc").run_chunk(period=WEEK, seller_ids=[seller.pk])

    page = sign_in("owner@northwind.example")
    page.goto(f"{live_server.url}/dashboard/voc/offers/{poor.pk}/")

    # The pixel in the middle of [lower bound, rate] on the offer's bar, once the chart is
    # drawn: the rate's own colour there would mean the interval is under the bar.
    page.wait_for_function(
        """() => {
          const canvas = document.querySelector('canvas[data-voc-chart="comparison"]');
          const chart = canvas && window.Chart && Chart.getChart(canvas);
          if (!chart || Chart.animator.running(chart)) return false;
          const rate = chart.data.datasets[0].data[0], low = chart.data.datasets[1].data[0][0];
          const bar = chart.getDatasetMeta(0).data[0];
          const x = chart.scales.x.getPixelForValue((low + rate) / 2);
          const ratio = chart.currentDevicePixelRatio;
          const [r, g, b] = canvas.getContext("2d")
            .getImageData(Math.round(x * ratio), Math.round(bar.y * ratio), 1, 1).data;
          const rateColour = [0xc2, 0x41, 0x0c];
          return Math.abs(r - rateColour[0]) + Math.abs(g - rateColour[1])
            + Math.abs(b - rateColour[2]) > 60;
        }"""
    )


@BOTH_WIDTHS
def test_seller_has_the_marketplace_held_stock_of_a_closed_offer_returned(sign_in):
    fr = MarketplaceFactory(code="FR")
    seller = SellerAccountFactory(name="Northwind", marketplaces=[fr])
    UserFactory(seller=seller, email="owner@northwind.example", name="Ava Owner")
    closed = OfferFactory(
        seller=seller,
        marketplace=fr,
        sku="KETTLE-FBA",
        product__title="Glass kettle 1.7 l",
        fulfilment_channel="marketplace",
        status=Offer.Status.CLOSED,
        closure_reason=Offer.ClosureReason.NCX,
        closed_at="2026-11-25T10:00:00Z",
    )
    page = sign_in("owner@northwind.example")
    page.goto(page.url.split("/dashboard/")[0] + f"/dashboard/voc/offers/{closed.pk}/")
    fix = page.get_by_test_id("fix-the-problem")
    fix.get_by_text("Create a removal order").click()
    fix.get_by_label("Units").fill("12")
    fix.get_by_role("button", name="Create the order").click()
    expect(page.get_by_role("status")).to_contain_text("order created for 12 units")
