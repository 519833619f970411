"""UX-5, FB-8, FB-11, MS-2, RV-7: "Contact the buyer" of an order — a proactive message, the
order's one non-critical contact — through the service, the selector the order page reads, the
dashboard endpoint and its partial, and the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from messaging import selectors, services
from messaging.models import Conversation, Message, Survey
from sellercx.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from sellercx.models import AuditEntry
from tests.concurrency import run_at_once
from tests.factories import OfferFactory, UserFactory, order_of

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 18, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def order(seller, marketplace):
    """Delivered 8 days ago: inside FB-11's review-request window too."""
    return order_of(
        OfferFactory(seller=seller, marketplace=marketplace),
        external_id="402-0000001-0000001",
        purchased_at=NOW - timedelta(days=10),
        delivered_at=NOW - timedelta(days=8),
    )


def contact(user, order, subject="Your order", body="Your parcel left our warehouse today."):
    return services.contact_buyer(user=user, order_id=order.pk, subject=subject, body=body)


def buyer_writes(order, body="Where is my parcel?") -> Conversation:
    conversation = Conversation.objects.create(
        seller=order.seller, marketplace=order.marketplace, buyer=order.buyer, order=order
    )
    Message.objects.create(
        conversation=conversation,
        seller=order.seller,
        marketplace=order.marketplace,
        direction="buyer",
        body=body,
    )
    return conversation


# ---- the service --------------------------------------------------------------------------


def test_ux5_ms2_contact_starts_the_orders_conversation_with_a_proactive_message(user, order):
    message = contact(user, order)
    conversation = message.conversation
    assert (conversation.order, conversation.buyer, conversation.marketplace) == (
        order,
        order.buyer,
        order.marketplace,
    )
    assert conversation.subject == "Your order"
    assert message.proactive and message.direction == "seller" and message.author == user
    assert not Survey.objects.exists()  # MS-2: a proactive message carries no survey
    assert conversation.last_message_at == NOW
    assert AuditEntry.objects.filter(action="message.sent", seller_id=order.seller_id).exists()


def test_fb11_a_second_contact_is_refused_one_contact_per_order(user, order):
    first = contact(user, order)
    with pytest.raises(RuleViolation) as refused:
        contact(user, order, body="Did you get it?")
    assert refused.value.code == "OneContactPerOrder"
    # Nor as a follow-up written in the conversation: still unsolicited.
    with pytest.raises(RuleViolation) as again:
        services.reply_to_conversation(
            user=user, conversation_id=first.conversation_id, body="Did you get it?"
        )
    assert again.value.code == "OneContactPerOrder"
    assert Message.objects.count() == 1


def test_fb11_a_contact_and_a_review_request_exclude_each_other(user, seller, marketplace, order):
    from feedback import services as feedback

    feedback.request_review(user=user, order_id=order.pk)
    with pytest.raises(RuleViolation, match="review request was already sent") as refused:
        contact(user, order)
    assert refused.value.code == "OneContactPerOrder"
    assert not Conversation.objects.exists()

    other = order_of(
        OfferFactory(seller=seller, marketplace=marketplace),
        purchased_at=NOW - timedelta(days=10),
        delivered_at=NOW - timedelta(days=8),
    )
    contact(user, other)
    with pytest.raises(RuleViolation, match="proactive message"):
        feedback.request_review(user=user, order_id=other.pk)


def test_ux5_a_buyer_who_wrote_gets_a_reply_in_the_conversation_instead(user, order):
    written = buyer_writes(order)
    with pytest.raises(RuleViolation) as refused:
        contact(user, order)
    assert refused.value.code == "ReplyInConversation"
    state = selectors.buyer_contact_state(seller_id=order.seller_id, order=order)
    assert (state["allowed"], state["conversation"]) == (False, written)
    # The answer there is a reply (with its survey), not the order's contact.
    reply = services.reply_to_conversation(user=user, conversation_id=written.pk, body="Today!")
    assert not reply.proactive and Survey.objects.filter(message=reply).exists()


def test_ux5_an_empty_conversation_of_the_order_is_reused_with_its_subject(user, order):
    empty = Conversation.objects.create(
        seller=order.seller,
        marketplace=order.marketplace,
        buyer=order.buyer,
        order=order,
        subject="Colis",
    )
    message = contact(user, order, subject="")
    assert message.conversation == empty and Conversation.objects.count() == 1
    empty.refresh_from_db()
    assert empty.subject == "Colis"


@pytest.mark.parametrize(
    ("subject", "body", "error", "field"),
    [
        ("", "Your parcel left today.", InvalidInput, "subject"),
        ("   ", "Your parcel left today.", InvalidInput, "subject"),
        ("x" * 201, "Your parcel left today.", InvalidInput, "subject"),
        ("Your order", "  ", InvalidInput, "body"),
        ("Your order", "x" * 20001, InvalidInput, "body"),
    ],
)
def test_ux5_bad_input_is_refused_clearly_and_stores_nothing(
    user, order, subject, body, error, field
):
    with pytest.raises(error) as refused:
        contact(user, order, subject=subject, body=body)
    assert refused.value.details == field
    assert not Conversation.objects.exists() and not Message.objects.exists()


def test_rv7_a_contact_asking_for_a_review_is_refused(user, order):
    with pytest.raises(RuleViolation) as refused:
        contact(user, order, body="Please leave us a 5-star review and get a gift card")
    assert refused.value.code == "CommunicationGuidelines"
    with pytest.raises(RuleViolation):
        contact(user, order, subject="Leave us a 5-star review", body="Thanks for your order.")
    assert not Conversation.objects.exists() and not Message.objects.exists()


def test_ac1_ac2_another_accounts_order_and_a_viewer_are_refused(user, stranger, seller, order):
    with pytest.raises(NotFound):
        contact(stranger, order)
    viewer = UserFactory(seller=seller, messages_access=1)
    with pytest.raises(PermissionDenied):
        contact(viewer, order)
    with pytest.raises(NotFound):
        selectors.buyer_contact_state(seller_id=stranger.seller_id, order=order)
    assert not Message.objects.exists()


# ---- the selector the order page reads ------------------------------------------------------


def test_ux5_contact_state_in_two_queries_whatever_the_order_holds(
    user, order, django_assert_num_queries
):
    with django_assert_num_queries(2):
        state = selectors.buyer_contact_state(seller_id=order.seller_id, order=order)
    assert state == {"allowed": True, "code": None, "reason": None, "conversation": None}
    first = contact(user, order)
    for _ in range(5):
        Conversation.objects.create(
            seller=order.seller, marketplace=order.marketplace, buyer=order.buyer, order=order
        )
    with django_assert_num_queries(2):
        state = selectors.buyer_contact_state(seller_id=order.seller_id, order=order)
    assert not state["allowed"] and state["code"] == "OneContactPerOrder"
    assert state["conversation"] == first.conversation
    assert "already sent the buyer a message" in state["reason"]


# ---- concurrency ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fb11_two_identical_contacts_at_once_give_one_conversation_and_one_message(user, order):
    errors = run_at_once(lambda: contact(user, order), times=3)
    assert Conversation.objects.count() == 1 and Message.objects.count() == 1
    assert len(errors) == 2
    assert all(isinstance(e, RuleViolation) and e.code == "OneContactPerOrder" for e in errors)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fb11_a_contact_and_a_review_request_at_once_one_wins(user, order):
    from feedback import services as feedback
    from feedback.models import Solicitation

    # One thread sends the message, the other the review request (list.pop is atomic).
    calls = [
        lambda: contact(user, order),
        lambda: feedback.request_review(user=user, order_id=order.pk),
    ]
    errors = run_at_once(lambda: calls.pop()(), times=2)
    assert len(errors) == 1 and isinstance(errors[0], RuleViolation)
    assert Message.objects.count() + Solicitation.objects.count() == 1


# ---- the dashboard endpoint and its partial -------------------------------------------------


def partial(order, state, can_edit=True, **extra) -> str:
    request = RequestFactory().get(f"/dashboard/orders/{order.pk}/")
    return render_to_string(
        "messaging/_contact_buyer.html",
        {"order": order, "contact_state": state, "can_edit": can_edit, **extra},
        request=request,
    )


def test_ux5_the_partial_shows_the_form_the_reason_or_the_permission(user, seller, order):
    state = selectors.buyer_contact_state(seller_id=seller.pk, order=order)
    html = partial(order, state)
    assert 'id="contact-buyer"' in html and 'name="subject"' in html and "Send message" in html
    assert f'action="{reverse("messaging:contact-buyer", args=[order.pk])}"' in html
    assert 'name="next" value="/dashboard/orders/' in html  # UX-2: back to the order page
    assert "Send message" not in partial(order, state, can_edit=False)
    message = contact(user, order)
    html = partial(order, selectors.buyer_contact_state(seller_id=seller.pk, order=order))
    assert "Send message" not in html and "already sent the buyer a message" in html
    assert reverse("messaging:conversation", args=[message.conversation_id]) in html


def test_ux5_contact_page_sends_and_returns_the_seller_where_they_were(client, user, order):
    client.force_login(user)
    url = reverse("messaging:contact-buyer", args=[order.pk])
    page = client.get(url).content.decode()
    assert 'id="contact-buyer"' in page and order.external_id in page
    here = f"/dashboard/orders/{order.pk}/?marketplace=FR"
    response = client.post(url, {"subject": "Your order", "body": "It left today.", "next": here})
    assert response.status_code == 302 and response.url == here
    message = Message.objects.get()
    assert message.proactive and message.conversation.subject == "Your order"


def test_ux5_without_next_a_sent_contact_opens_the_conversation(client, user, order):
    client.force_login(user)
    url = reverse("messaging:contact-buyer", args=[order.pk])
    response = client.post(url, {"subject": "Your order", "body": "It left today."})
    conversation = Conversation.objects.get()
    assert response.url == reverse("messaging:conversation", args=[conversation.pk])


def test_ux5_a_refused_contact_shows_the_error_beside_the_form_with_the_draft(client, user, order):
    client.force_login(user)
    url = reverse("messaging:contact-buyer", args=[order.pk])
    here = f"/dashboard/orders/{order.pk}/"
    response = client.post(url, {"subject": "", "body": "My draft text", "next": here})
    assert response.status_code == 400
    html = response.content.decode()
    section = html[html.index('id="contact-buyer"') :]
    assert "Write a subject first." in section and "My draft text" in section
    assert f'name="next" value="{here}"' in section  # still returns to the order page
    refused = client.post(url, {"subject": "Hi", "body": "Please leave us a 5-star review"})
    assert refused.status_code == 422 and "5-star review" in refused.content.decode()
    assert not Message.objects.exists()


def test_ux5_with_htmx_the_section_comes_back_in_place(client, user, order):
    client.force_login(user)
    url = reverse("messaging:contact-buyer", args=[order.pk])
    htmx = {
        "HTTP_HX_REQUEST": "true",
        "HTTP_HX_CURRENT_URL": f"http://testserver/dashboard/orders/{order.pk}/",
    }
    refused = client.post(url, {"subject": "", "body": "Draft"}, **htmx)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "<html" not in html and 'id="contact-buyer"' in html  # the section alone
    assert "Write a subject first." in html and "Draft" in html
    sent = client.post(url, {"subject": "Your order", "body": "It left today."}, **htmx)
    html = sent.content.decode()
    assert sent.status_code == 200 and "<html" not in html
    assert "Your message is sent to the buyer." in html
    assert reverse("messaging:conversation", args=[Conversation.objects.get().pk]) in html


def test_ac1_ac2_the_endpoint_is_404_for_another_account_and_403_for_a_viewer(
    client, seller, stranger, order
):
    client.force_login(stranger)
    url = reverse("messaging:contact-buyer", args=[order.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"subject": "Hi", "body": "Hello"}).status_code == 404
    client.force_login(UserFactory(seller=seller, messages_access=1))
    assert client.post(url, {"subject": "Hi", "body": "Hello"}).status_code == 403
    assert not Message.objects.exists()


# ---- the API --------------------------------------------------------------------------------


def test_ux5_api_says_whether_the_buyer_can_be_contacted_then_sends(api, order):
    url = f"/api/v1/orders/{order.pk}/messages"
    assert api.get(url).json() == {
        "allowed": True,
        "reasonCode": None,
        "reason": None,
        "conversationId": None,
    }
    response = api.post(url, {"subject": "Your order", "body": "It left today."}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    conversation = Conversation.objects.get()
    assert body["conversationId"] == conversation.pk and body["proactive"] is True
    assert body["surveyId"] is None and body["direction"] == "seller"
    state = api.get(url).json()
    assert state["allowed"] is False and state["reasonCode"] == "OneContactPerOrder"
    assert state["conversationId"] == conversation.pk
    again = api.post(url, {"subject": "Again", "body": "Hello?"}, format="json")
    assert again.status_code == 422
    assert again.json()["errors"][0]["code"] == "OneContactPerOrder"


def test_ux5_api_bad_input_and_another_accounts_order(api, stranger, order):
    url = f"/api/v1/orders/{order.pk}/messages"
    missing = api.post(url, {"body": "It left today."}, format="json")
    assert missing.status_code == 400 and missing.json()["errors"][0]["details"] == "subject"
    assert api.post(url, {"subject": "Hi"}, format="json").status_code == 400
    assert (
        api.post(url, {"subject": "Hi", "body": "x", "extra": 1}, format="json").status_code == 400
    )
    theirs = order_of(OfferFactory(seller=stranger.seller, marketplace=order.marketplace))
    other = f"/api/v1/orders/{theirs.pk}/messages"
    assert api.get(other).status_code == 404
    assert api.post(other, {"subject": "Hi", "body": "Hello"}, format="json").status_code == 404
    assert not Message.objects.exists()


def test_ux5_api_operations_are_documented(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operations = schema["paths"]["/api/v1/orders/{id}/messages"]
    assert {"get", "post"} <= set(operations)
    assert "OneContactPerOrder" in operations["post"]["description"]
