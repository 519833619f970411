"""Issue #9 in the browser: markup a buyer wrote (a feedback comment, a review, a message, an
order event's comment) never runs on the pages that show it, and reads literally."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from messaging.models import Conversation, Message
from sellercx.models import CustomerServiceContact
from tests.factories import (
    BuyerFactory,
    MarketplaceFactory,
    OfferFactory,
    ProductFactory,
    ReasonCodeFactory,
    SellerAccountFactory,
    UserFactory,
    order_of,
)
from tests.feedback.factories import FeedbackFactory
from tests.reviews.factories import ReviewFactory, represented_brand

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCRIPT = "<script>window.__xss = 'script'; alert('script')</script>"
IMG = "<img src=x onerror=\"window.__xss = 'img'; alert('img')\">"
PAYLOAD = f"Broken {SCRIPT} {IMG} end"


def assert_inert(page, dialogs):
    """Nothing ran: no dialog, no flag; and the markup is on the page as text."""
    page.wait_for_load_state("load")
    assert page.evaluate("window.__xss === undefined"), page.evaluate("window.__xss")
    assert dialogs == []
    expect(page.get_by_text(SCRIPT, exact=False).first).to_be_visible()
    expect(page.get_by_text(IMG, exact=False).first).to_be_visible()
    assert page.locator("img[src='x']").count() == 0


def test_buyer_markup_never_runs_on_the_dashboard(sign_in, live_server):
    fr = MarketplaceFactory(code="FR")
    seller = SellerAccountFactory(name="Northwind", marketplaces=[fr])
    UserFactory(seller=seller, email="owner@northwind.example", name="Ava Owner")
    brand = represented_brand(seller, name="Northwind")
    product = ProductFactory(brand=brand)
    offer = OfferFactory(seller=seller, marketplace=fr, product=product)
    order = order_of(offer)
    FeedbackFactory(order=order, rating=1, comment=PAYLOAD)
    ReviewFactory(
        product=product,
        marketplace=fr,
        buyer=order.buyer,
        verified_order=order,
        title=PAYLOAD,
        text=PAYLOAD,
    )
    conversation = Conversation.objects.create(
        seller=seller, marketplace=fr, buyer=BuyerFactory(marketplace=fr), subject=PAYLOAD
    )
    Message.objects.create(
        conversation=conversation, seller=seller, marketplace=fr, direction="buyer", body=PAYLOAD
    )
    CustomerServiceContact.objects.create(
        seller=seller,
        marketplace=fr,
        order=order,
        external_id="C-1",
        occurred_at=timezone.now(),
        reason=ReasonCodeFactory(code="WHERE_IS_MY_ORDER"),
        comment=PAYLOAD,
    )

    page = sign_in("owner@northwind.example")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    for path in (
        "/dashboard/feedback/",
        "/dashboard/reviews/",
        "/dashboard/messages/",
        f"/dashboard/messages/{conversation.pk}/",
        f"/dashboard/orders/{order.pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_inert(page, dialogs)

    # The htmx swap of a feedback row (after a reply) renders the comment again: still inert.
    page.goto(f"{live_server.url}/dashboard/feedback/")
    row = page.get_by_test_id("feedback-row").first
    row.locator("summary", has_text="Reply").click()
    row.get_by_label("Public reply").fill(f"Sorry {SCRIPT}")
    row.get_by_role("button", name="Post reply").click()
    row = page.get_by_test_id("feedback-row").first
    expect(row.get_by_role("status")).to_have_text("Your public reply is posted.")
    assert_inert(page, dialogs)
