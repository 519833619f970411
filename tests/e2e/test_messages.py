"""MS-4, MS-2, MS-3, CS-*: a seller opens a late conversation and replies; the buyer's "yes",
sent through the storefront API, shows in the rating page after the weekly recompute. UX-6: a
"thank you" marked "no response needed" leaves the awaiting list; the reply box and its button;
mark as unread; UX-5: "Contact the buyer"; UX-7: the rating chart's weeks not rated."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from messaging.models import Conversation, CustomerServiceRating, Message, Survey
from sellercx.models import PolicySetting
from tests.conftest import client_with, marketplace_token
from tests.e2e.conftest import BOTH_WIDTHS
from tests.factories import (
    BuyerFactory,
    MarketplaceFactory,
    OfferFactory,
    SellerAccountFactory,
    UserFactory,
    order_of,
)

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


def northwind():
    fr = MarketplaceFactory(code="FR")
    seller = SellerAccountFactory(name="Northwind", marketplaces=[fr])
    UserFactory(seller=seller, email="owner@northwind.example", name="Ava Owner")
    return seller, fr


def conversation_with(seller, marketplace, subject, *steps, order=None) -> Conversation:
    """A conversation with messages ``(direction, body, hours ago)``, read by the seller."""
    now = timezone.now()
    conversation = Conversation.objects.create(
        seller=seller,
        marketplace=marketplace,
        buyer=order.buyer if order else BuyerFactory(marketplace=marketplace),
        order=order,
        subject=subject,
        last_message_at=now - timedelta(hours=min(h for _, _, h in steps)),
    )
    for direction, body, hours in steps:
        Message.objects.create(
            conversation=conversation,
            seller=seller,
            marketplace=marketplace,
            direction=direction,
            body=body,
            sent_at=now - timedelta(hours=hours),
            read_at=now if direction == "buyer" else None,
        )
    return conversation


def open_messages(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    return page.get_by_test_id("conversation")


@BOTH_WIDTHS
def test_ux6_a_thank_you_marked_no_response_needed_leaves_the_awaiting_list(
    sign_in, live_server, width
):
    seller, fr = northwind()
    conversation_with(
        seller,
        fr,
        "Colis reçu",
        ("buyer", "Où est mon colis ?", 50),
        ("seller", "Voici le suivi : 1Z999.", 40),
        ("buyer", "Reçu, merci beaucoup !", 30),
    )
    conversation_with(seller, fr, "Question taille", ("buyer", "Taille M ou L ?", 2))

    page = sign_in("owner@northwind.example")
    rows = open_messages(page)
    expect(rows.first).to_contain_text("Colis reçu")  # the longest waiting first
    expect(rows.first).to_contain_text("Late: waiting")
    rows.first.get_by_role("link", name="Colis reçu").click()

    page.get_by_role("button", name="No response needed").click()
    expect(page.get_by_role("status")).to_contain_text("Marked: no response needed.")
    thanks = page.get_by_test_id("message").filter(has_text="Reçu, merci beaucoup")
    expect(thanks).to_contain_text("Marked: no response needed")
    expect(page.get_by_role("button", name="No response needed")).to_have_count(0)

    page.get_by_role("link", name="← Messages").click()
    rows = page.get_by_test_id("conversation")
    expect(rows.first).to_contain_text("Question taille")
    done = rows.filter(has_text="Colis reçu")
    expect(done.get_by_test_id("no-response-needed")).to_have_text("Marked: no response needed")
    expect(done).not_to_contain_text("Late")
    expect(page.get_by_text("Late: waiting")).to_have_count(0)


@BOTH_WIDTHS
def test_ms2_the_seller_replies_with_the_button_under_the_box(sign_in, live_server, width):
    seller, fr = northwind()
    conversation_with(seller, fr, "Couleur", ("buyer", "Existe-t-il en bleu ?", 3))

    page = sign_in("owner@northwind.example")
    open_messages(page).first.get_by_role("link", name="Couleur").click()
    thread = page.locator("#thread").bounding_box()
    box = page.get_by_label("Your reply")
    hint = page.get_by_text("The buyer is asked “Did this resolve your issue?”")
    button = page.get_by_role("button", name="Send reply")
    box.fill("Oui, en bleu marine : il est en stock.")
    # The box spans the thread (less the form's padding); its hint and button are under it.
    area = box.bounding_box()
    assert area["width"] >= thread["width"] - 50, (area, thread)
    assert area["x"] + area["width"] <= thread["x"] + thread["width"] + 1
    bottom = area["y"] + area["height"]
    assert hint.bounding_box()["y"] >= bottom and button.bounding_box()["y"] >= bottom
    button.click()
    sent = page.get_by_test_id("message").filter(has_text="en bleu marine")
    expect(sent).to_contain_text("Asked “Did this resolve your issue?”")
    expect(page.get_by_label("Your reply")).to_have_value("")


@BOTH_WIDTHS
def test_ms4_the_seller_keeps_a_conversation_for_later(sign_in, live_server, width):
    seller, fr = northwind()
    conversation_with(seller, fr, "Facture", ("buyer", "Pouvez-vous m'envoyer la facture ?", 4))

    page = sign_in("owner@northwind.example")
    rows = open_messages(page)
    rows.first.get_by_role("link", name="Facture").click()
    expect(page.get_by_test_id("message")).to_contain_text("la facture")
    page.get_by_role("button", name="Mark as unread").click()
    expect(page.get_by_role("status")).to_contain_text("Marked as unread.")
    expect(page.get_by_test_id("conversation").filter(has_text="Facture")).to_contain_text(
        "1 unread"
    )


@BOTH_WIDTHS
def test_ux5_the_seller_contacts_the_buyer_of_an_order(sign_in, live_server, width):
    seller, fr = northwind()
    order = order_of(OfferFactory(seller=seller, marketplace=fr), external_id="402-7777777-0000001")

    page = sign_in("owner@northwind.example")
    page.goto(f"{live_server.url}/dashboard/messages/orders/{order.pk}/contact/")
    section = page.locator("#contact-buyer")
    section.get_by_label("Subject").fill("Votre commande 402-7777777")
    section.get_by_label("Message").fill("Laissez-nous un avis 5 étoiles et recevez un cadeau !")
    section.get_by_role("button", name="Send message").click()
    expect(section.get_by_role("alert")).to_be_visible()  # RV-7, beside the form
    expect(section.get_by_label("Message")).to_have_value(
        "Laissez-nous un avis 5 étoiles et recevez un cadeau !"
    )  # the draft is kept

    section.get_by_label("Message").fill("Votre colis partira demain matin, avec un jour d'avance.")
    section.get_by_role("button", name="Send message").click()
    expect(section.get_by_role("status")).to_have_text("Your message is sent to the buyer.")
    expect(section.get_by_test_id("contact-refusal")).to_contain_text("one unsolicited contact")
    section.get_by_role("link", name="Open the conversation").click()
    sent = page.get_by_test_id("message").filter(has_text="partira demain")
    expect(sent).to_contain_text("Proactive message: no survey")


def test_ux7_the_rating_chart_leaves_the_weeks_not_rated_as_gaps(sign_in, live_server):
    from datetime import date

    seller, fr = northwind()
    monday = date(2026, 11, 2)
    for weeks, answers, value in ((2, 45, "8.2"), (1, 12, "2.5"), (0, 50, "8.6")):
        CustomerServiceRating.objects.create(
            seller=seller,
            marketplace=fr,
            week_start=monday - timedelta(weeks=weeks),
            answers=answers,
            yes_answers=answers // 2,
            value=value,
        )

    page = sign_in("owner@northwind.example")
    open_messages(page)
    page.get_by_role("link", name="Customer-service rating").click()
    canvas = page.locator("canvas[data-chart='cs-history']")
    expect(canvas).to_be_visible()
    # The canvas shows before the deferred Chart.js has run: wait for the chart itself.
    page.wait_for_function(
        """() => window.Chart && Chart.getChart(document.querySelector("canvas[data-chart]"))"""
    )
    datasets = page.evaluate(
        """() => Chart.getChart(document.querySelector("canvas[data-chart]")).data.datasets
               .map((d) => ({label: d.label, data: d.data}))"""
    )
    assert datasets[0]["data"] == [8.2, None, 8.6]  # no value drawn for the week not rated
    assert datasets[1]["label"] == "Not enough responses (fewer than 40): not rated"
    assert datasets[1]["data"][1] is not None and datasets[1]["data"][0] is None
    page.get_by_text("Weekly values").click()
    expect(page.get_by_test_id("cs-history-table")).to_contain_text("Not enough responses")
