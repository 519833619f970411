"""FB-1 … FB-11 through the services and the API, with the window edges pinned by time-machine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from feedback import services
from feedback.models import Feedback, FeedbackReply, RemovalRequest, Solicitation
from feedback.selectors import feedback_summary
from sellercx.errors import Conflict, NotFound, PermissionDenied, RuleViolation
from sellercx.models import AtoZClaim, Buyer
from tests.factories import OfferFactory, UserFactory, order_of

from .factories import FeedbackFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def order(seller, marketplace):
    return order_of(
        OfferFactory(seller=seller, marketplace=marketplace),
        purchased_at=T0,
        delivered_at=T0 + timedelta(days=2),
        external_id="402-1",
    )


def leave(marketplace, order_id="402-1", external_id="F1", rating=5, **extra):
    return services.leave_feedback(
        marketplace=marketplace,
        data=services.FeedbackInput(
            external_id=external_id, order_id=order_id, rating=rating, **extra
        ),
    )


# ---- FB-1 … FB-3 -----------------------------------------------------------------------------


def test_fb1_feedback_rates_the_seller_with_three_answers(marketplace, order):
    with time_machine.travel(T0 + timedelta(days=5)):
        feedback, created = leave(
            marketplace,
            rating=4,
            comment=" Good ",
            arrived_on_time=True,
            item_as_described=False,
            prompt_service=None,
        )
    assert created
    assert (feedback.rating, feedback.comment, feedback.item_as_described) == (4, "Good", False)
    assert feedback.seller_id == order.seller_id and feedback.buyer_id == order.buyer_id


def test_fb2_second_feedback_on_an_order_is_a_conflict_same_id_is_idempotent(marketplace, order):
    with time_machine.travel(T0 + timedelta(days=5)):
        first, _ = leave(marketplace)
        again, created = leave(marketplace)
        assert again.pk == first.pk and not created
        with pytest.raises(Conflict):
            leave(marketplace, external_id="F2")
    assert Feedback.objects.count() == 1


def test_fb2_a_buyer_leaves_one_feedback_per_order(marketplace, order, seller):
    other = order_of(
        order.lines.get().offer, buyer=order.buyer, external_id="402-2", purchased_at=T0
    )
    with time_machine.travel(T0 + timedelta(days=5)):
        leave(marketplace)
        leave(marketplace, order_id=other.external_id, external_id="F2")
    assert Feedback.objects.filter(buyer=order.buyer).count() == 2


@pytest.mark.parametrize(("day", "allowed"), [(90, True), (91, False)])
def test_fb3_feedback_until_90_days_after_the_order_date(marketplace, order, day, allowed):
    with time_machine.travel(T0.replace(hour=23, minute=59) + timedelta(days=day)):
        if allowed:
            assert leave(marketplace)[1]
        else:
            with pytest.raises(RuleViolation, match="90 days"):
                leave(marketplace)
            assert not Feedback.objects.exists()


def test_fb3_unknown_order_is_not_found(marketplace):
    with pytest.raises(NotFound):
        leave(marketplace, order_id="nope")


# ---- FB-4, FB-8, FB-9, FB-10 ----------------------------------------------------------------


def test_fb4_classification(marketplace):
    assert [FeedbackFactory.build(rating=r).kind for r in range(1, 6)] == [
        "negative",
        "negative",
        "neutral",
        "positive",
        "positive",
    ]


def test_fb8_fb9_summary_per_period_in_one_query(seller, marketplace, django_assert_num_queries):
    now = datetime(2026, 11, 23, tzinfo=UTC)
    with time_machine.travel(now):
        for days, rating in [(1, 5), (2, 1), (10, 3), (45, 5), (200, 2), (500, 4)]:
            FeedbackFactory(
                order=order_of(OfferFactory(seller=seller, marketplace=marketplace)),
                rating=rating,
                left_at=now - timedelta(days=days),
            )
        FeedbackFactory(
            order=order_of(OfferFactory(seller=seller, marketplace=marketplace)),
            rating=1,
            left_at=now,
            removed_at=now,
            removed_by="buyer",
        )
        with django_assert_num_queries(2):  # the aggregate, and the FB-9 threshold
            summary = feedback_summary(seller_id=seller.pk, marketplace_id=marketplace.pk)
    d30, d90, d365, lifetime = summary["periods"]
    assert (d30["total"], d90["total"], d365["total"], lifetime["total"]) == (3, 4, 5, 6)
    assert d30["negative"] == {"count": 1, "percent": Decimal("33.3")}
    assert d90["positive"]["count"] == 2 and d90["average"] == Decimal("3.50")
    assert summary["negative_rate_warning"] is True  # 25% > 5%


def test_fb10_figures_are_per_marketplace(seller, marketplace):
    from tests.factories import MarketplaceFactory

    us = MarketplaceFactory(code="US")
    seller.marketplaces.add(us)
    FeedbackFactory(order=order_of(OfferFactory(seller=seller, marketplace=us)), rating=1)
    summary = feedback_summary(seller_id=seller.pk, marketplace_id=marketplace.pk)
    assert summary["periods"][3]["total"] == 0
    assert summary["negative_rate_warning"] is False


# ---- FB-5 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "allowed"), [(60, True), (61, False)])
def test_fb5_buyer_removes_within_60_days(marketplace, order, day, allowed):
    with time_machine.travel(T0 + timedelta(days=1)):
        leave(marketplace)
    with time_machine.travel(T0 + timedelta(days=1 + day)):
        if allowed:
            feedback = services.remove_feedback_as_buyer(marketplace=marketplace, external_id="F1")
            assert feedback.removed_by == "buyer" and feedback.removed_at is not None
            assert not feedback.counts
        else:
            with pytest.raises(RuleViolation, match="60 days"):
                services.remove_feedback_as_buyer(marketplace=marketplace, external_id="F1")
    assert Feedback.objects.count() == 1  # soft delete: the row stays


# ---- FB-6 ------------------------------------------------------------------------------------


def test_fb6_one_reply_not_editable_deletable_never_reposted(user, seller, marketplace):
    feedback = FeedbackFactory(order=order_of(OfferFactory(seller=seller, marketplace=marketplace)))
    reply = services.reply_to_feedback(user=user, feedback_id=feedback.pk, text="Sorry!")
    assert reply.text == "Sorry!"
    with pytest.raises(Conflict):
        services.reply_to_feedback(user=user, feedback_id=feedback.pk, text="Edit")
    services.delete_feedback_reply(user=user, feedback_id=feedback.pk)
    with pytest.raises(RuleViolation):
        services.reply_to_feedback(user=user, feedback_id=feedback.pk, text="Again")
    assert FeedbackReply.objects.get().deleted_by == user


def test_fb6_reply_needs_edit_permission_and_the_own_account(user, stranger, seller, marketplace):
    feedback = FeedbackFactory(order=order_of(OfferFactory(seller=seller, marketplace=marketplace)))
    viewer = UserFactory(seller=seller, feedback_access=1)
    with pytest.raises(PermissionDenied):
        services.reply_to_feedback(user=viewer, feedback_id=feedback.pk, text="x")
    with pytest.raises(NotFound):
        services.reply_to_feedback(user=stranger, feedback_id=feedback.pk, text="x")
    assert not FeedbackReply.objects.exists()


# ---- FB-7 ------------------------------------------------------------------------------------


def _feedback(seller, marketplace, comment, channel="merchant", rating=1):
    offer = OfferFactory(seller=seller, marketplace=marketplace, fulfilment_channel=channel)
    return FeedbackFactory(order=order_of(offer), comment=comment, rating=rating)


def test_fb7_phone_number_is_removed_at_once(user, seller, marketplace):
    feedback = _feedback(seller, marketplace, "Terrible, call me at +33 6 12 34 56 78")
    request = services.request_feedback_removal(
        user=user, feedback_id=feedback.pk, ground="abusive"
    )
    feedback.refresh_from_db()
    assert request.status == "removed" and request.automatic
    assert feedback.removed_by == "marketplace" and not feedback.counts


def test_fb7_fulfilment_complaint_on_marketplace_order_is_struck_through(user, seller, marketplace):
    feedback = _feedback(
        seller, marketplace, "Colis arrivé en retard et abîmé.", channel="marketplace"
    )
    request = services.request_feedback_removal(
        user=user, feedback_id=feedback.pk, ground="fulfilment"
    )
    feedback.refresh_from_db()
    assert request.status == "struck_through"
    assert feedback.struck_through_at is not None and feedback.removed_at is None


def test_fb7_unclear_case_waits_for_staff_one_open_request_new_ground_after_decline(
    user, staff, seller, marketplace
):
    feedback = _feedback(seller, marketplace, "Not happy with this at all.")
    request = services.request_feedback_removal(
        user=user, feedback_id=feedback.pk, ground="abusive"
    )
    assert request.status == "pending"
    with pytest.raises(Conflict):
        services.request_feedback_removal(user=user, feedback_id=feedback.pk, ground="abusive")
    services.decide_removal_requests(
        staff=staff, request_ids=[request.pk], decision="declined", reason="Not abusive."
    )
    with pytest.raises(RuleViolation):
        services.request_feedback_removal(user=user, feedback_id=feedback.pk, ground="abusive")
    again = services.request_feedback_removal(
        user=user, feedback_id=feedback.pk, ground="product_review"
    )
    assert RemovalRequest.objects.filter(feedback=feedback).count() == 2
    assert again.status in ("pending", "removed")


def test_fb7_staff_decide_in_bulk_and_removed_stops_counting(user, staff, seller, marketplace):
    items = [_feedback(seller, marketplace, f"Meh {n}") for n in range(3)]
    ids = [
        services.request_feedback_removal(user=user, feedback_id=f.pk, ground="abusive").pk
        for f in items
    ]
    assert services.decide_removal_requests(staff=staff, request_ids=ids, decision="removed") == 3
    summary = feedback_summary(seller_id=seller.pk, marketplace_id=marketplace.pk)
    assert summary["periods"][3]["total"] == 0
    with pytest.raises(PermissionDenied):
        services.decide_removal_requests(staff=user, request_ids=ids, decision="removed")


def test_fb7_decline_needs_a_reason(staff, user, seller, marketplace):
    feedback = _feedback(seller, marketplace, "Hmm.")
    request = services.request_feedback_removal(
        user=user, feedback_id=feedback.pk, ground="abusive"
    )
    from sellercx.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.decide_removal_requests(staff=staff, request_ids=[request.pk], decision="declined")
    request.refresh_from_db()
    assert request.status == "pending"


# ---- FB-11 -----------------------------------------------------------------------------------


def delivered_order(seller, marketplace, delivered_at, **extra):
    return order_of(
        OfferFactory(seller=seller, marketplace=marketplace),
        purchased_at=delivered_at - timedelta(days=2),
        delivered_at=delivered_at,
        **extra,
    )


@pytest.mark.parametrize(("day", "allowed"), [(4, False), (5, True), (30, True), (31, False)])
def test_fb11_solicitation_window_days_5_to_30(user, seller, marketplace, day, allowed):
    order = delivered_order(seller, marketplace, T0)
    with time_machine.travel(T0 + timedelta(days=day)):
        actions, reason = services.solicitation_actions(user=user, order_id=order.pk)
        assert (actions == ["productReviewAndSellerFeedback"]) == allowed
        if allowed:
            services.request_review(user=user, order_id=order.pk)
        else:
            assert reason in ("too_early", "too_late")
            with pytest.raises(RuleViolation):
                services.request_review(user=user, order_id=order.pk)


def test_fb11_window_spans_first_to_last_delivery(user, seller, marketplace):
    order = delivered_order(seller, marketplace, T0, fully_delivered_at=T0 + timedelta(days=10))
    with time_machine.travel(T0 + timedelta(days=38)):
        assert services.solicitation_actions(user=user, order_id=order.pk)[0]


def test_fb11_once_per_order(user, seller, marketplace):
    order = delivered_order(seller, marketplace, T0)
    with time_machine.travel(T0 + timedelta(days=7)):
        services.request_review(user=user, order_id=order.pk)
        with pytest.raises(RuleViolation, match="already"):
            services.request_review(user=user, order_id=order.pk)
    assert Solicitation.objects.count() == 1


def test_fb11_bulk_reports_sent_and_skipped_by_reason(user, seller, marketplace):
    ok = delivered_order(seller, marketplace, T0)
    delivered_order(seller, marketplace, T0 - timedelta(days=40))  # too late
    opted_out = delivered_order(seller, marketplace, T0)
    Buyer.objects.filter(pk=opted_out.buyer_id).update(opted_out_of_solicitations=True)
    claimed = delivered_order(seller, marketplace, T0)
    AtoZClaim.objects.create(
        seller=seller,
        marketplace=marketplace,
        order=claimed,
        external_id="C1",
        occurred_at=T0,
        amount="1.00",
    )
    marked = delivered_order(seller, marketplace, T0, do_not_solicit=True)
    with time_machine.travel(T0 + timedelta(days=7)):
        report = services.request_reviews_in_bulk(
            user=user,
            purchased_from=(T0 - timedelta(days=60)).date(),
            purchased_to=T0.date(),
        )
    assert report.sent == 1
    assert report.skipped == {
        "too_late": 1,
        "buyer_opted_out": 1,
        "open_claim": 1,
        "do_not_solicit": 1,
    }
    assert Solicitation.objects.get().order == ok
    assert marked.pk not in Solicitation.objects.values_list("order_id", flat=True)


def test_fb11_another_accounts_order_is_not_found(user, stranger, marketplace):
    theirs = delivered_order(stranger.seller, marketplace, T0)
    with pytest.raises(NotFound):
        services.request_review(user=user, order_id=theirs.pk)


def test_rv7_a_public_reply_that_trades_a_refund_for_removal_is_refused(user, seller, marketplace):
    feedback = FeedbackFactory(order=order_of(OfferFactory(seller=seller, marketplace=marketplace)))
    with pytest.raises(RuleViolation) as refused:
        services.reply_to_feedback(
            user=user,
            feedback_id=feedback.pk,
            text="Nous vous rembourserons si vous supprimez votre commentaire.",
        )
    assert refused.value.code == "CommunicationGuidelines"
    assert not FeedbackReply.objects.exists()
    services.reply_to_feedback(
        user=user, feedback_id=feedback.pk, text="Désolés, nous vous remboursons."
    )
    assert FeedbackReply.objects.get().guideline_flags == ""


def test_fb11_a_proactive_message_and_a_review_request_exclude_each_other(
    user, seller, marketplace
):
    from messaging import services as messaging
    from messaging.models import Conversation

    first = delivered_order(seller, marketplace, T0)
    second = delivered_order(seller, marketplace, T0)
    with time_machine.travel(T0 + timedelta(days=7)):
        conversation = Conversation.objects.create(
            seller=seller, marketplace=marketplace, buyer=first.buyer, order=first
        )
        messaging.reply_to_conversation(
            user=user, conversation_id=conversation.pk, body="Your parcel left today."
        )
        assert services.solicitation_actions(user=user, order_id=first.pk) == (
            [],
            "proactive_message",
        )
        services.request_review(user=user, order_id=second.pk)
        other = Conversation.objects.create(
            seller=seller, marketplace=marketplace, buyer=second.buyer, order=second
        )
        with pytest.raises(RuleViolation, match="review request was already sent"):
            messaging.reply_to_conversation(
                user=user, conversation_id=other.pk, body="Anything else?"
            )
