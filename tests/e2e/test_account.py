"""The top bar and the account pages by mouse, at a desktop and a phone width (UX-1, UX-2):
switch the marketplace and see it named in the address, create an API token and revoke it
after confirming, and sign out — the phone's top bar hides nothing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import BOTH_WIDTHS
from tests.factories import MarketplaceFactory, OfferFactory, SellerAccountFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def owner():
    fr, pl = MarketplaceFactory(code="FR"), MarketplaceFactory(code="PL")
    seller = SellerAccountFactory(name="Northwind Outfitters", marketplaces=[fr, pl])
    OfferFactory(seller=seller, marketplace=fr, sku="NW-FR-1")
    OfferFactory(seller=seller, marketplace=pl, sku="NW-PL-1")
    return UserFactory(seller=seller, email="owner@northwind.example", name="Ava Owner")


@BOTH_WIDTHS
def test_ux2_the_switcher_names_the_marketplace_in_the_address(sign_in, live_server, owner):
    page = sign_in(owner.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Offers").click()
    expect(page).to_have_url(re.compile(r"/dashboard/offers/\?marketplace=FR"))
    expect(page.get_by_text("NW-FR-1")).to_be_visible()

    page.get_by_label("Marketplace", exact=True).first.select_option("PL")
    expect(page).to_have_url(re.compile(r"marketplace=PL"))
    expect(page.get_by_text("NW-PL-1")).to_be_visible()
    expect(page.get_by_text("NW-FR-1")).to_have_count(0)

    # A shared link shows the same thing, whatever the reader chose last.
    page.get_by_label("Marketplace", exact=True).first.select_option("all")
    expect(page).to_have_url(re.compile(r"marketplace=all"))
    page.goto(f"{live_server.url}/dashboard/offers/?marketplace=FR")
    expect(page.get_by_text("NW-PL-1")).to_have_count(0)


@BOTH_WIDTHS
def test_ac4_a_token_is_created_shown_once_and_revoked_after_confirming(sign_in, owner):
    page = sign_in(owner.email)
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("Repricer")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", name="Copy your new token now")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Repricer"))
    expect(row).to_contain_text("Active")

    page.once("dialog", lambda dialog: dialog.dismiss())
    row.get_by_role("button", name="Revoke").click()
    expect(row).to_contain_text("Active")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("The token was revoked; it no longer works.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Repricer"))).to_contain_text("Revoked")


@BOTH_WIDTHS
def test_the_seller_signs_out_at_any_width(sign_in, live_server, owner):
    page = sign_in(owner.email)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("E-mail address")).to_be_visible()
    page.goto(f"{live_server.url}/dashboard/")
    expect(page).to_have_url(re.compile(r"/login/"))
