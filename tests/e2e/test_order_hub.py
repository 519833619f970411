"""UX-5: a seller opens an order from the orders list and finds everything about it on its page:
lines, events, the feedback, the product review, the conversation, the review request (which
they send from there, and stay there), "Contact the buyer"; an offer title leads to the offer's
CX status. At a desktop and at a phone width, clicking as a person does."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sellercx import recompute
from sellercx.models import Offer
from tests.e2e.conftest import BOTH_WIDTHS
from tests.factories import (
    MarketplaceFactory,
    OfferFactory,
    SellerAccountFactory,
    UserFactory,
    order_of,
)
from tests.factories.order_hub import (
    add_conversation,
    add_events,
    add_feedback,
    add_removal_request,
    add_reply,
    add_review,
    hub_order,
)
from tests.voc.factories import WEEK, sell

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def shop():
    fr = MarketplaceFactory(code="FR")
    seller = SellerAccountFactory(name="Northwind", marketplaces=[fr])
    UserFactory(seller=seller, email="owner@northwind.example", name="Ava Owner")
    return seller


def poor_closed_kettle(seller) -> Offer:
    """An offer closed for its NCX rate, Poor against its peers (VC-5, VC-9)."""
    fr = seller.marketplaces.get()
    sell(OfferFactory(seller=seller, marketplace=fr, sku="KETTLE-OK"), 100, ncx=5)
    kettle = OfferFactory(
        seller=seller,
        marketplace=fr,
        sku="KETTLE-17",
        product__title="Glass kettle 1.7 l",
        status=Offer.Status.CLOSED,
        closure_reason=Offer.ClosureReason.NCX,
        closed_at="2026-11-25T10:00:00Z",
    )
    sell(kettle, 60, ncx=9)
    recompute.get("voc").run_chunk(period=WEEK, seller_ids=[seller.pk])
    return kettle


@BOTH_WIDTHS
def test_seller_opens_an_order_reads_its_parts_and_requests_a_review(sign_in, shop):
    kettle = poor_closed_kettle(shop)
    # Delivered 15 days ago (the server's clock is the real one): requests are open.
    now = timezone.now()
    order = order_of(
        kettle,
        external_id="405-0000001-0000001",
        purchased_at=now - timedelta(days=20),
        delivered_at=now - timedelta(days=15),
    )
    add_events(order, kettle, kinds=("chargeback", "contact"))
    feedback = add_feedback(order, rating=2, comment="Lid missing, slow answer.")
    add_reply(feedback, "Sorry: a new lid is on its way.")
    add_removal_request(feedback, status="declined")
    add_review(order, rating=2, title="Leaks from the spout")
    add_conversation(order, ("buyer", "Where is the lid?"), ("seller", "Sent it today."))

    page = sign_in("owner@northwind.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Orders").click()
    page.get_by_role("link", name="405-0000001-0000001").click()

    expect(page.get_by_role("heading", name="Order 405-0000001-0000001")).to_be_visible()
    expect(page.get_by_test_id("order-lines")).to_contain_text("KETTLE-17")
    events = page.get_by_test_id("order-events")
    expect(events).to_contain_text("Chargeback")
    expect(events).to_contain_text("Where is the lid?")
    feedback_card = page.get_by_test_id("order-feedback")
    expect(feedback_card).to_contain_text("Lid missing, slow answer.")
    expect(feedback_card).to_contain_text("Sorry: a new lid is on its way.")
    expect(feedback_card.get_by_test_id("removal-status")).to_contain_text("Declined")
    expect(
        feedback_card.get_by_role("link", name="Open it in the feedback manager")
    ).to_be_visible()
    expect(page.get_by_test_id("order-reviews")).to_contain_text("Leaks from the spout")
    conversations = page.get_by_test_id("order-conversations")
    expect(conversations).to_contain_text("Sent it today.")
    expect(conversations.get_by_role("link", name="Open the conversation")).to_be_visible()
    # The buyer wrote: "Contact the buyer" sends the seller to answer in the conversation.
    expect(page.locator("#contact-buyer")).to_contain_text("The buyer already wrote to you")

    # Readable at this width: the page itself never scrolls sideways (a wide table does, in
    # its own box).
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    request = page.get_by_test_id("review-request")
    request.get_by_role("button", name="Request a review").click()

    expect(page).to_have_url(re.compile(rf"/dashboard/orders/{order.pk}/"))
    expect(page.get_by_role("status")).to_contain_text("The review request is sent.")
    expect(request).to_contain_text("Sent on")
    expect(request.get_by_role("button", name="Request a review")).to_have_count(0)

    page.get_by_test_id("order-lines").get_by_role("link", name="Glass kettle 1.7 l").click()
    expect(page.get_by_role("heading", name="Glass kettle 1.7 l")).to_be_visible()
    expect(page.get_by_test_id("cx-explanation")).to_contain_text("Poor")
    expect(page.get_by_test_id("fix-the-problem")).to_be_visible()


@BOTH_WIDTHS
def test_seller_contacts_the_buyer_from_the_order_page(sign_in, live_server, shop):
    order = hub_order(shop, shop.marketplaces.get(), now=timezone.now())

    page = sign_in("owner@northwind.example")
    page.goto(f"{live_server.url}/dashboard/orders/{order.pk}/")
    request = page.get_by_test_id("review-request")
    expect(request.get_by_role("button", name="Request a review")).to_be_visible()

    contact = page.locator("#contact-buyer")
    contact.get_by_label("Subject").fill("Your kettle")
    contact.get_by_label("Message").fill("Your kettle ships tomorrow with a spare lid.")
    contact.get_by_role("button", name="Send message").click()

    expect(page.locator("#contact-buyer")).to_contain_text("Your message is sent to the buyer.")
    # FB-11: a proactive message and a review request exclude each other, at once (UX-6).
    expect(request).to_contain_text("You already sent the buyer a proactive message")
    expect(request.get_by_role("button", name="Request a review")).to_have_count(0)
