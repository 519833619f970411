"""MS-2, MS-3, MS-5 and RV-7 in messaging: replies carry the survey (proactive messages do not),
buyers answer once, "no response needed", and the guidelines check on seller text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from messaging import services
from messaging.models import Conversation, Message, Survey
from messaging.selectors import response_times
from sellercx.errors import NotFound, PermissionDenied, RuleViolation
from tests.factories import BuyerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(seller, marketplace):
    return Conversation.objects.create(
        seller=seller, marketplace=marketplace, buyer=BuyerFactory(marketplace=marketplace)
    )


def buyer_writes(conversation, body="Where is my parcel?"):
    return Message.objects.create(
        conversation=conversation,
        seller=conversation.seller,
        marketplace=conversation.marketplace,
        direction="buyer",
        body=body,
    )


def test_ms2_proactive_message_has_no_survey_a_reply_has_one(user, conversation):
    proactive = services.reply_to_conversation(
        user=user, conversation_id=conversation.pk, body="Your parcel left today."
    )
    assert not Survey.objects.filter(message=proactive).exists()
    buyer_writes(conversation)
    reply = services.reply_to_conversation(
        user=user, conversation_id=conversation.pk, body="It arrives tomorrow."
    )
    assert Survey.objects.get().message == reply


def test_ms3_buyer_answers_once_idempotent_on_the_answer_id(storefront, user, conversation):
    buyer_writes(conversation)
    services.reply_to_conversation(user=user, conversation_id=conversation.pk, body="Done.")
    survey = Survey.objects.get()
    body = {"answers": [{"answerId": "A1", "surveyId": survey.pk, "answer": "no"}]}
    assert (
        storefront.post("/api/v1/marketplace/surveyAnswers", body, format="json").status_code == 200
    )
    assert (
        storefront.post("/api/v1/marketplace/surveyAnswers", body, format="json").status_code == 200
    )
    second = {"answers": [{"answerId": "A2", "surveyId": survey.pk, "answer": "yes"}]}
    response = storefront.post("/api/v1/marketplace/surveyAnswers", second, format="json")
    assert response.status_code == 409
    survey.refresh_from_db()
    assert (survey.answer, survey.answer_external_id) == ("no", "A1")


def test_ms3_unknown_survey_or_bad_answer_stores_nothing(storefront):
    for answer in (
        {"answerId": "A", "surveyId": 999, "answer": "yes"},
        {"answerId": "A", "surveyId": 1, "answer": "maybe"},
    ):
        response = storefront.post(
            "/api/v1/marketplace/surveyAnswers", {"answers": [answer]}, format="json"
        )
        assert response.status_code in (400, 404)
    assert not Survey.objects.exclude(answer="").exists()


def test_ms2_outbox_gives_the_storefront_each_reply_with_its_survey(storefront, user, conversation):
    buyer_writes(conversation)
    services.reply_to_conversation(user=user, conversation_id=conversation.pk, body="Done.")
    payload = storefront.get("/api/v1/marketplace/outbox").json()["payload"]
    assert payload[0]["surveyId"] == Survey.objects.get().pk
    assert payload[0]["buyerId"] == conversation.buyer.external_id


def test_ms5_no_response_needed(user, conversation, stranger):
    message = buyer_writes(conversation, "Thanks!")
    services.mark_no_response_needed(user=user, message_id=message.pk)
    message.refresh_from_db()
    assert message.no_response_needed_at is not None
    with pytest.raises(NotFound):
        services.mark_no_response_needed(user=stranger, message_id=message.pk)


def test_rv7_a_reply_asking_to_change_a_review_is_refused(user, conversation):
    buyer_writes(conversation)
    with pytest.raises(RuleViolation) as refused:
        services.reply_to_conversation(
            user=user,
            conversation_id=conversation.pk,
            body="Nous vous remboursons si vous supprimez votre avis négatif.",
        )
    assert refused.value.code == "CommunicationGuidelines"
    assert not Message.objects.filter(direction="seller").exists()


def test_replies_need_edit_and_the_own_account(seller, conversation, stranger):
    viewer = UserFactory(seller=seller, messages_access=1)
    with pytest.raises(PermissionDenied):
        services.reply_to_conversation(user=viewer, conversation_id=conversation.pk, body="x")
    with pytest.raises(NotFound):
        services.reply_to_conversation(user=stranger, conversation_id=conversation.pk, body="x")
    assert not Message.objects.exists()


def test_reply_form_and_api(client, api, user, conversation):
    buyer_writes(conversation)
    client.force_login(user)
    url = reverse("messaging:conversation", args=[conversation.pk])
    assert client.post(url, {"body": "On its way!"}).status_code == 302
    refused = client.post(url, {"body": "Please leave us a 5-star review"})
    assert refused.status_code == 422
    assert "5-star review" in refused.content.decode()  # the draft is kept
    assert client.post(url, {"body": ""}).status_code == 400
    response = api.post(
        f"/api/v1/conversations/{conversation.pk}/messages",
        {"body": "Anything else?"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["surveyId"]
    assert Message.objects.filter(direction="seller").count() == 2


NOW = datetime(2026, 11, 18, 12, tzinfo=UTC)  # a fixed point: no test reads the clock


def written(conversation, direction, hours_ago, body="x"):
    return Message.objects.create(
        conversation=conversation,
        seller=conversation.seller,
        marketplace=conversation.marketplace,
        direction=direction,
        body=body,
        sent_at=NOW - timedelta(hours=hours_ago),
    )


def test_ms5_response_time_share_late_and_average(user, conversation, seller, marketplace):
    written(conversation, "seller", 100)  # proactive: never a response to anything
    written(conversation, "buyer", 90)
    written(conversation, "seller", 80)  # answered in 10 h: on time
    written(conversation, "buyer", 75)
    written(conversation, "buyer", 45)  # both answered by the next: 40 h late, 10 h on time
    written(conversation, "seller", 35)
    thanks = written(conversation, "buyer", 30, "Thanks!")  # unanswered, needs no answer
    written(conversation, "buyer", 5)  # 5 h old, not answered yet: not due
    with time_machine.travel(NOW, tick=False):
        services.mark_no_response_needed(user=user, message_id=thanks.pk)
    seven = response_times(seller_id=seller.pk, marketplace_id=marketplace.pk, now=NOW)[0]
    assert (seven["due"], seven["on_time"], seven["late"]) == (3, 2, 1)
    assert seven["percent"] == Decimal("66.7") and not seven["meets_target"]
    assert seven["average_hours"] == Decimal("20.0")  # (10 + 40 + 10) / 3


def test_ms5_ux6_no_response_needed_agrees_everywhere_at_once(
    client, api, user, conversation, seller, marketplace
):
    """UX-6: the marked "thank you" leaves the awaiting list and stops being late on the inbox
    page, in the API and in the response times, all at once."""
    conversation.subject = "Colis reçu"
    conversation.save()
    written(conversation, "buyer", 60, "Where is it?")
    written(conversation, "seller", 50, "Here is the tracking.")
    thanks = written(conversation, "buyer", 30, "Got it, thanks!")
    other = Conversation.objects.create(
        seller=seller, marketplace=marketplace, buyer=BuyerFactory(marketplace=marketplace)
    )
    written(other, "buyer", 2, "A question")  # awaiting, not late
    client.force_login(user)

    def seen() -> tuple:
        with time_machine.travel(NOW, tick=False):
            html = client.get(reverse("messaging:inbox")).content.decode()
            rows = api.get("/api/v1/conversations").json()["payload"]
            late = response_times(seller_id=seller.pk, marketplace_id=marketplace.pk)[0]["late"]
        row = next(r for r in rows if r["id"] == conversation.pk)
        first_row = html.split('data-testid="conversation"')[1]
        return ("Colis reçu" in first_row, row["awaitingReply"], row["late"], late)

    assert seen() == (True, True, True, 1)  # first, awaiting, late (30 h) everywhere
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            reverse("messaging:conversation", args=[conversation.pk]),
            {"no_response_needed": thanks.pk},
        )
    assert response.status_code == 302
    assert seen() == (False, False, False, 0)


def test_ms5_an_answered_or_marked_message_offers_no_no_response_needed(client, user, conversation):
    answered = written(conversation, "buyer", 60, "Where is it?")
    written(conversation, "seller", 50, "Here is the tracking.")
    marked = written(conversation, "buyer", 40, "Thanks!")
    open_question = written(conversation, "buyer", 30, "And the invoice?")
    Message.objects.filter(pk=marked.pk).update(no_response_needed_at=NOW)
    client.force_login(user)
    html = client.get(reverse("messaging:conversation", args=[conversation.pk])).content.decode()
    assert f'name="no_response_needed" value="{open_question.pk}"' in html
    assert f'value="{answered.pk}"' not in html and f'value="{marked.pk}"' not in html
    assert html.count("Marked: no response needed") == 1


def test_ms5_marking_an_answered_message_is_refused(user, api, conversation):
    answered = written(conversation, "buyer", 60, "Where is it?")
    written(conversation, "seller", 50, "Here is the tracking.")
    with pytest.raises(RuleViolation) as refused:
        services.mark_no_response_needed(user=user, message_id=answered.pk)
    assert refused.value.code == "AlreadyAnswered"
    response = api.post(f"/api/v1/messages/{answered.pk}/noResponseNeeded")
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "AlreadyAnswered"
    answered.refresh_from_db()
    assert answered.no_response_needed_at is None


def test_ms5_marking_is_idempotent_and_needs_edit(seller, user, conversation):
    thanks = written(conversation, "buyer", 10, "Thanks!")
    with time_machine.travel(NOW, tick=False):
        services.mark_no_response_needed(user=user, message_id=thanks.pk)
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        services.mark_no_response_needed(user=user, message_id=thanks.pk)
    thanks.refresh_from_db()
    assert thanks.no_response_needed_at == NOW
    viewer = UserFactory(seller=seller, messages_access=1)
    with pytest.raises(PermissionDenied):
        services.mark_no_response_needed(user=viewer, message_id=thanks.pk)


def test_ms4_inbox_flags_conversations_waiting_more_than_24_hours(client, user, conversation):
    written(conversation, "buyer", 30)
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        html = client.get(reverse("messaging:inbox")).content.decode()
    assert "Late: waiting 1\xa0day, 6\xa0hours" in html


def test_ms5_response_time_api(api):
    body = api.get("/api/v1/contactResponseTime", {"marketplace": "FR"}).json()
    assert [p["days"] for p in body] == [7, 30, 90]
    assert body[0]["percent"] is None and body[0]["target"] == "90.00"
    assert api.get("/api/v1/contactResponseTime", {"marketplace": "ZZ"}).status_code == 400


def test_ms4_read_on_open_and_mark_unread(client, user, conversation):
    message = buyer_writes(conversation)
    client.force_login(user)
    url = reverse("messaging:conversation", args=[conversation.pk])
    client.get(url)
    message.refresh_from_db()
    assert message.read_at is not None
    assert client.post(url, {"mark_unread": "1"}).status_code == 302
    message.refresh_from_db()
    assert message.read_at is None


def test_ac1_mark_unread_on_another_accounts_conversation_is_404(client, stranger, conversation):
    """#20: it answered "Marked as unread." (302) and changed nothing; now it is not found."""
    message = buyer_writes(conversation)
    message.read_at = message.sent_at
    message.save(update_fields=["read_at"])
    client.force_login(stranger)
    url = reverse("messaging:conversation", args=[conversation.pk])
    assert client.post(url, {"mark_unread": "1"}).status_code == 404
    message.refresh_from_db()
    assert message.read_at is not None
