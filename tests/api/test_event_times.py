"""API-8: every event carries its own time, and times must make sense. On every ingestion
endpoint a time out of order is a 422 ``RuleViolation`` naming the field, and nothing of the
batch is stored; the boundaries (an event at the very purchase, feedback on FB-3's last day) are
accepted; feedback takes its own ``leftAt``, and FB-3 judges that, not its arrival."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from feedback.models import Feedback
from messaging import services as messaging_services
from messaging.models import Conversation, Message, Survey
from reviews import services as review_services
from sellercx.models import AtoZClaim, Chargeback, CustomerServiceContact, Order, Refund, Return
from tests.factories import (
    BuyerFactory,
    MarketplaceFactory,
    OfferFactory,
    ReasonCodeFactory,
    SellerAccountFactory,
    order_of,
)
from tests.reviews.factories import bought_review, represented_brand

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 2, 12, tzinfo=UTC)
PURCHASED = datetime(2026, 10, 1, 10, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def offer(seller, marketplace):
    ReasonCodeFactory(code="DEFECTIVE")
    return OfferFactory(seller=seller, marketplace=marketplace, sku="NW-1")


@pytest.fixture
def order(offer):
    return order_of(offer, external_id="402-1", purchased_at=PURCHASED, delivered_at=None)


def errors(response) -> list[tuple[str, str]]:
    return [(e["code"], e["details"]) for e in response.json()["errors"]]


# ---- orders ---------------------------------------------------------------------------------


def order_row(seller, order_id="402-1", **extra) -> dict:
    return {
        "orderId": order_id,
        "sellerId": seller.pk,
        "buyerId": "B-1",
        "status": "delivered",
        "fulfilmentChannel": "merchant",
        "purchaseDate": iso(PURCHASED),
        "lines": [{"sku": "NW-1", "quantity": 1, "unitPrice": {"amount": "9.99"}}],
        **extra,
    }


def post_orders(storefront, *rows):
    for row in rows:
        for line in row["lines"]:
            line["unitPrice"]["currencyCode"] = "EUR"
    return storefront.post("/api/v1/marketplace/orders", {"orders": list(rows)}, format="json")


@pytest.mark.parametrize(
    ("times", "field"),
    [
        ({"deliveredAt": iso(PURCHASED - SECOND)}, "deliveredAt"),
        ({"promisedDeliveryAt": iso(PURCHASED - SECOND)}, "promisedDeliveryAt"),
        (
            {"deliveredAt": iso(PURCHASED), "fullyDeliveredAt": iso(PURCHASED - SECOND)},
            "fullyDeliveredAt",
        ),
    ],
    ids=["delivered", "promised", "fully-delivered"],
)
def test_api8_an_order_delivered_before_its_purchase_is_422_naming_the_field(
    storefront, seller, offer, times, field
):
    good = order_row(seller, "402-0", deliveredAt=iso(PURCHASED + timedelta(days=2)))
    response = post_orders(storefront, good, order_row(seller, **times))
    assert response.status_code == 422, response.content
    assert errors(response) == [("RuleViolation", f"orders[1].{field}")]
    assert not Order.objects.exists()


def test_api8_an_order_delivered_at_the_very_purchase_is_stored(storefront, seller, offer):
    at = iso(PURCHASED)
    response = post_orders(
        storefront,
        order_row(seller, promisedDeliveryAt=at, deliveredAt=at, fullyDeliveredAt=at),
    )
    assert response.status_code == 200, response.content
    assert Order.objects.get().delivered_at == PURCHASED


def test_api8_a_last_delivery_without_a_first_is_bad_input(storefront, seller, offer):
    response = post_orders(storefront, order_row(seller, fullyDeliveredAt=iso(PURCHASED)))
    assert response.status_code == 400
    assert errors(response) == [("InvalidInput", "orders[0].fullyDeliveredAt")]


def test_api8_bad_input_and_times_out_of_order_in_one_batch_are_a_400_naming_both(
    storefront, seller, offer
):
    unknown_sku = order_row(seller, "402-0")
    unknown_sku["lines"][0]["sku"] = "NOPE"
    late = order_row(seller, deliveredAt=iso(PURCHASED - SECOND))
    response = post_orders(storefront, unknown_sku, late)
    assert response.status_code == 400
    assert errors(response) == [
        ("InvalidInput", "orders[0].lines[0].sku"),
        ("RuleViolation", "orders[1].deliveredAt"),
    ]
    assert not Order.objects.exists()


def test_api8_a_resent_order_cannot_move_its_purchase_after_its_events(storefront, seller, order):
    Chargeback.objects.create(
        seller=seller,
        marketplace=order.marketplace,
        order=order,
        external_id="C1",
        occurred_at=PURCHASED + timedelta(days=5),
        amount=order.total,
    )
    later = iso(PURCHASED + timedelta(days=5) + SECOND)
    response = post_orders(storefront, order_row(seller, purchaseDate=later))
    assert response.status_code == 422, response.content
    assert errors(response) == [("RuleViolation", "orders[0].purchaseDate")]
    order.refresh_from_db()
    assert order.purchased_at == PURCHASED

    at_the_chargeback = iso(PURCHASED + timedelta(days=5))
    assert (
        post_orders(storefront, order_row(seller, purchaseDate=at_the_chargeback)).status_code
        == 200
    )
    order.refresh_from_db()
    assert order.purchased_at == PURCHASED + timedelta(days=5)


# ---- returns, refunds, claims, chargebacks, contacts ----------------------------------------

EVENTS = {
    "returns": (Return, {"returnId": "E", "sku": "NW-1", "reasonCode": "DEFECTIVE"}),
    "refunds": (Refund, {"refundId": "E", "amount": {"amount": "5", "currencyCode": "EUR"}}),
    "claims": (AtoZClaim, {"claimId": "E", "amount": {"amount": "5", "currencyCode": "EUR"}}),
    "chargebacks": (
        Chargeback,
        {"chargebackId": "E", "amount": {"amount": "5", "currencyCode": "EUR"}},
    ),
    "contacts": (CustomerServiceContact, {"contactId": "E", "reasonCode": "DEFECTIVE"}),
}


def event_row(kind: str, n: int, order_id: str, date: datetime) -> dict:
    _model, fields = EVENTS[kind]
    id_key = next(key for key in fields if key.endswith("Id"))
    return {**fields, id_key: f"E{n}", "orderId": order_id, "date": iso(date)}


@pytest.mark.parametrize("kind", EVENTS)
def test_api8_an_event_before_its_orders_purchase_is_422_and_nothing_stored(
    storefront, order, kind
):
    model, _fields = EVENTS[kind]
    rows = [
        event_row(kind, 0, "402-1", PURCHASED + timedelta(days=3)),
        event_row(kind, 1, "402-1", PURCHASED - SECOND),
    ]
    response = storefront.post(f"/api/v1/marketplace/{kind}", {kind: rows}, format="json")
    assert response.status_code == 422, response.content
    assert errors(response) == [("RuleViolation", f"{kind}[1].date")]
    assert "2026-10-01" in response.json()["errors"][0]["message"]
    assert not model.objects.exists()


@pytest.mark.parametrize("kind", EVENTS)
def test_api8_an_event_at_the_very_purchase_is_stored(storefront, order, kind):
    model, _fields = EVENTS[kind]
    rows = [event_row(kind, 0, "402-1", PURCHASED)]
    response = storefront.post(f"/api/v1/marketplace/{kind}", {kind: rows}, format="json")
    assert response.status_code == 200, response.content
    assert model.objects.get().occurred_at == PURCHASED


def test_api8_another_marketplaces_or_sellers_order_is_still_unknown(
    storefront, seller, marketplace, offer
):
    """Times are judged only against the caller's own orders: an order of another marketplace
    is unknown (400 orderId) as before, and its purchase date is never told."""
    elsewhere = MarketplaceFactory(code="PL")
    foreign_seller = SellerAccountFactory(marketplaces=[elsewhere])
    order_of(
        OfferFactory(seller=foreign_seller, marketplace=elsewhere),
        external_id="402-9",
        purchased_at=NOW - timedelta(days=1),
    )
    rows = [event_row("returns", 0, "402-9", PURCHASED)]
    response = storefront.post("/api/v1/marketplace/returns", {"returns": rows}, format="json")
    assert response.status_code == 400
    assert errors(response) == [("InvalidInput", "returns[0].orderId")]
    assert "2026" not in response.json()["errors"][0]["message"]


def test_api8_a_time_in_the_future_beyond_the_clock_skew_setting_is_400(
    storefront, order, settings
):
    def post(date):
        rows = [event_row("returns", 0, "402-1", date)]
        return storefront.post("/api/v1/marketplace/returns", {"returns": rows}, format="json")

    settings.SELLERCX_CLOCK_SKEW_SECONDS = 60
    too_far = post(NOW + timedelta(seconds=61))
    assert too_far.status_code == 400
    assert errors(too_far) == [("InvalidInput", "returns[0].date")]
    assert post(NOW + timedelta(seconds=60)).status_code == 200
    assert Return.objects.get().occurred_at == NOW + timedelta(seconds=60)


# ---- feedback -------------------------------------------------------------------------------

FEEDBACK = "/api/v1/marketplace/feedback"
FEEDBACK_BATCH = "/api/v1/marketplace/feedback/batch"
LAST_DAY = datetime.combine(PURCHASED.date() + timedelta(days=90), datetime.max.time(), UTC)


def feedback(feedback_id="F-1", order_id="402-1", **extra) -> dict:
    return {"feedbackId": feedback_id, "orderId": order_id, "rating": 4, **extra}


@pytest.mark.parametrize(
    ("left_at", "code"),
    [
        (PURCHASED - SECOND, "RuleViolation"),
        (LAST_DAY + timedelta(microseconds=1), "FeedbackWindowClosed"),
    ],
    ids=["before-purchase", "after-fb3"],
)
def test_api8_feedback_left_out_of_its_window_is_422_naming_left_at(
    storefront, order, left_at, code, clock
):
    clock.move_to(LAST_DAY + timedelta(days=1))
    response = storefront.post(FEEDBACK, feedback(leftAt=iso(left_at)), format="json")
    assert response.status_code == 422, response.content
    assert errors(response) == [(code, "leftAt")]

    batch = [feedback("F-0", "402-0", leftAt=iso(PURCHASED)), feedback(leftAt=iso(left_at))]
    order_of(order.lines.first().offer, external_id="402-0", purchased_at=PURCHASED)
    response = storefront.post(FEEDBACK_BATCH, {"feedback": batch}, format="json")
    assert response.status_code == 422, response.content
    assert errors(response) == [(code, "feedback[1].leftAt")]
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("left_at", [PURCHASED, LAST_DAY], ids=["at-purchase", "fb3-last-day"])
def test_api8_feedback_at_either_end_of_its_window_is_stored_with_that_date(
    storefront, order, left_at, clock
):
    clock.move_to(LAST_DAY + timedelta(days=30))
    response = storefront.post(FEEDBACK, feedback(leftAt=iso(left_at)), format="json")
    assert response.status_code == 201, response.content
    assert Feedback.objects.get().left_at == left_at

    order_of(order.lines.first().offer, external_id="402-2", purchased_at=PURCHASED)
    batch = [feedback("F-2", "402-2", leftAt=iso(left_at))]
    response = storefront.post(FEEDBACK_BATCH, {"feedback": batch}, format="json")
    assert response.status_code == 200, response.content
    assert Feedback.objects.get(external_id="F-2").left_at == left_at


def test_fb3_backfilled_feedback_is_judged_at_left_at_not_at_arrival(storefront, order, clock):
    """Left on day 20, delivered a year later: stored with its own date. Without ``leftAt``
    the same feedback arriving now, more than 90 days after the order, is refused."""
    clock.move_to(PURCHASED + timedelta(days=400))
    late = storefront.post(FEEDBACK, feedback(), format="json")
    assert late.status_code == 422
    assert errors(late) == [("FeedbackWindowClosed", "leftAt")]

    left_at = PURCHASED + timedelta(days=20, hours=3)
    response = storefront.post(FEEDBACK, feedback(leftAt=iso(left_at)), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["leftAt"] == iso(left_at)
    assert Feedback.objects.get().left_at == left_at


def test_api8_feedback_left_in_the_future_is_400_naming_left_at(storefront, order):
    response = storefront.post(
        FEEDBACK, feedback(leftAt=iso(NOW + timedelta(hours=1))), format="json"
    )
    assert response.status_code == 400
    assert errors(response) == [("InvalidInput", "leftAt")]
    assert not Feedback.objects.exists()


def test_api6_a_feedback_resend_is_200_with_the_same_body_with_or_without_left_at(
    storefront, order, clock
):
    left_at = iso(PURCHASED + timedelta(days=4))
    first = storefront.post(FEEDBACK, feedback(leftAt=left_at), format="json")
    assert first.status_code == 201
    clock.shift(timedelta(hours=2))  # "now" moved: a resend without leftAt is still the same
    for resend in (feedback(leftAt=left_at), feedback()):
        again = storefront.post(FEEDBACK, resend, format="json")
        assert again.status_code == 200, again.content
        assert again.json() == first.json()
        batch = storefront.post(FEEDBACK_BATCH, {"feedback": [resend]}, format="json")
        assert batch.json() == {"payload": {"received": 1, "created": 0, "updated": 0}}
    assert Feedback.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [{"leftAt": iso(PURCHASED + timedelta(days=5))}, {"rating": 1}, {"comment": "Changed"}],
    ids=["left-at", "rating", "comment"],
)
def test_api6_the_same_feedback_id_with_other_content_is_409(storefront, order, change):
    left_at = iso(PURCHASED + timedelta(days=4))
    assert storefront.post(FEEDBACK, feedback(leftAt=left_at), format="json").status_code == 201
    changed = {**feedback(leftAt=left_at), **change}
    response = storefront.post(FEEDBACK, changed, format="json")
    assert response.status_code == 409
    assert errors(response) == [("Conflict", "feedbackId")]
    batch = storefront.post(FEEDBACK_BATCH, {"feedback": [changed]}, format="json")
    assert errors(batch) == [("Conflict", "feedback[0].feedbackId")]
    stored = Feedback.objects.get()
    assert (stored.rating, stored.left_at) == (4, PURCHASED + timedelta(days=4))


def test_api8_feedback_on_another_marketplaces_order_is_still_404(storefront, seller, offer):
    elsewhere = MarketplaceFactory(code="PL")
    foreign_seller = SellerAccountFactory(marketplaces=[elsewhere])
    order_of(
        OfferFactory(seller=foreign_seller, marketplace=elsewhere),
        external_id="402-9",
        purchased_at=PURCHASED,
    )
    response = storefront.post(
        FEEDBACK, feedback(order_id="402-9", leftAt=iso(PURCHASED - SECOND)), format="json"
    )
    assert response.status_code == 404
    assert not Feedback.objects.exists()


# ---- buyer messages -------------------------------------------------------------------------

MESSAGES = "/api/v1/marketplace/messages"


def message(seller, message_id="M1", **extra) -> dict:
    return {
        "messageId": message_id,
        "sellerId": seller.pk,
        "buyerId": "B-1",
        "body": "Hi?",
        **extra,
    }


def test_api8_a_message_about_an_order_before_its_purchase_is_422(storefront, seller, order):
    early = message(seller, "M2", orderId="402-1", sentAt=iso(PURCHASED - SECOND))
    assert (
        storefront.post(MESSAGES, {"messages": [message(seller)]}, format="json").status_code == 200
    )
    # Row 1 of the batch as sent, though row 0 is already stored.
    response = storefront.post(MESSAGES, {"messages": [message(seller), early]}, format="json")
    assert response.status_code == 422, response.content
    assert errors(response) == [("RuleViolation", "messages[1].sentAt")]
    assert Message.objects.count() == 1

    at_purchase = {**early, "sentAt": iso(PURCHASED)}
    response = storefront.post(MESSAGES, {"messages": [at_purchase]}, format="json")
    assert response.status_code == 200, response.content
    assert Message.objects.get(external_id="M2").sent_at == PURCHASED


def test_api8_an_answer_to_a_brand_contact_before_the_contact_is_422(
    storefront, user, seller, marketplace
):
    review = bought_review(seller, marketplace, represented_brand(seller), purchased_at=PURCHASED)
    contact = review_services.contact_customer(
        user=user, review_id=review.pk, reason="customer_service"
    )
    row = message(
        seller,
        buyerId=review.buyer.external_id,
        contactId=contact.pk,
        sentAt=iso(contact.created_at - SECOND),
    )
    response = storefront.post(MESSAGES, {"messages": [row]}, format="json")
    assert response.status_code == 422, response.content
    assert errors(response) == [("RuleViolation", "messages[0].sentAt")]
    assert not Conversation.objects.exists()

    row["sentAt"] = iso(contact.created_at)
    assert storefront.post(MESSAGES, {"messages": [row]}, format="json").status_code == 200


# ---- survey answers -------------------------------------------------------------------------

ANSWERS = "/api/v1/marketplace/surveyAnswers"


@pytest.fixture
def survey(user, seller, marketplace, clock):
    """The survey of a reply sent ten days ago."""
    clock.move_to(NOW - timedelta(days=10))
    conversation = Conversation.objects.create(
        seller=seller, marketplace=marketplace, buyer=BuyerFactory(marketplace=marketplace)
    )
    Message.objects.create(
        conversation=conversation,
        seller=seller,
        marketplace=marketplace,
        direction="buyer",
        body="Where is it?",
    )
    messaging_services.reply_to_conversation(
        user=user, conversation_id=conversation.pk, body="It left today."
    )
    clock.move_to(NOW)
    return Survey.objects.select_related("message").get()


def test_api8_a_survey_answer_before_the_message_that_carried_it_is_422(storefront, survey):
    sent_at = survey.message.sent_at
    answer = {"answerId": "A1", "surveyId": survey.pk, "answer": "yes"}
    months_before = {**answer, "answeredAt": iso(sent_at - timedelta(days=90))}
    response = storefront.post(ANSWERS, {"answers": [months_before]}, format="json")
    assert response.status_code == 422, response.content
    assert errors(response) == [("RuleViolation", "answers[0].answeredAt")]
    survey.refresh_from_db()
    assert (survey.answer, survey.answered_at) == ("", None)

    at_the_message = {**answer, "answeredAt": iso(sent_at)}
    response = storefront.post(ANSWERS, {"answers": [at_the_message]}, format="json")
    assert response.status_code == 200, response.content
    survey.refresh_from_db()
    assert (survey.answer, survey.answered_at) == ("yes", sent_at)


def test_api8_an_unknown_survey_with_an_early_answer_is_still_400(storefront, survey):
    early = {
        "answerId": "A1",
        "surveyId": survey.pk,
        "answer": "yes",
        "answeredAt": iso(survey.message.sent_at - SECOND),
    }
    unknown = {"answerId": "A2", "surveyId": 999_999, "answer": "no"}
    response = storefront.post(ANSWERS, {"answers": [early, unknown]}, format="json")
    assert response.status_code == 400
    assert errors(response) == [
        ("RuleViolation", "answers[0].answeredAt"),
        ("NotFound", "answers[1].surveyId"),
    ]
