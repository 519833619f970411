"""FB-7 for marketplace staff: the moderation queue, overdue highlighted, decisions in bulk."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback import services
from feedback.models import AbusiveWord, RemovalRequest
from tests.factories import OfferFactory, order_of

from .factories import FeedbackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(user, seller, marketplace):
    requests = []
    for n in range(2):
        feedback = FeedbackFactory(
            order=order_of(OfferFactory(seller=seller, marketplace=marketplace)),
            rating=1,
            comment=f"Pas content {n}",
        )
        requests.append(
            services.request_feedback_removal(user=user, feedback_id=feedback.pk, ground="abusive")
        )
    RemovalRequest.objects.filter(pk=requests[0].pk).update(
        requested_at=timezone.now() - timedelta(days=4)
    )
    return requests


def test_fb7_queue_highlights_overdue_requests(admin_client, pending):
    page = admin_client.get(reverse("admin:feedback_removalrequest_changelist"))
    assert page.status_code == 200
    assert page.content.decode().count("(overdue)") == 1
    overdue = admin_client.get(
        reverse("admin:feedback_removalrequest_changelist"), {"overdue": "yes"}
    )
    assert len(overdue.context["cl"].result_list) == 1


def test_fb7_staff_decline_in_bulk_with_a_reason(admin_client, pending):
    response = admin_client.post(
        reverse("admin:feedback_removalrequest_changelist"),
        {
            "action": "decline",
            "_selected_action": [r.pk for r in pending],
            "reason": "The comment follows the guidelines.",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert set(RemovalRequest.objects.values_list("status", flat=True)) == {"declined"}
    assert RemovalRequest.objects.filter(decision_reason__startswith="The comment").count() == 2


def test_fb7_staff_decline_without_a_reason_changes_nothing(admin_client, pending):
    admin_client.post(
        reverse("admin:feedback_removalrequest_changelist"),
        {"action": "decline", "_selected_action": [r.pk for r in pending], "reason": ""},
    )
    assert set(RemovalRequest.objects.values_list("status", flat=True)) == {"pending"}


def test_fb7_staff_remove_in_bulk(admin_client, pending):
    admin_client.post(
        reverse("admin:feedback_removalrequest_changelist"),
        {"action": "remove", "_selected_action": [r.pk for r in pending]},
    )
    assert set(RemovalRequest.objects.values_list("status", flat=True)) == {"removed"}
    assert all(r.feedback.removed_by == "marketplace" for r in RemovalRequest.objects.all())


def test_fb7_word_list_is_editable_data_per_language(admin_client, user, seller, marketplace):
    assert set(AbusiveWord.objects.values_list("language", flat=True)) >= {"en", "fr", "pl"}
    admin_client.post(reverse("admin:feedback_abusiveword_add"), {"language": "fr", "word": "zozo"})
    feedback = FeedbackFactory(
        order=order_of(OfferFactory(seller=seller, marketplace=marketplace)),
        rating=1,
        comment="Quel zozo ce vendeur",
    )
    request = services.request_feedback_removal(
        user=user, feedback_id=feedback.pk, ground="abusive"
    )
    assert request.status == "removed"
