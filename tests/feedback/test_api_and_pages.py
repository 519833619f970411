"""Seller feedback on every surface: the storefront API, the seller API, the manager page,
the permission matrix, tenancy and query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback, FeedbackReply, RemovalRequest
from tests.factories import OfferFactory, order_of
from tests.querycount import assert_constant_queries

from .factories import FeedbackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(seller, marketplace):
    return order_of(OfferFactory(seller=seller, marketplace=marketplace), external_id="402-7")


def body(**extra):
    return {"feedbackId": "F-1", "orderId": "402-7", "rating": 2, "comment": "Slow", **extra}


def test_fb1_storefront_leaves_feedback_201_then_200_then_409(storefront, order):
    first = storefront.post("/api/v1/marketplace/feedback", body(), format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["kind"] == "negative"
    assert storefront.post("/api/v1/marketplace/feedback", body(), format="json").status_code == 200
    conflict = storefront.post(
        "/api/v1/marketplace/feedback", body(feedbackId="F-2"), format="json"
    )
    assert conflict.status_code == 409
    assert conflict.json()["errors"][0]["code"] == "Conflict"


def test_fb3_storefront_late_feedback_is_422_with_the_reason(storefront, order):
    order.purchased_at = timezone.now() - timedelta(days=120)
    order.delivered_at = order.purchased_at
    order.save()
    response = storefront.post("/api/v1/marketplace/feedback", body(), format="json")
    assert response.status_code == 422
    assert "90 days" in response.json()["errors"][0]["message"]
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("bad", [{"rating": 0}, {"rating": 6}, {"rating": "five"}, {"orderId": ""}])
def test_fb1_bad_feedback_is_400_and_nothing_stored(storefront, order, bad):
    response = storefront.post("/api/v1/marketplace/feedback", body(**bad), format="json")
    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_api6_feedback_batch_is_all_or_nothing_and_idempotent(storefront, seller, marketplace):
    orders = [
        order_of(OfferFactory(seller=seller, marketplace=marketplace), external_id=f"B-{n}")
        for n in range(3)
    ]
    rows = [
        {"feedbackId": f"F{n}", "orderId": o.external_id, "rating": 5} for n, o in enumerate(orders)
    ]
    bad = rows + [{"feedbackId": "F9", "orderId": "missing", "rating": 5}]
    refused = storefront.post(
        "/api/v1/marketplace/feedback/batch", {"feedback": bad}, format="json"
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["details"] == "feedback[3].orderId"
    assert not Feedback.objects.exists()
    for _ in range(2):
        ok = storefront.post(
            "/api/v1/marketplace/feedback/batch", {"feedback": rows}, format="json"
        )
        assert ok.status_code == 200
    assert Feedback.objects.count() == 3


def test_fb5_storefront_removal(storefront, order):
    storefront.post("/api/v1/marketplace/feedback", body(), format="json")
    assert storefront.delete("/api/v1/marketplace/feedback/F-1").status_code == 204
    assert Feedback.objects.get().removed_by == "buyer"
    assert storefront.delete("/api/v1/marketplace/feedback/nope").status_code == 404


def test_seller_api_lists_filters_replies_and_requests_removal(api, seller, marketplace):
    negative = FeedbackFactory(
        order=order_of(OfferFactory(seller=seller, marketplace=marketplace)),
        rating=1,
        comment="Write to me: angry@example.com",
    )
    FeedbackFactory(order=order_of(OfferFactory(seller=seller, marketplace=marketplace)))
    listed = api.get("/api/v1/feedback", {"kind": "negative"}).json()["payload"]
    assert [f["id"] for f in listed] == [negative.pk]
    reply = api.post(f"/api/v1/feedback/{negative.pk}/reply", {"text": "Sorry"}, format="json")
    assert reply.status_code == 201
    assert (
        api.get("/api/v1/feedback", {"hasReply": "true"}).json()["payload"][0]["reply"]["text"]
        == "Sorry"
    )
    removal = api.post(
        f"/api/v1/feedback/{negative.pk}/removalRequests",
        {"ground": "personal_info"},
        format="json",
    )
    assert removal.status_code == 201
    assert removal.json()["status"] == "removed"
    summary = api.get("/api/v1/feedback/summary", {"marketplace": "FR"}).json()
    assert summary["periods"][3]["total"] == 1
    assert api.get("/api/v1/feedback/summary", {"marketplace": "PL"}).status_code == 400


def test_seller_api_bad_inputs_store_nothing(api, seller, marketplace):
    feedback = FeedbackFactory(order=order_of(OfferFactory(seller=seller, marketplace=marketplace)))
    assert (
        api.post(f"/api/v1/feedback/{feedback.pk}/reply", {"text": ""}, format="json").status_code
        == 400
    )
    assert (
        api.post(
            f"/api/v1/feedback/{feedback.pk}/removalRequests", {"ground": "nope"}, format="json"
        ).status_code
        == 400
    )
    assert not FeedbackReply.objects.exists() and not RemovalRequest.objects.exists()


def test_ac1_another_accounts_feedback_is_404_everywhere(api, client, user, stranger, marketplace):
    theirs = FeedbackFactory(
        order=order_of(OfferFactory(seller=stranger.seller, marketplace=marketplace))
    )
    assert api.get(f"/api/v1/feedback/{theirs.pk}").status_code == 404
    assert (
        api.post(f"/api/v1/feedback/{theirs.pk}/reply", {"text": "x"}, format="json").status_code
        == 404
    )
    client.force_login(user)
    assert (
        client.post(reverse("feedback:reply", args=[theirs.pk]), {"text": "x"}).status_code == 404
    )
    assert not FeedbackReply.objects.exists()


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("feedback:reply", {"text": "   "}, "Write the reply first."),
        ("feedback:reply", {"text": "x" * 2001}, "A reply is at most 2000 characters."),
        (
            "feedback:request-removal",
            {"ground": "", "note": "x"},
            "Choose the ground of the request.",
        ),
        ("feedback:request-removal", {"ground": "nope"}, "Choose the ground of the request."),
    ],
)
def test_fb6_fb7_bad_page_input_says_what_the_api_says_and_stores_nothing(
    client, user, stranger, seller, marketplace, action, data, message
):
    """The forms clean what the browser posts; their errors are the services' own words."""
    mine = FeedbackFactory(order=order_of(OfferFactory(seller=seller, marketplace=marketplace)))
    theirs = FeedbackFactory(
        order=order_of(OfferFactory(seller=stranger.seller, marketplace=marketplace))
    )
    client.force_login(user)
    answer = client.post(reverse(action, args=[mine.pk]), data, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert client.post(reverse(action, args=[theirs.pk]), data).status_code == 404
    assert not FeedbackReply.objects.exists() and not RemovalRequest.objects.exists()


def test_fb8_manager_page_shows_summary_warning_and_list(client, user, seller, marketplace):
    for rating in (1, 1, 5):
        FeedbackFactory(
            order=order_of(OfferFactory(seller=seller, marketplace=marketplace)), rating=rating
        )
    client.force_login(user)
    page = client.get(reverse("feedback:manager"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="fb9-warning"' in html
    assert len(page.context["page"].object_list) == 3
    filtered = client.get(reverse("feedback:manager"), {"kind": "positive"})
    assert len(filtered.context["page"].object_list) == 1


def test_fb8_manager_page_runs_the_same_queries_for_1_and_30_rows(
    client, user, seller, marketplace
):
    client.force_login(user)

    def add_row():
        feedback = FeedbackFactory(
            order=order_of(OfferFactory(seller=seller, marketplace=marketplace)), rating=1
        )
        FeedbackReply.objects.create(feedback=feedback, seller=seller, text="Sorry")

    def fetch():
        assert client.get(reverse("feedback:manager"), {"marketplace": "FR"}).status_code == 200

    fetch()  # the first visit remembers the marketplace (UX-2)
    assert_constant_queries(add_row, fetch)


def test_feedback_api_list_runs_the_same_queries_for_1_and_30_rows(api, seller, marketplace):
    api.get("/api/v1/feedback")  # the token's first call also records its last use

    def add_row():
        FeedbackFactory(order=order_of(OfferFactory(seller=seller, marketplace=marketplace)))

    def fetch():
        assert api.get("/api/v1/feedback", {"pageSize": 100}).status_code == 200

    assert_constant_queries(add_row, fetch)


def test_fb9_warning_on_the_dashboard_home_only_for_feedback_viewers(client, seller, marketplace):
    from tests.factories import UserFactory

    for rating in (1, 5, 5):
        FeedbackFactory(
            order=order_of(OfferFactory(seller=seller, marketplace=marketplace)), rating=rating
        )
    viewer = UserFactory(seller=seller, feedback_access=1)
    client.force_login(viewer)
    html = client.get(reverse("dashboard:home")).content.decode()
    assert 'data-testid="home-feedback"' in html and "33.3%" in html
    assert "Your negative feedback rate is above 5%" in html
    client.force_login(UserFactory(seller=seller, feedback_access=0))
    assert (
        'data-testid="home-feedback"' not in client.get(reverse("dashboard:home")).content.decode()
    )


def test_feedback_serializer_fast_path_equals_drfs_own_output(seller, marketplace):
    """``FeedbackSerializer.to_representation`` is written out for speed (issue #8): for
    feedback with and without a reply, removed, struck through, with pending and decided
    removal requests, it gives exactly what DRF's field-by-field walk gives."""
    from rest_framework import serializers

    from feedback import selectors
    from feedback.api import FeedbackSerializer

    now = timezone.now()
    FeedbackFactory(order=order_of(OfferFactory(seller=seller, marketplace=marketplace)))
    busy = FeedbackFactory(
        order=order_of(OfferFactory(seller=seller, marketplace=marketplace)),
        rating=1,
        comment="Never arrived <b>at all</b>",
        arrived_on_time=False,
        item_as_described=None,
        removed_at=now,
        removed_by=Feedback.RemovedBy.MARKETPLACE,
        struck_through_at=now - timedelta(hours=1),
    )
    deleted = FeedbackFactory(order=order_of(OfferFactory(seller=seller, marketplace=marketplace)))
    FeedbackReply.objects.create(feedback=busy, seller=seller, text="Sorry!")
    FeedbackReply.objects.create(feedback=deleted, seller=seller, text="Gone", deleted_at=now)
    RemovalRequest.objects.create(feedback=busy, seller=seller, ground="abusive", note="x")
    RemovalRequest.objects.create(
        feedback=busy,
        seller=seller,
        ground="product_review",
        status=RemovalRequest.Status.REMOVED,
        decided_at=now,
        automatic=True,
        decision_reason="A product review.",
    )
    rows = list(selectors.feedback_of_seller(seller_id=seller.pk).only(*FeedbackSerializer.columns))
    assert len(rows) == 3
    for feedback in rows:
        fast = FeedbackSerializer(feedback).data
        walked = serializers.ModelSerializer.to_representation(FeedbackSerializer(), feedback)
        assert fast == walked
