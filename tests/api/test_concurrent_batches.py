"""API-6 under real concurrency (#20): ten identical batches sent at once, each thread with its
own connection, released together. They answered 500 (a unique constraint) 4 to 9 times in 10;
now every one is a 200, the rows are stored once, and the counts are true for each call."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache

from feedback.models import Feedback
from messaging.models import Conversation, Message
from reviews.models import Review
from sellercx.models import Order, OrderLine
from tests.api.test_ingestion import order_row
from tests.concurrency import run_at_once
from tests.conftest import client_with, marketplace_token
from tests.factories import OfferFactory, order_of

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _after_the_dates():
    with time_machine.travel(datetime(2026, 11, 2, 12, tzinfo=UTC), tick=True):
        yield


def post_at_once(token: str, path: str, body: dict, times: int = 10) -> list:
    """``times`` threads post ``body`` together; the responses, in no particular order. The
    rate limit's buckets start full (API-4 is not what this tests)."""
    cache.clear()
    responses = []
    errors = run_at_once(
        lambda: responses.append(client_with(token).post(path, body, format="json")), times
    )
    assert not errors, errors
    return responses


def test_api6_ten_identical_order_batches_at_once_are_all_200(seller, marketplace):
    offer = OfferFactory(seller=seller, marketplace=marketplace, sku="NW-1")
    other = OfferFactory(seller=seller, marketplace=marketplace, sku="NW-2")
    row = order_row(seller, offer)
    row["lines"].append({**row["lines"][0], "sku": other.sku})
    batch = {"orders": [row, order_row(seller, offer, order_id="402-0000001-0000002")]}

    responses = post_at_once(marketplace_token(marketplace), "/api/v1/marketplace/orders", batch)

    assert sorted(r.status_code for r in responses) == [200] * 10
    payloads = [r.json()["payload"] for r in responses]
    assert sum(p["created"] for p in payloads) == 2  # each order created by exactly one call
    # The others found them stored, identical: neither created nor updated by their call.
    assert all(p["received"] == 2 and p["updated"] == 0 for p in payloads)
    assert Order.objects.count() == 2
    assert OrderLine.objects.count() == 3


def test_api6_ten_identical_message_batches_at_once_are_all_200(seller, marketplace):
    message = {"messageId": "M1", "sellerId": seller.pk, "buyerId": "B1", "body": "Hello?"}
    batch = {"messages": [message, {**message, "messageId": "M2", "body": "Anyone?"}]}

    responses = post_at_once(marketplace_token(marketplace), "/api/v1/marketplace/messages", batch)

    assert sorted(r.status_code for r in responses) == [200] * 10
    assert sum(r.json()["payload"]["created"] for r in responses) == 2
    assert Message.objects.count() == 2
    assert Conversation.objects.count() == 1


def test_api6_a_message_id_twice_in_one_batch(seller, marketplace):
    client = client_with(marketplace_token(marketplace))
    message = {"messageId": "M1", "sellerId": seller.pk, "buyerId": "B1", "body": "Hello?"}
    same = client.post(
        "/api/v1/marketplace/messages", {"messages": [message, message]}, format="json"
    )
    assert same.status_code == 200, same.content
    assert same.json()["payload"]["created"] == 1
    other = client.post(
        "/api/v1/marketplace/messages",
        {"messages": [{**message, "messageId": "M9"}, {**message, "messageId": "M9", "body": "?"}]},
        format="json",
    )
    assert other.status_code == 400
    assert other.json()["errors"][0]["details"] == "messages[1].messageId"
    assert Message.objects.count() == 1


def test_api6_the_same_feedback_ten_times_at_once_is_one_201_and_nine_200(seller, marketplace):
    """It was a 409 ("already has feedback") for a resend of the very same feedback id."""
    order_of(OfferFactory(seller=seller, marketplace=marketplace), external_id="402-7")
    body = {"feedbackId": "F-1", "orderId": "402-7", "rating": 2, "comment": "Slow"}
    token = marketplace_token(marketplace)

    responses = post_at_once(token, "/api/v1/marketplace/feedback", body)

    assert sorted(r.status_code for r in responses) == [200] * 9 + [201]
    # The same body for each, though each call's "now" differs (no leftAt: the stored one).
    assert len({json.dumps(r.json(), sort_keys=True) for r in responses}) == 1
    assert Feedback.objects.count() == 1

    batch = {"feedback": [{**body, "feedbackId": "F-2", "orderId": "402-8"}]}
    order_of(OfferFactory(seller=seller, marketplace=marketplace), external_id="402-8")
    responses = post_at_once(token, "/api/v1/marketplace/feedback/batch", batch)
    assert sorted(r.status_code for r in responses) == [200] * 10
    assert sum(r.json()["payload"]["created"] for r in responses) == 1


def test_api6_ten_identical_review_batches_at_once_are_all_200(seller, marketplace):
    product = OfferFactory(seller=seller, marketplace=marketplace).product
    review = {
        "reviewId": "R1",
        "asin": product.asin,
        "buyerId": "BUYER1",
        "rating": 2,
        "title": "Meh",
        "text": "Not great",
    }
    responses = post_at_once(
        marketplace_token(marketplace), "/api/v1/marketplace/reviews", {"reviews": [review]}
    )
    assert sorted(r.status_code for r in responses) == [200] * 10, [r.content for r in responses]
    assert Review.objects.count() == 1


def test_api6_identical_return_batches_at_once_count_each_row_created_once(seller, marketplace):
    """Four responses each claimed ``created: 20`` for the same 20 returns."""
    from sellercx.models import Return
    from tests.factories import ReasonCodeFactory

    ReasonCodeFactory(code="DEFECTIVE")
    offer = OfferFactory(seller=seller, marketplace=marketplace, sku="NW-1")
    for n in range(20):
        order_of(offer, external_id=f"402-9{n:02d}", purchased_at=datetime(2026, 10, 1, tzinfo=UTC))
    batch = {
        "returns": [
            {
                "returnId": f"R{n}",
                "orderId": f"402-9{n:02d}",
                "sku": "NW-1",
                "reasonCode": "DEFECTIVE",
                "date": "2026-10-10T00:00:00Z",
            }
            for n in range(20)
        ]
    }
    responses = post_at_once(
        marketplace_token(marketplace), "/api/v1/marketplace/returns", batch, times=4
    )
    assert sorted(r.status_code for r in responses) == [200] * 4
    assert sum(r.json()["payload"]["created"] for r in responses) == 20
    assert sum(r.json()["payload"]["updated"] for r in responses) == 0
    assert Return.objects.count() == 20


def test_api6_ten_identical_survey_answer_batches_at_once_are_all_200(seller, marketplace):
    from messaging.models import Survey
    from tests.factories import BuyerFactory

    conversation = Conversation.objects.create(
        seller=seller, marketplace=marketplace, buyer=BuyerFactory(marketplace=marketplace)
    )
    reply = Message.objects.create(
        conversation=conversation,
        seller=seller,
        marketplace=marketplace,
        direction="seller",
        body="It left today.",
    )
    survey = Survey.objects.create(
        message=reply, conversation=conversation, seller=seller, marketplace=marketplace
    )
    answer = {
        "answerId": "A1",
        "surveyId": survey.pk,
        "answer": "yes",
        "answeredAt": reply.sent_at.isoformat(),  # API-8: at the very message, the earliest
    }
    responses = post_at_once(
        marketplace_token(marketplace), "/api/v1/marketplace/surveyAnswers", {"answers": [answer]}
    )
    assert sorted(r.status_code for r in responses) == [200] * 10, [r.content for r in responses]
    assert sum(r.json()["payload"]["created"] for r in responses) == 1
    survey.refresh_from_db()
    assert (survey.answer, survey.answered_at) == ("yes", reply.sent_at)
