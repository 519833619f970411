"""PM-6: a seller opens Account health, sees the failing order defect rate, and drills into
the orders with a defect, then keeps only the A-to-z claims."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from metrics.recomputes import recompute_metrics
from sellercx import periods
from tests.factories import MarketplaceFactory, SellerAccountFactory, UserFactory
from tests.metrics.helpers import at, chargeback, claim, feedback, order

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


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
    expect(card).to_contain_text("15.00")
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
