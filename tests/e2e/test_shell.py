"""The seller's first steps: sign in, see only the areas they may see, page through offers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import BOTH_WIDTHS
from tests.factories import MarketplaceFactory, OfferFactory, SellerAccountFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def shop():
    fr, pl = MarketplaceFactory(code="FR"), MarketplaceFactory(code="PL")
    seller = SellerAccountFactory(name="Northwind Outfitters", marketplaces=[fr, pl])
    for n in range(30):
        OfferFactory(seller=seller, marketplace=fr, sku=f"NW-{n:03d}", price=f"{n + 1}.00")
    OfferFactory(seller=seller, marketplace=pl, sku="NW-PL-1")
    return seller


@BOTH_WIDTHS
def test_sign_in_navigation_by_permissions_and_paging_offers(sign_in, live_server, shop):
    UserFactory(
        seller=shop,
        email="analyst@northwind.example",
        name="Lena Analyst",
        users_access=0,
        reviews_access=0,
    )
    page = sign_in("analyst@northwind.example")

    expect(page.get_by_role("heading", name="Welcome, Lena")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Offers")).to_be_visible()
    expect(nav.get_by_role("link", name="User permissions")).to_have_count(0)
    page.goto(f"{live_server.url}/dashboard/users/")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()

    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_label("Marketplace").select_option("FR")
    expect(page.get_by_test_id("active-offer-count")).to_have_text("30")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Offers").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(25)
    expect(page.get_by_text("1–25 of 30")).to_be_visible()
    page.get_by_role("link", name="Next →").click()
    expect(rows).to_have_count(5)
    expect(page.get_by_text("26–30 of 30")).to_be_visible()

    page.get_by_role("link", name="Price").click()
    expect(rows.first).to_contain_text("NW-000")
    page.get_by_role("link", name=re.compile("Price")).click()
    expect(rows.first).to_contain_text("NW-029")

    page.get_by_label("SKU, ASIN or title").fill("NW-007")
    page.get_by_role("button", name="Apply").click()
    expect(rows).to_have_count(1)


@BOTH_WIDTHS
def test_account_admin_grants_a_permission(sign_in, live_server, shop):
    UserFactory(seller=shop, email="owner@northwind.example", name="Ava Owner")
    UserFactory(
        seller=shop,
        email="sam@northwind.example",
        name="Sam Support",
        users_access=0,
        feedback_access=0,
    )
    page = sign_in("owner@northwind.example")
    page.get_by_role("link", name="User permissions").click()
    page.get_by_role("row", name=re.compile("Sam Support")).get_by_role(
        "link", name="Manage"
    ).click()
    page.get_by_role("radiogroup", name="Feedback").get_by_label("View and edit").check()
    page.get_by_role("button", name="Save permissions").click()
    expect(page.get_by_text("Permissions of sam@northwind.example saved.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Sam Support"))).to_contain_text("View and edit")


@BOTH_WIDTHS
def test_account_admin_adds_a_user_then_deactivates_and_reactivates_them(sign_in, shop):
    UserFactory(seller=shop, email="owner@northwind.example", name="Ava Owner")
    page = sign_in("owner@northwind.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="User permissions").click()
    add = page.locator("section.card", has=page.get_by_role("heading", name="Add a user"))
    add.get_by_label("E-mail address").fill("nina@northwind.example")
    add.get_by_label("Name").fill("Nina New")
    add.get_by_label("Password").fill("a-long-pass-phrase-42")
    add.get_by_role("button", name="Add user").click()
    expect(page.get_by_text("nina@northwind.example was added.")).to_be_visible()

    page.get_by_role("row", name=re.compile("Nina New")).get_by_role("link", name="Manage").click()
    page.get_by_role("button", name="Deactivate this user").click()
    expect(page.get_by_role("status")).to_contain_text("nina@northwind.example is deactivated")
    page.get_by_role("button", name="Reactivate this user").click()
    expect(page.get_by_role("status")).to_contain_text("nina@northwind.example is reactivated.")
    expect(page.get_by_role("button", name="Deactivate this user")).to_be_visible()
