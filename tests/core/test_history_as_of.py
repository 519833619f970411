"""SC-4: a recompute counts each input as it stood at the start of its period, so re-running a
past period reproduces its stored history exactly, whatever happened since.

The test builds a seller's data, runs a past customer-service week, a past metric-snapshot day
and a past VOC week, then lets later events happen as a storefront and the seller would make
them: a review edited (now, and with a date inside the past), feedback removed and struck
through, surveys answered late, and backfills (orders, returns, claims, feedback, reviews,
buyer messages dated inside the past periods but arriving now), and an order resent. Re-run,
every stored row of those periods is the same. Then, as a control, the backfilled rows are
made to have arrived on time: the same periods change, so the backfills were of them.

Per source: each recompute leaves out what arrived after its period's start."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db.models import F
from django.db.models.functions import Now

from feedback.models import Feedback
from feedback.services import FeedbackInput, leave_feedback, remove_feedback_as_buyer
from messaging.models import Conversation, CustomerServiceRating, Message, Survey
from messaging.services import (
    BuyerMessageInput,
    SurveyAnswerInput,
    ingest_buyer_messages,
    ingest_survey_answers,
)
from metrics.definitions import Metric
from metrics.models import MetricSnapshot
from reviews.models import Review, ReviewRevision
from reviews.services import ReviewInput, ingest_reviews
from sellercx import recompute
from sellercx.models import AtoZClaim, Chargeback, Order, Return
from sellercx.services.ingestion import ingest, ingest_orders
from tests.factories import BuyerFactory, OfferFactory, ReasonCodeFactory, order_of
from tests.feedback.factories import FeedbackFactory
from tests.reviews.factories import ReviewFactory
from voc.models import OfferCXWeek

pytestmark = pytest.mark.django_db

CS_WEEK = date(2026, 11, 16)  # a Monday: answers of [Oct 19, Nov 16) count
DAY = date(2026, 11, 20)  # a snapshot: as of Nov 20 00:00
VOC_WEEK = date(2026, 11, 23)  # a Monday: orders of [Aug 25, Nov 23) count
LATER = datetime(2026, 11, 30, 12, tzinfo=UTC)  # when the later events happen


def at(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def run_past_periods(seller) -> None:
    for name, period in (("cs-rating", CS_WEEK), ("metrics", DAY), ("voc", VOC_WEEK)):
        recompute.get(name).run_chunk(period=period, seller_ids=[seller.pk])


def history() -> dict[str, list[dict]]:
    """Every stored row of the three past periods, all columns but when it was computed."""

    def rows(queryset) -> list[dict]:
        found = [{k: v for k, v in row.items() if k != "computed_at"} for row in queryset.values()]
        return sorted(found, key=lambda row: row["id"])

    return {
        "cs": rows(CustomerServiceRating.objects.filter(week_start=CS_WEEK)),
        "metrics": rows(MetricSnapshot.objects.filter(day=DAY)),
        "voc": rows(OfferCXWeek.objects.filter(week_start=VOC_WEEK)),
    }


def survey(seller, marketplace, sent_at, answer="", answered_at=None) -> Survey:
    """A seller reply sent at ``sent_at`` with its survey, answered then if ``answer``."""
    conversation = Conversation.objects.create(
        seller=seller, marketplace=marketplace, buyer=BuyerFactory(marketplace=marketplace)
    )
    message = Message.objects.create(
        conversation=conversation,
        seller=seller,
        marketplace=marketplace,
        direction="seller",
        body="Done",
        sent_at=sent_at,
        received_at=sent_at,
    )
    return Survey.objects.create(
        message=message,
        conversation=conversation,
        seller=seller,
        marketplace=marketplace,
        answer=answer,
        answered_at=answered_at,
        answer_received_at=answered_at,
    )


@pytest.fixture
def shop(seller, marketplace):
    """The seller's data before the past periods ran: orders of an offer with returns,
    reviews, feedback, a claim, a buyer message answered on time, survey answers."""
    reason = ReasonCodeFactory(code="DEFECTIVE", category="product")
    peers = [OfferFactory(seller=seller, marketplace=marketplace) for _ in range(2)]
    for peer in peers:
        for n in range(6):
            order = order_of(peer, purchased_at=at(10, 1 + n), delivered_at=None)
            if n == 0:
                Return.objects.create(
                    seller=seller,
                    marketplace=marketplace,
                    order=order,
                    offer=peer,
                    external_id=f"RMA-P{peer.pk}",
                    occurred_at=at(10, 10),
                    received_at=at(10, 10),
                    reason=reason,
                )
    offer = OfferFactory(seller=seller, marketplace=marketplace)
    orders = [order_of(offer, purchased_at=at(10, 14, n), delivered_at=None) for n in range(10)]

    def review(order, rating):
        return ReviewFactory(
            product=offer.product,
            marketplace=marketplace,
            buyer=order.buyer,
            verified_order=order,
            rating=rating,
            posted_at=at(10, 20),
        )

    shop = {
        "offer": offer,
        "orders": orders,
        "low_review": review(orders[0], 1),  # edited to 5★ later
        "good_review": review(orders[1], 5),  # edited to 1★ later, dated inside the past
        "removed": FeedbackFactory(
            order=orders[2], rating=1, item_as_described=False, left_at=at(10, 20)
        ),
        "struck": FeedbackFactory(
            order=orders[3], rating=2, item_as_described=False, left_at=at(10, 21)
        ),
        "unanswered": survey(seller, marketplace, at(11, 10)),
    }
    AtoZClaim.objects.create(
        seller=seller,
        marketplace=marketplace,
        order=orders[4],
        external_id="CLAIM-1",
        occurred_at=at(10, 25),
        received_at=at(10, 25),
        amount=Decimal("10"),
    )
    for day_, answer in ((9, "yes"), (10, "no"), (11, "yes")):
        survey(seller, marketplace, at(11, day_), answer, at(11, day_ + 1))
    conversation = Conversation.objects.create(
        seller=seller, marketplace=marketplace, buyer=orders[5].buyer, order=orders[5]
    )
    for direction, sent_at in (("buyer", at(11, 10)), ("seller", at(11, 10, 15))):
        Message.objects.create(
            conversation=conversation,
            seller=seller,
            marketplace=marketplace,
            direction=direction,
            body="Where is it?" if direction == "buyer" else "On its way.",
            sent_at=sent_at,
            received_at=sent_at,
        )
    return shop


def later_events(seller, marketplace, shop) -> dict[str, list]:
    """What happens after the periods, as the storefront and the seller make it happen: edits,
    removals and answers, and backfills dated inside the periods. Returns the backfilled rows
    by model."""
    offer, orders = shop["offer"], shop["orders"]

    def edit(review, rating, date=None):
        ingest_reviews(
            marketplace=marketplace,
            rows=[
                ReviewInput(
                    external_id=review.external_id,
                    asin=offer.product.asin,
                    buyer_id=review.buyer.external_id,
                    rating=rating,
                    title="Edited",
                    text="I changed my mind.",
                    posted_at=date,
                )
            ],
        )

    with time_machine.travel(LATER, tick=False):
        edit(shop["low_review"], 5)
        edit(shop["good_review"], 1, date=at(11, 1))  # an edit dated inside the past
        remove_feedback_as_buyer(marketplace=marketplace, external_id=shop["removed"].external_id)
        Feedback.objects.filter(pk=shop["struck"].pk).update(struck_through_at=LATER)

        # Backfills: dated inside the past periods, arriving now.
        late_order = {
            "external_id": "LATE-ORDER-1",
            "seller_id": seller.pk,
            "buyer_id": "LATE-BUYER-1",
            "status": "delivered",
            "fulfilment_channel": "merchant",
            "purchased_at": at(10, 15),
            "lines": [{"sku": offer.sku, "quantity": 1, "unit_price": offer.price}],
        }
        resent = orders[9]
        ingest_orders(
            marketplace=marketplace,
            rows=[
                late_order,
                {  # an order sent again, unchanged (API-6): its lines are written anew
                    "external_id": resent.external_id,
                    "seller_id": seller.pk,
                    "buyer_id": resent.buyer.external_id,
                    "status": resent.status,
                    "fulfilment_channel": resent.fulfilment_channel,
                    "purchased_at": resent.purchased_at,
                    "lines": [{"sku": offer.sku, "quantity": 1, "unit_price": offer.price}],
                },
            ],
        )
        ingest(
            kind="returns",
            marketplace=marketplace,
            rows=[
                {
                    "external_id": "LATE-RMA-1",
                    "order_id": orders[6].external_id,
                    "occurred_at": at(10, 30),
                    "reason_code": "DEFECTIVE",
                    "sku": offer.sku,
                    "quantity": 1,
                }
            ],
        )
        for kind, external_id in (("claims", "LATE-CLAIM-1"), ("chargebacks", "LATE-CB-1")):
            ingest(
                kind=kind,
                marketplace=marketplace,
                rows=[
                    {
                        "external_id": external_id,
                        "order_id": orders[7].external_id,
                        "occurred_at": at(10, 30),
                        "amount": Decimal("10"),
                        "status": "open",
                    }
                ],
            )
        late_feedback, _ = leave_feedback(
            marketplace=marketplace,
            data=FeedbackInput(
                external_id="LATE-FB-1",
                order_id=orders[8].external_id,
                rating=1,
                item_as_described=False,
                left_at=at(11, 1),
            ),
        )
        ingest_reviews(
            marketplace=marketplace,
            rows=[
                ReviewInput(
                    external_id="LATE-RV-1",
                    asin=offer.product.asin,
                    buyer_id=orders[7].buyer.external_id,
                    rating=1,
                    title="Broke",
                    text="It broke.",
                    posted_at=at(11, 2),
                )
            ],
        )
        ingest_buyer_messages(
            marketplace=marketplace,
            rows=[
                BuyerMessageInput(
                    external_id="LATE-MSG-1",
                    seller_id=seller.pk,
                    buyer_id="LATE-BUYER-2",
                    body="Can you help?",
                    sent_at=at(11, 5),
                )
            ],
        )
        ingest_survey_answers(
            marketplace=marketplace,
            rows=[
                SurveyAnswerInput(
                    external_id="LATE-ANSWER-1",
                    survey_id=shop["unanswered"].pk,
                    answer="no",
                    answered_at=at(11, 12),
                )
            ],
        )
    return {
        "orders": [Order.objects.get(external_id="LATE-ORDER-1")],
        "returns": [Return.objects.get(external_id="LATE-RMA-1")],
        "claims": [AtoZClaim.objects.get(external_id="LATE-CLAIM-1")],
        "chargebacks": [Chargeback.objects.get(external_id="LATE-CB-1")],
        "feedback": [late_feedback],
        "reviews": [Review.objects.get(external_id="LATE-RV-1")],
        "messages": [Message.objects.get(external_id="LATE-MSG-1")],
    }


def test_sc4_rerunning_past_periods_after_edits_removals_and_backfills_changes_nothing(
    seller, marketplace, shop
):
    run_past_periods(seller)
    stored = history()
    assert stored["cs"] and stored["voc"] and stored["metrics"]
    figures = OfferCXWeek.objects.get(offer=shop["offer"], week_start=VOC_WEEK)
    assert (figures.orders, figures.ncx_orders) == (10, 3)  # the 1★ review, both feedback

    backfilled = later_events(seller, marketplace, shop)
    run_past_periods(seller)
    assert history() == stored

    # The control: had the backfills and the dated edit arrived on time, the same periods
    # would have counted them. Each was of these periods, and the rerun did run.
    for rows in backfilled.values():
        model = type(rows[0])
        event = {
            Order: "purchased_at",
            Feedback: "left_at",
            Review: "posted_at",
            Message: "sent_at",
        }.get(model, "occurred_at")
        model.objects.filter(pk__in=[r.pk for r in rows]).update(received_at=F(event))
    ReviewRevision.objects.filter(review=shop["good_review"]).update(received_at=F("replaced_at"))
    Survey.objects.filter(pk=shop["unanswered"].pk).update(answer_received_at=F("answered_at"))
    run_past_periods(seller)
    on_time = history()
    assert {name for name in stored if on_time[name] != stored[name]} == {"cs", "metrics", "voc"}
    metrics = {row["metric"]: row for row in on_time["metrics"]}
    before = {row["metric"]: row for row in stored["metrics"]}
    for metric in (Metric.ODR_MERCHANT, Metric.NEGATIVE_FEEDBACK, Metric.RESPONSE_TIME):
        assert metrics[metric]["denominator"] != before[metric]["denominator"], metric
    figures.refresh_from_db()
    # The late order, and the late return, review and feedback and the 1★ edit: four more.
    assert (figures.orders, figures.ncx_orders) == (11, 7)


# ---- per source: what arrived after the period's start does not count ----------------------


def test_sc4_cs_rating_counts_only_the_answers_that_had_arrived(seller, marketplace):
    for day_ in (9, 10, 11):  # CS-3: answers of the week before, so the week has a row
        survey(seller, marketplace, at(11, day_), "yes", at(11, day_, 14))
    late = survey(seller, marketplace, at(11, 4))
    ingest_survey_answers(  # answered inside the window, received now
        marketplace=marketplace,
        rows=[SurveyAnswerInput("LATE-1", late.pk, "no", answered_at=at(11, 5))],
    )
    recompute.get("cs-rating").run_chunk(period=CS_WEEK, seller_ids=[seller.pk])
    row = CustomerServiceRating.objects.get(seller=seller, week_start=CS_WEEK)
    assert (row.answers, row.yes_answers) == (3, 3)


def test_sc4_an_answers_arrival_is_set_when_it_is_written_and_kept(seller, marketplace):
    """Whatever writes the answer (messaging 0011's trigger): unanswered, none; answered,
    when it was stored, unless the writer says when it arrived."""
    pending = survey(seller, marketplace, at(11, 4))
    given = survey(seller, marketplace, at(11, 4), "yes", at(11, 5))
    assert pending.answer_received_at is None
    Survey.objects.filter(pk=pending.pk).update(answer="no", answered_at=at(11, 6))
    pending.refresh_from_db()
    given.refresh_from_db()
    assert pending.answer_received_at > at(11, 6)  # now, in the database's clock
    assert given.answer_received_at == at(11, 5)


def snapshot(seller, metric: str) -> MetricSnapshot:
    recompute.get("metrics").run_chunk(period=DAY, seller_ids=[seller.pk])
    return MetricSnapshot.objects.get(seller=seller, day=DAY, metric=metric)


@pytest.mark.parametrize("defect", ["feedback", "claim", "chargeback"])
def test_sc4_a_defect_that_arrived_after_the_day_does_not_count(seller, marketplace, defect):
    order = order_of(OfferFactory(seller=seller, marketplace=marketplace), purchased_at=at(9, 20))
    common = {
        "seller": seller,
        "marketplace": marketplace,
        "order": order,
        "occurred_at": at(10, 1),
        "amount": Decimal("5"),
    }
    if defect == "feedback":
        row = FeedbackFactory(order=order, rating=1, left_at=at(10, 1))
    elif defect == "claim":
        row = AtoZClaim.objects.create(external_id="C1", received_at=at(10, 1), **common)
    else:
        row = Chargeback.objects.create(external_id="B1", received_at=at(10, 1), **common)
    assert snapshot(seller, Metric.ODR_MERCHANT).numerator == 1
    type(row).objects.filter(pk=row.pk).update(received_at=Now())
    assert snapshot(seller, Metric.ODR_MERCHANT).numerator == 0


def test_sc4_an_order_or_feedback_that_arrived_after_the_day_does_not_count(seller, marketplace):
    order = order_of(OfferFactory(seller=seller, marketplace=marketplace), purchased_at=at(9, 20))
    feedback = FeedbackFactory(order=order, rating=5, left_at=at(10, 1))
    assert snapshot(seller, Metric.ODR_MERCHANT).denominator == 1
    assert snapshot(seller, Metric.FEEDBACK_COUNT).denominator == 1
    Order.objects.filter(pk=order.pk).update(received_at=Now())
    Feedback.objects.filter(pk=feedback.pk).update(received_at=Now())
    assert snapshot(seller, Metric.ODR_MERCHANT).denominator == 0
    assert snapshot(seller, Metric.FEEDBACK_COUNT).denominator == 0


def test_sc4_a_buyer_message_that_arrived_after_the_day_does_not_count(seller, marketplace):
    ingest_buyer_messages(
        marketplace=marketplace,
        rows=[
            BuyerMessageInput(
                external_id="M1", seller_id=seller.pk, buyer_id="B1", body="Hi", sent_at=at(11, 1)
            )
        ],
    )
    assert snapshot(seller, Metric.RESPONSE_TIME).denominator == 0
    Message.objects.filter(external_id="M1").update(received_at=F("sent_at"))
    assert snapshot(seller, Metric.RESPONSE_TIME).denominator == 1


def test_sc4_a_resend_keeps_when_a_row_first_arrived(seller, marketplace):
    """API-6: an identical resend stores nothing new, not even a new arrival."""
    offer = OfferFactory(seller=seller, marketplace=marketplace)
    row = {
        "external_id": "O-1",
        "seller_id": seller.pk,
        "buyer_id": "B-1",
        "status": "delivered",
        "fulfilment_channel": "merchant",
        "purchased_at": at(10, 1),
        "lines": [{"sku": offer.sku, "quantity": 1, "unit_price": offer.price}],
    }
    event = {
        "external_id": "R-1",
        "order_id": "O-1",
        "occurred_at": at(10, 2),
        "quantity": 1,
        "reason_code": ReasonCodeFactory().code,
        "sku": offer.sku,
    }
    ingest_orders(marketplace=marketplace, rows=[row])
    ingest(kind="returns", marketplace=marketplace, rows=[event])
    Order.objects.update(received_at=at(10, 1))
    Return.objects.update(received_at=at(10, 2))
    ingest_orders(marketplace=marketplace, rows=[row])
    ingest(kind="returns", marketplace=marketplace, rows=[event])
    order = Order.objects.get(external_id="O-1")
    assert order.received_at == at(10, 1)
    assert list(order.lines.values_list("received_at", flat=True)) == [at(10, 1)]
    assert Return.objects.get().received_at == at(10, 2)
