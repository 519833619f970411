"""MS-4, MS-2, MS-3, CS-*: a seller opens a late conversation and replies; the buyer's "yes",
sent through the storefront API, shows in the rating page after the weekly recompute."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from messaging.models import Conversation, Message, Survey
from sellercx.models import PolicySetting
from tests.conftest import client_with, marketplace_token
from tests.factories import BuyerFactory, MarketplaceFactory, SellerAccountFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_seller_answers_a_late_message_and_the_buyers_yes_reaches_the_rating(sign_in, live_server):
    fr = MarketplaceFactory(code="FR")
    seller = SellerAccountFactory(name="Northwind", marketplaces=[fr])
    UserFactory(seller=seller, email="owner@northwind.example", name="Ava Owner")
    PolicySetting.objects.update_or_create(
        key="messaging.cs_rating_min_answers", defaults={"value": 1}
    )
    conversation = Conversation.objects.create(
        seller=seller,
        marketplace=fr,
        buyer=BuyerFactory(marketplace=fr),
        subject="Colis en retard",
    )
    Message.objects.create(
        conversation=conversation,
        seller=seller,
        marketplace=fr,
        direction="buyer",
        body="Mon colis n'est toujours pas arrivé.",
        sent_at=timezone.now() - timedelta(hours=30),
    )

    page = sign_in("owner@northwind.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    late = page.get_by_test_id("conversation").filter(has_text="Colis en retard")
    expect(late).to_contain_text("Late: waiting")
    late.get_by_role("link", name="Colis en retard").click()
    page.get_by_label("Your reply").fill("Désolés ! Il est parti hier, voici le suivi : 1Z999.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_test_id("message").last).to_contain_text("Asked “Did this resolve")

    # The buyer answers "yes" on the storefront, which sends it through the API.
    survey = Survey.objects.get()
    storefront = client_with(marketplace_token(fr))
    response = storefront.post(
        "/api/v1/marketplace/surveyAnswers",
        {"answers": [{"answerId": "ANS-1", "surveyId": survey.pk, "answer": "yes"}]},
        format="json",
    )
    assert response.status_code == 200

    # Monday's recompute (SC-1) picks it up.
    with time_machine.travel(timezone.now() + timedelta(days=7), tick=False):
        call_command("run_recompute", "cs-rating", "--quiet")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    page.get_by_role("link", name="Customer-service rating").click()
    expect(page.get_by_test_id("cs-rating")).to_contain_text("10.0")
    expect(page.get_by_test_id("cs-rating")).to_contain_text("Keep it up")
