"""PM-6: a seller opens Account health, sees the failing order defect rate, and drills into
the orders with a defect, then keeps only the A-to-z claims. Issue #19: the customer-service
rating is informational (CS-8), "All marketplaces" shows every marketplace side by side (UX-2),
and the home shows the average stars and the positive share beside the negative one."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from messaging.models import CustomerServiceRating
from metrics.recomputes import recompute_metrics
from sellercx import periods
from tests.e2e.conftest import BOTH_WIDTHS
from tests.factories import MarketplaceFactory, SellerAccountFactory, UserFactory
from tests.metrics.helpers import at, chargeback, claim, feedback, order

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PERCENT = r"[\s\u00a0\u202f]?%"


def test_seller_sees_a_failing_odr_and_drills_into_its_defective_orders(sign_in, live_server):
    us = MarketplaceFactory(code="US")
    seller = SellerAccountFactory(name="Cedar & Pine", marketplaces=[us])
    UserFactory(seller=seller, email="owner@cedar.example", name="Cy Owner")
    now = periods.at_midnight(periods.today())
    orders = [order(seller, us, at(40, now)) for _ in range(20)]
    claimed = orders[0]
    claim(claimed, at(30, now))
    feedback(orders[1], at(30, now), rating=1)
    chargeback(orders[2], at(25, now))
    recompute_metrics(period=timezone.now().date(), seller_ids=[seller.pk])

    page = sign_in("owner@cedar.example")
    expect(page.get_by_test_id("home-health-status")).to_have_text("Failing")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Account health").click()
    card = page.get_by_test_id("metric-odr_merchant")
    expect(card.get_by_test_id("status")).to_have_text("Failing")
    expect(card).to_contain_text("15.00%")
    expect(card).to_contain_text("3 orders with a defect out of 20 orders")
    expect(card.locator("canvas[data-health-chart]")).to_be_visible()

    card.get_by_role("link", name="See the orders with a defect").click()
    expect(page.get_by_role("heading", name="Orders with a defect")).to_be_visible()
    expect(page.get_by_test_id("defective-order")).to_have_count(3)
    page.get_by_label("Defect").select_option("claim")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_test_id("defective-order")).to_have_count(1)
    expect(page.get_by_test_id("defective-order")).to_contain_text(claimed.external_id)
    expect(page.get_by_test_id("defective-order")).to_contain_text("A-to-z claim")


@pytest.fixture
def northwind():
    """France, its main marketplace (most orders): good metrics but a customer-service rating
    that needs attention, and feedback of 5 stars nine times and 3 stars once. Poland: two
    orders out of five with an A-to-z claim, a failing order defect rate."""
    fr, pl = MarketplaceFactory(code="FR"), MarketplaceFactory(code="PL")
    seller = SellerAccountFactory(name="Northwind Outfitters", marketplaces=[fr, pl])
    UserFactory(seller=seller, email="owner@northwind.example", name="Ava Owner")
    now = periods.at_midnight(periods.today())
    for stars in (5, 5, 5, 5, 5, 5, 5, 5, 5, 3):
        feedback(order(seller, fr, at(40, now)), at(30, now), rating=stars)
    polish = [order(seller, pl, at(40, now)) for _ in range(5)]
    claim(polish[0], at(30, now))
    claim(polish[1], at(30, now))
    CustomerServiceRating.objects.create(
        seller=seller,
        marketplace=fr,
        week_start=periods.today() - timedelta(days=7),
        answers=50,
        yes_answers=20,
        value=Decimal("4.0"),
    )
    recompute_metrics(period=timezone.now().date(), seller_ids=[seller.pk])
    return seller


@BOTH_WIDTHS
def test_health_per_marketplace_then_side_by_side_then_one_marketplace_and_its_defects(
    sign_in, live_server, northwind, width
):
    page = sign_in("owner@northwind.example")
    # The home: France's feedback, its average and positive share beside the negative one.
    row = page.get_by_test_id("home-feedback-FR")
    expect(row.get_by_test_id("average")).to_have_text("4.8 ★")
    expect(row.get_by_test_id("positive")).to_have_text(re.compile(rf"90\.0{PERCENT}"))
    expect(row.get_by_test_id("negative")).to_have_text(re.compile(rf"0\.0{PERCENT}"))
    expect(page.get_by_test_id("home-health-status")).to_have_text("Good")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Account health").click()
    expect(page).to_have_url(re.compile(r"marketplace=FR"))
    # CS-8: the rating needs attention, on its own card, informational; the overall is Good.
    rating = page.get_by_test_id("metric-cs_rating")
    expect(rating.get_by_test_id("status")).to_have_text("Needs attention")
    expect(rating.get_by_test_id("informational")).to_contain_text(
        "never counts toward the overall status"
    )
    expect(page.get_by_test_id("health-worst")).to_have_text("Good")

    # UX-2: "All marketplaces" shows both side by side.
    page.get_by_label("Marketplace", exact=True).select_option(label="All marketplaces")
    table = page.get_by_test_id("health-side-by-side")
    expect(table).to_be_visible()
    expect(page).to_have_url(re.compile(r"marketplace=all"))
    expect(page.get_by_test_id("metric-cs_rating")).to_have_count(0)
    overall = table.get_by_test_id("row-overall")
    expect(overall.get_by_role("cell").nth(0)).to_have_text("Good")
    expect(overall.get_by_role("cell").nth(1)).to_have_text("Failing")
    odr = table.get_by_test_id("row-odr_merchant")
    expect(odr.get_by_role("cell").nth(1)).to_contain_text(re.compile(rf"40\.00{PERCENT}"))
    expect(page.get_by_test_id("health-worst")).to_have_text("Failing")

    # A column header opens that marketplace's detailed page.
    table.get_by_role("link", name="Poland (PL)").click()
    expect(page).to_have_url(re.compile(r"marketplace=PL"))
    expect(page.get_by_role("heading", name=re.compile("Account health · Poland"))).to_be_visible()
    card = page.get_by_test_id("metric-odr_merchant")
    expect(card.get_by_test_id("status")).to_have_text("Failing")

    card.get_by_role("link", name="See the orders with a defect").click()
    expect(page.get_by_role("heading", name=re.compile("Orders with a defect"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"marketplace=PL"))
    expect(page.get_by_test_id("defective-order")).to_have_count(2)
    page.get_by_role("link", name="← Account health").click()
    expect(page).to_have_url(re.compile(r"marketplace=PL"))
    expect(page.get_by_test_id("metric-odr_merchant")).to_be_visible()


@BOTH_WIDTHS
def test_home_panels_side_by_side_under_all_marketplaces(sign_in, live_server, northwind, width):
    page = sign_in("owner@northwind.example")
    page.get_by_label("Marketplace", exact=True).select_option(label="All marketplaces")
    expect(page.get_by_test_id("home-feedback-PL")).to_have_count(0)  # no feedback there
    expect(page.get_by_test_id("home-feedback-FR").get_by_test_id("average")).to_have_text("4.8 ★")
    health = page.get_by_test_id("home-health")
    expect(health.get_by_test_id("home-health-status")).to_have_text("Failing")
    health.get_by_role("link", name="PL").click()
    expect(page).to_have_url(re.compile(r"/dashboard/performance/\?marketplace=PL"))
    expect(page.get_by_test_id("metric-odr_merchant").get_by_test_id("status")).to_have_text(
        "Failing"
    )
