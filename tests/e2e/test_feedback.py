"""FB-6 … FB-11 in the browser, as a seller works (issue #19): on the feedback manager, filter,
sort, reply, delete the reply, request removals (one decided at once, one that waits and says
when it will be decided), find the way to contact the buyer; on review requests, keep the
eligible orders only, request one review, then preview and confirm a bulk request. The URL
names the marketplace throughout (UX-2); every click is a person's, at both widths (UX-1)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from feedback.models import RemovalRequest
from sellercx import periods
from tests.e2e.conftest import BOTH_WIDTHS
from tests.factories import (
    MarketplaceFactory,
    OfferFactory,
    SellerAccountFactory,
    UserFactory,
    order_of,
)
from tests.feedback.factories import FeedbackFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

IN_FRANCE = re.compile(r"[?&]marketplace=FR(&|$)")


@BOTH_WIDTHS
def test_seller_filters_sorts_replies_and_requests_removals(sign_in, live_server, width):
    fr, pl = MarketplaceFactory(code="FR"), MarketplaceFactory(code="PL")
    seller = SellerAccountFactory(name="Northwind", marketplaces=[fr, pl])
    UserFactory(seller=seller, email="owner@northwind.example", name="Ava Owner")
    offer = OfferFactory(seller=seller, marketplace=fr)
    midnight = periods.at_midnight(periods.today())

    def feedback(rating, comment, days_ago, **fields):
        order = order_of(offer, purchased_at=midnight - timedelta(days=days_ago + 5))
        return FeedbackFactory(
            order=order,
            rating=rating,
            comment=comment,
            left_at=midnight - timedelta(days=days_ago),
            **fields,
        )

    for n in range(3):
        feedback(5, f"Parfait {n}", days_ago=1)
    feedback(2, "Livraison lente, vendeur muet.", days_ago=2)
    feedback(1, "Nul ! Appelez-moi au 06 12 34 56 78", days_ago=3)
    waiting = feedback(2, "Emballage léger, vendeur désagréable.", days_ago=4)
    RemovalRequest.objects.create(
        feedback=waiting, seller=seller, ground="abusive", requested_at=midnight - timedelta(days=4)
    )
    decided_by = periods.today() + timedelta(days=3)  # 7 days (the review time) after asking

    page = sign_in("owner@northwind.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Feedback").click()
    expect(page).to_have_url(IN_FRANCE)
    expect(page.get_by_test_id("fb9-warning")).to_be_visible()  # 3 of 6 are negative
    rows = page.get_by_test_id("feedback-row")
    expect(rows).to_have_count(6)
    five = rows.filter(has_text="Parfait 0")
    expect(five.locator("summary", has_text="Request removal")).to_have_count(0)  # FB-7
    expect(five.get_by_role("link", name="Contact the buyer")).to_have_attribute(
        "href", re.compile(r"/dashboard/orders/\d+/#contact-buyer$")
    )

    # Filter, then sort: the URL keeps the marketplace, the filter and the sort.
    page.get_by_label("Rating", exact=True).select_option("negative")
    page.get_by_role("button", name="Apply").click()
    expect(rows).to_have_count(3)
    expect(page).to_have_url(re.compile(r"kind=negative"))
    expect(page).to_have_url(IN_FRANCE)
    page.get_by_role("link", name="lowest rating").click()
    expect(page).to_have_url(re.compile(r"sort=stars"))
    expect(page).to_have_url(re.compile(r"kind=negative"))
    expect(page).to_have_url(IN_FRANCE)
    expect(rows.first).to_contain_text("06 12 34 56 78")  # the 1 star first

    # FB-7: a request under review for 4 days says when it will be decided; no second one.
    waiting_row = rows.filter(has_text="Emballage léger")
    expect(waiting_row.get_by_test_id("removal-expected")).to_have_text(
        f"The marketplace decides within 7 days: expect its decision by {decided_by.isoformat()}."
    )
    expect(waiting_row.locator("summary", has_text="Request removal")).to_have_count(0)

    # FB-6: reply, then delete the reply.
    slow = rows.filter(has_text="Livraison lente")
    slow.locator("summary", has_text="Reply").click()
    slow.get_by_label("Public reply").fill("Toutes nos excuses, nous vous avons écrit.")
    slow.get_by_role("button", name="Post reply").click()
    slow = page.get_by_test_id("feedback-row").filter(has_text="Livraison lente")
    expect(slow.get_by_role("status")).to_have_text("Your public reply is posted.")
    expect(slow.get_by_text("Toutes nos excuses")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())  # "Delete the reply? …"
    slow.get_by_role("button", name="Delete reply").click()
    slow = page.get_by_test_id("feedback-row").filter(has_text="Livraison lente")
    expect(slow.get_by_role("status")).to_have_text(
        "Your reply is deleted. A new reply cannot be posted for this feedback."
    )
    expect(slow.get_by_text("Toutes nos excuses")).to_have_count(0)
    expect(slow.locator("summary", has_text="Reply")).to_have_count(0)

    # FB-7: a phone number is personal information, removed at once.
    rude = page.get_by_test_id("feedback-row").filter(has_text="06 12 34 56 78")
    rude.locator("summary", has_text="Request removal").click()
    rude.get_by_label("Why should it be removed?").select_option("personal_info")
    rude.get_by_role("button", name="Request removal").click()
    rude = page.get_by_test_id("feedback-row").filter(has_text="06 12 34 56 78")
    expect(rude.get_by_test_id("removal-status")).to_contain_text("Removed")
    expect(rude.get_by_text(re.compile("Removed by the marketplace"))).to_be_visible()
    expect(page).to_have_url(IN_FRANCE)
    expect(page).to_have_url(re.compile(r"sort=stars"))

    page.reload()
    negative_row = page.get_by_test_id("feedback-summary").get_by_role(
        "row", name=re.compile("Negative")
    )
    expect(negative_row).to_contain_text("40.0%")  # 2 of the 5 that still count


@BOTH_WIDTHS
def test_seller_requests_reviews_one_then_in_bulk_after_a_preview(sign_in, live_server, width):
    fr, pl = MarketplaceFactory(code="FR"), MarketplaceFactory(code="PL")
    seller = SellerAccountFactory(name="Northwind", marketplaces=[fr, pl])
    UserFactory(seller=seller, email="owner@northwind.example", name="Ava Owner")
    midnight = periods.at_midnight(periods.today())

    def delivered(marketplace, days_ago):
        offer = OfferFactory(seller=seller, marketplace=marketplace)
        at = midnight - timedelta(days=days_ago)
        return order_of(offer, purchased_at=at - timedelta(days=2), delivered_at=at)

    for _ in range(3):
        delivered(fr, days_ago=10)
    delivered(fr, days_ago=2)  # too early
    polish = delivered(pl, days_ago=10)

    page = sign_in("owner@northwind.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Feedback").click()
    page.get_by_role("link", name="Review requests").click()
    expect(page).to_have_url(IN_FRANCE)
    orders = page.get_by_test_id("request-orders").locator("tbody tr")
    expect(orders).to_have_count(4)

    page.get_by_label("Eligible only").click()
    expect(page).to_have_url(re.compile(r"eligible=1"))
    expect(page).to_have_url(IN_FRANCE)
    expect(orders).to_have_count(3)

    orders.first.get_by_role("button", name="Request a review").click()
    sent = page.get_by_role("status").filter(has_text="The review request is sent.")
    expect(sent).to_be_visible()
    expect(page).to_have_url(re.compile(r"eligible=1"))
    expect(page).to_have_url(IN_FRANCE)
    expect(orders).to_have_count(2)

    # UX-4: reversed dates are said on the form; then a preview, then the confirmation.
    bulk = page.get_by_test_id("bulk-form")
    start = bulk.get_by_label("Orders purchased from")
    end = bulk.get_by_label(re.compile(r"^to:?$"))
    good_start, good_end = start.input_value(), end.input_value()
    start.fill(good_end)
    end.fill(good_start)
    bulk.get_by_role("button", name="Preview").click()
    expect(page.get_by_test_id("bulk-error")).to_contain_text("is before its start")
    start.fill(good_start)
    end.fill(good_end)
    bulk.get_by_role("button", name="Preview").click()
    preview = page.get_by_test_id("bulk-preview")
    expect(preview).to_contain_text("2 requests would be sent")
    expect(preview).to_contain_text("1 — A review was already requested for this order.")
    preview.get_by_role("button", name="Send 2 requests").click()
    expect(page.get_by_text("2 review requests sent.")).to_be_visible()
    expect(
        page.get_by_text("Not sent to 1 order: A review was already requested for this order.")
    ).to_be_visible()
    expect(page).to_have_url(re.compile(r"eligible=1"))
    expect(page).to_have_url(IN_FRANCE)
    expect(orders).to_have_count(1)  # "No recently delivered order can get a request now."

    # UX-2: under "All marketplaces", every marketplace's orders, each with its marketplace.
    page.get_by_label("Marketplace", exact=True).select_option("all")
    expect(page).to_have_url(re.compile(r"marketplace=all"))
    expect(orders).to_have_count(5)
    expect(page.get_by_role("columnheader", name="Marketplace")).to_be_visible()
    expect(orders.filter(has_text=polish.external_id)).to_contain_text("PL · Poland")
