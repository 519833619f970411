"""MS-2, MS-3, MS-5 and RV-7 in messaging: replies carry the survey (proactive messages do not),
buyers answer once, "no response needed", and the guidelines check on seller text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from messaging import services
from messaging.models import Conversation, Message, Survey
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


def test_ms5_response_time_share_late_and_average(user, conversation, seller, marketplace):
    from datetime import timedelta

    from django.utils import timezone

    from messaging.selectors import response_times

    now = timezone.now()

    def write(direction, hours_ago, body="x"):
        return Message.objects.create(
            conversation=conversation,
            seller=seller,
            marketplace=marketplace,
            direction=direction,
            body=body,
            sent_at=now - timedelta(hours=hours_ago),
        )

    write("seller", 100)  # proactive: never a response to anything
    write("buyer", 80)
    write("seller", 70)  # answered in 10 h: on time
    write("buyer", 60)
    write("seller", 20)  # answered in 40 h: late
    thanks = write("buyer", 50, "Thanks!")  # answered by the same 20 h message: on time
    write("buyer", 30)  # no answer after 30 h... answered at 20 h ago: 10 h, on time
    write("buyer", 5)  # 5 h old, not answered yet: not due
    services.mark_no_response_needed(user=user, message_id=thanks.pk)
    seven = response_times(seller_id=seller.pk, marketplace_id=marketplace.pk)[0]
    assert (seven["due"], seven["on_time"], seven["late"]) == (3, 2, 1)
    assert seven["percent"] == Decimal("66.7") and not seven["meets_target"]
    assert seven["average_hours"] == Decimal("20.0")  # (10 + 40 + 10) / 3


def test_ms4_inbox_flags_conversations_waiting_more_than_24_hours(client, user, conversation):
    from datetime import timedelta

    from django.utils import timezone

    message = buyer_writes(conversation)
    Message.objects.filter(pk=message.pk).update(sent_at=timezone.now() - timedelta(hours=30))
    client.force_login(user)
    html = client.get(reverse("messaging:inbox")).content.decode()
    assert "Late: waiting 1" in html  # "1 day, 6 hours"


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
