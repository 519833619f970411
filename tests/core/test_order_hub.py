"""UX-5: the order page is the hub of an order — its lines, dates and events, the seller
feedback and review request, the product reviews, the conversations and "Contact the buyer",
each part for the users whose permissions show its area (AC-2), another account's order a 404
(AC-1), in a constant number of queries; and the lists link orders and offers to their pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from feedback.models import Solicitation
from sellercx.models import Offer
from sellercx.permissions import Access, Area, access_field
from tests.factories import UserFactory
from tests.factories.order_hub import (
    NOW,
    add_conversation,
    add_events,
    add_feedback,
    add_line,
    add_removal_request,
    add_reply,
    add_review,
    hub_order,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def order(seller, marketplace):
    return hub_order(
        seller, marketplace, offer={"sku": "KETTLE-17", "product__title": "Glass kettle 1.7 l"}
    )


def page_of(client, order) -> str:
    response = client.get(reverse("dashboard:order", args=[order.pk]))
    assert response.status_code == 200
    return response.content.decode()


def user_with(seller, **levels: Access):
    """A user of ``seller`` with View and edit everywhere but the areas given."""
    return UserFactory(
        seller=seller, **{access_field(Area(area)): level for area, level in levels.items()}
    )


def test_ux5_order_page_shows_every_part_of_the_order(client, user, order):
    line = order.lines.get()
    add_events(order, line.offer)
    feedback = add_feedback(order, rating=2, comment="Lid missing, slow answer.")
    add_reply(feedback, "Sorry: a new lid is on its way.")
    add_removal_request(feedback, ground="product_review", status="declined")
    add_review(order, line, rating=2, title="Leaks from the spout")
    add_conversation(order, ("buyer", "Where is the lid?"), ("seller", "Sent today."))
    client.force_login(user)

    html = page_of(client, order)

    assert "Glass kettle 1.7 l" in html and "KETTLE-17" in html
    for event in ("Return", "Refund", "A-to-z claim", "Chargeback", "Customer-service contact"):
        assert event in html, event
    assert "Lid missing, slow answer." in html
    assert "Sorry: a new lid is on its way." in html
    assert "Removal request" in html and "Declined" in html
    assert "Leaks from the spout" in html
    assert "Where is the lid?" in html and "Sent today." in html
    assert 'id="contact-buyer"' in html


def test_ux5_each_part_is_shown_only_to_who_may_view_its_area(client, seller, order):
    add_feedback(order)
    add_review(order, title="Leaks from the spout")
    add_conversation(order, ("buyer", "Where is the lid?"))
    nobody = user_with(
        seller,
        feedback=Access.NONE,
        reviews=Access.NONE,
        messages=Access.NONE,
        voc=Access.NONE,
    )
    client.force_login(nobody)

    html = page_of(client, order)

    assert "KETTLE-17" in html  # the order itself is everyone's
    assert 'data-testid="order-feedback"' not in html and "Lid missing" not in html
    assert 'data-testid="review-request"' not in html
    assert "Leaks from the spout" not in html
    assert "Where is the lid?" not in html and 'id="contact-buyer"' not in html
    assert reverse("voc:offer", args=[order.lines.get().offer_id]) not in html


def test_ux5_offer_title_links_to_its_offer_page_for_voc_viewers(client, seller, order):
    offer_page = reverse("voc:offer", args=[order.lines.get().offer_id])
    client.force_login(user_with(seller, voc=Access.VIEW))
    assert f'<a href="{offer_page}">Glass kettle 1.7 l</a>' in page_of(client, order)
    assert client.get(offer_page).status_code == 200

    client.force_login(user_with(seller, voc=Access.NONE))
    html = page_of(client, order)
    assert "Glass kettle 1.7 l" in html and offer_page not in html


def test_ux5_vc10_no_link_to_an_offer_deleted_over_a_year_ago(client, user, order):
    Offer.objects.filter(pk=order.lines.get().offer_id).update(
        status=Offer.Status.DELETED, deleted_at=NOW - timedelta(days=400)
    )
    client.force_login(user)
    html = page_of(client, order)
    assert "Glass kettle 1.7 l" in html
    assert reverse("voc:offer", args=[order.lines.get().offer_id]) not in html


def test_ux5_feedback_links_to_its_row_in_the_feedback_manager(client, user, seller, order):
    feedback = add_feedback(order, left_at=NOW - timedelta(days=3))
    for days in range(25):  # newer feedback of the same marketplace: it is on page 2
        add_feedback(hub_order(seller, order.marketplace), left_at=NOW - timedelta(hours=days))
    client.force_login(user)

    html = page_of(client, order)

    link = re.search(r'href="([^"]*)" data-testid="feedback-in-manager"', html)[1]
    assert link == f"/dashboard/feedback/?marketplace=FR&amp;page=2#feedback-{feedback.pk}"
    manager = client.get("/dashboard/feedback/?marketplace=FR&page=2")
    assert f'id="feedback-{feedback.pk}"' in manager.content.decode()


def test_ux5_fb11_review_request_button_when_allowed(client, user, order):
    client.force_login(user)
    html = page_of(client, order)
    assert f'action="{reverse("feedback:requests")}"' in html
    assert f'name="order" value="{order.pk}"' in html
    assert f'name="next" value="{reverse("dashboard:order", args=[order.pk])}"' in html
    assert "Request a review" in html


def test_ux5_fb11_review_request_sent_returns_to_the_order_page(client, user, order):
    client.force_login(user)
    here = reverse("dashboard:order", args=[order.pk])

    response = client.post(reverse("feedback:requests"), {"order": order.pk, "next": here})

    assert response.status_code == 302 and response["Location"] == here
    html = page_of(client, order)
    assert "Sent on 2026-11-25." in html
    assert "Request a review</button>" not in html


def test_ux5_fb11_review_request_refused_says_why(client, user, order):
    line = order.lines.get()
    add_events(order, line.offer)  # a return and a refund
    client.force_login(user)
    html = page_of(client, order)
    assert "No review request can be sent." in html
    assert "The order has a return or a refund." in html
    assert "Request a review</button>" not in html


def test_ux5_fb11_too_early_says_when_requests_open(client, user, seller, marketplace):
    fresh = hub_order(seller, marketplace, purchased_at=NOW - timedelta(days=3), delivered_at=NOW)
    client.force_login(user)
    html = page_of(client, fresh)
    assert "Too early: requests open 5 days after delivery." in html
    assert "Requests for this order are open from 2026-11-30 to 2026-12-25." in html


def test_ux5_fb11_review_request_already_sent_shows_the_day(client, user, order):
    Solicitation.objects.create(seller=order.seller, order=order, sent_at=NOW - timedelta(days=2))
    client.force_login(user)
    html = page_of(client, order)
    assert "Sent on 2026-11-23." in html


def test_ux5_ac2_a_feedback_viewer_reads_the_status_without_the_button(client, seller, order):
    client.force_login(user_with(seller, feedback=Access.VIEW))
    html = page_of(client, order)
    assert 'data-testid="review-request"' in html
    assert "Request a review</button>" not in html


def test_ux5_conversation_shows_its_last_messages_and_a_link(client, user, order):
    conversation = add_conversation(
        order, *[("buyer" if n % 2 == 0 else "seller", f"Message number {n}") for n in range(5)]
    )
    client.force_login(user)
    html = page_of(client, order)
    assert "Message number 0" not in html and "Message number 1" not in html
    assert html.index("Message number 2") < html.index("Message number 4")
    assert reverse("messaging:conversation", args=[conversation.pk]) in html


def test_ac1_another_accounts_order_is_404_and_never_shown(client, stranger, order):
    add_feedback(order, comment="Secret comment")
    client.force_login(stranger)
    response = client.get(reverse("dashboard:order", args=[order.pk]))
    assert response.status_code == 404
    assert "Secret comment" not in response.content.decode()


def test_ux5_order_page_queries_do_not_grow_with_lines_events_reviews_or_messages(
    client, user, order
):
    feedback = add_feedback(order)
    add_reply(feedback)
    add_removal_request(feedback)
    client.force_login(user)

    def add_everything():
        line = add_line(order)
        add_events(order, line.offer)
        add_review(order, line)
        add_conversation(order, ("buyer", "Hello?"), ("seller", "Hello!"), ("buyer", "Thanks"))

    def fetch():
        page_of(client, order)

    assert_constant_queries(add_everything, fetch)


def test_ux5_lists_link_orders_and_offers_to_their_pages(client, user, order):
    offer_page = reverse("voc:offer", args=[order.lines.get().offer_id])
    client.force_login(user)

    orders = client.get(reverse("dashboard:orders")).content.decode()
    assert reverse("dashboard:order", args=[order.pk]) in orders
    assert re.search(rf'<a href="{offer_page}"[^>]*><code>KETTLE-17</code></a>', orders)

    offers = client.get(reverse("dashboard:offers")).content.decode()
    assert re.search(rf'<a href="{offer_page}"[^>]*>Glass kettle 1.7 l</a>', offers)


def test_ux5_lists_show_plain_offers_without_voc(client, seller, order):
    offer_page = reverse("voc:offer", args=[order.lines.get().offer_id])
    client.force_login(user_with(seller, voc=Access.NONE))
    for name in ("dashboard:orders", "dashboard:offers"):
        html = client.get(reverse(name)).content.decode()
        assert "KETTLE-17" in html and offer_page not in html


def test_ux5_orders_list_shows_three_lines_and_counts_the_rest(client, user, order):
    for _ in range(4):
        add_line(order)
    client.force_login(user)
    html = client.get(reverse("dashboard:orders")).content.decode()
    assert "and 2 more lines" in html
