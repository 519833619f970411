"""The bad-input matrix (issue #9): one row per kind of bad input, on the API and on the
dashboard's forms. Each row: a clear error (status, code, the field named) and nothing stored;
or, for text that is merely odd, stored verbatim and shown literally (escaped)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from feedback.models import Feedback, FeedbackReply
from messaging.models import Message
from reviews.models import Review
from sellercx.models import ApiToken, Order
from tests.factories import OfferFactory, ProductFactory, ReasonCodeFactory, order_of
from tests.reviews.factories import represented_brand
from tests.tenancy import _conversation, _feedback

pytestmark = pytest.mark.django_db

# The rows below happened in January 2026 and a date in the future is refused (#9): the tests
# run a month after, whatever the machine's clock says.
NOW = datetime(2026, 2, 2, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=True):
        yield


FEEDBACK = "/api/v1/marketplace/feedback"
ORDERS = "/api/v1/marketplace/orders"

SCRIPT = "<script>alert('xss')</script>"
IMG = '<img src=x onerror="alert(1)">'
TRICKY_TEXTS = {
    "unicode": "Très bien — Zażółć gęślą jaźń, 日本語, עברית, e\u0301",
    "emoji": "Great 😀👍🏽 family 👨‍👩‍👧‍👦 flag 🇫🇷",
    "sql": "'; DROP TABLE feedback_feedback; --",
    "sql-union": "1' OR '1'='1' UNION SELECT password FROM sellercx_user --",
    "template-var": "{{ 7*7 }} {{ request.user.password }}",
    "template-tag": "{% debug %}{% load static %}",
    "html": SCRIPT + IMG,
}


@pytest.fixture
def order(seller, marketplace):
    return order_of(OfferFactory(seller=seller, marketplace=marketplace), external_id="402-7")


def feedback_body(**extra) -> dict:
    return {"feedbackId": "F-1", "orderId": "402-7", "rating": 2, "comment": "Slow", **extra}


def order_body(seller, **extra) -> dict:
    row = {
        "orderId": "O-1",
        "sellerId": seller.pk,
        "buyerId": "B-1",
        "status": "shipped",
        "fulfilmentChannel": "merchant",
        "purchaseDate": "2026-01-05T10:00:00Z",
        "lines": [
            {"sku": "SKU-X", "quantity": 1, "unitPrice": {"amount": "9.99", "currencyCode": "EUR"}}
        ],
    }
    row.update(extra)
    return {"orders": [row]}


def errors_of(response) -> list[dict]:
    body = response.json()
    assert set(body) == {"errors"}, body
    return body["errors"]


# ---- API: feedback from the storefront, one row per kind of bad input -------------------------

FUTURE = (NOW + timedelta(days=2)).isoformat()

# (row id, raw body or dict, content type, status, code, field named in details or None)
API_ROWS = [
    ("malformed-json", '{"feedbackId": "F-1", "rating": ', None, 400, "InvalidInput", None),
    ("truncated-json", '{"feedbackId": "F-1"', None, 400, "InvalidInput", None),
    ("not-utf8", b'{"comment": "\xff\xfe"}', None, 400, "InvalidInput", None),
    ("deeply-nested", "[" * 100_000 + "]" * 100_000, None, 400, "InvalidInput", None),
    ("not-json", "rating=2", "application/x-www-form-urlencoded", 415, None, None),
    ("json-list", "[1, 2]", None, 400, "InvalidInput", None),
    ("json-string", '"hello"', None, 400, "InvalidInput", None),
    ("empty-object", {}, None, 400, "InvalidInput", "feedbackId"),
    ("missing-order", {"feedbackId": "F-1", "rating": 2}, None, 400, "InvalidInput", "orderId"),
    ("rating-string", feedback_body(rating="five"), None, 400, "InvalidInput", "rating"),
    ("rating-float", feedback_body(rating=2.5), None, 400, "InvalidInput", "rating"),
    ("rating-bool", feedback_body(rating=True), None, 400, "InvalidInput", "rating"),
    ("rating-null", feedback_body(rating=None), None, 400, "InvalidInput", "rating"),
    ("rating-list", feedback_body(rating=[2]), None, 400, "InvalidInput", "rating"),
    ("stars-0", feedback_body(rating=0), None, 400, "InvalidInput", "rating"),
    ("stars-6", feedback_body(rating=6), None, 400, "InvalidInput", "rating"),
    ("stars-negative", feedback_body(rating=-1), None, 400, "InvalidInput", "rating"),
    ("stars-huge", feedback_body(rating=10**40), None, 400, "InvalidInput", "rating"),
    ("comment-object", feedback_body(comment={"a": 1}), None, 400, "InvalidInput", "comment"),
    ("flag-string", feedback_body(promptService="maybe"), None, 400, "InvalidInput", None),
    ("unknown-field", feedback_body(ratting=5), None, 400, "InvalidInput", "ratting"),
    ("unknown-camel", feedback_body(sellerNote="x"), None, 400, "InvalidInput", "sellerNote"),
    ("nul-in-comment", feedback_body(comment="bad\u0000byte"), None, 400, "InvalidInput", None),
    ("nul-in-id", feedback_body(feedbackId="F\u00001"), None, 400, "InvalidInput", None),
    ("nul-in-key", {**feedback_body(), "x\u0000": 1}, None, 400, "InvalidInput", None),
    ("comment-too-long", feedback_body(comment="x" * 100_000), None, 400, "InvalidInput", None),
    ("id-too-long", feedback_body(feedbackId="F" * 65), None, 400, "InvalidInput", "feedbackId"),
]


@pytest.mark.parametrize(
    ("raw", "content_type", "status", "code", "field"),
    [row[1:] for row in API_ROWS],
    ids=[row[0] for row in API_ROWS],
)
def test_api_bad_feedback_is_refused_and_nothing_stored(
    storefront, order, raw, content_type, status, code, field
):
    data = raw if isinstance(raw, str | bytes) else json.dumps(raw)
    response = storefront.generic(
        "POST", FEEDBACK, data, content_type=content_type or "application/json"
    )
    assert response.status_code == status, response.content
    errors = errors_of(response)
    assert errors[0]["message"]
    if code:
        assert errors[0]["code"] == code
    if field:
        assert field in [e["details"] for e in errors], errors
    assert Feedback.objects.count() == 0


# ---- API: orders (nested rows, money, dates) -----------------------------------------------

ORDER_ROWS = [
    (
        "unknown-nested",
        {"lines": [{"sku": "S", "quantity": 1, "unitPrice": {"amount": "1"}, "colour": "red"}]},
        "orders[0].lines[0].colour",
    ),  # noqa: E501
    (
        "money-object-amount",
        {"lines": [{"sku": "S", "quantity": 1, "unitPrice": {"amount": {}}}]},
        "orders[0].lines[0].unitPrice",
    ),  # noqa: E501
    (
        "money-not-number",
        {"lines": [{"sku": "S", "quantity": 1, "unitPrice": {"amount": "ten"}}]},
        "orders[0].lines[0].unitPrice",
    ),  # noqa: E501
    (
        "money-nan",
        {"lines": [{"sku": "S", "quantity": 1, "unitPrice": {"amount": "NaN"}}]},
        "orders[0].lines[0].unitPrice",
    ),  # noqa: E501
    (
        "money-bool",
        {"lines": [{"sku": "S", "quantity": 1, "unitPrice": {"amount": True}}]},
        "orders[0].lines[0].unitPrice",
    ),  # noqa: E501
    (
        "money-negative",
        {"lines": [{"sku": "S", "quantity": 1, "unitPrice": {"amount": "-1"}}]},
        "orders[0].lines[0].unitPrice",
    ),  # noqa: E501
    (
        "money-huge",
        {"lines": [{"sku": "S", "quantity": 1, "unitPrice": {"amount": "1e12"}}]},
        "orders[0].lines[0].unitPrice",
    ),  # noqa: E501
    (
        "quantity-0",
        {"lines": [{"sku": "S", "quantity": 0, "unitPrice": {"amount": "1"}}]},
        "orders[0].lines[0].quantity",
    ),  # noqa: E501
    ("no-lines", {"lines": []}, "orders[0].lines"),
    ("lines-not-list", {"lines": {"sku": "S"}}, "orders[0].lines"),
    ("seller-id-string", {"sellerId": "abc"}, "orders[0].sellerId"),
    ("status-unknown", {"status": "teleported"}, "orders[0].status"),
    ("date-year-0", {"purchaseDate": "0000-01-01T00:00:00Z"}, "orders[0].purchaseDate"),
    ("date-year-1", {"purchaseDate": "0001-01-01T00:00:00+14:00"}, "orders[0].purchaseDate"),
    ("date-1999", {"purchaseDate": "1999-12-31T23:59:59Z"}, "orders[0].purchaseDate"),
    ("date-year-9999", {"purchaseDate": "9999-12-31T23:59:59Z"}, "orders[0].purchaseDate"),
    ("date-future", {"purchaseDate": FUTURE}, "orders[0].purchaseDate"),
    ("date-not-a-date", {"purchaseDate": "yesterday"}, "orders[0].purchaseDate"),
    ("date-feb-30", {"purchaseDate": "2026-02-30T00:00:00Z"}, "orders[0].purchaseDate"),
    ("date-number", {"purchaseDate": 1700000000}, "orders[0].purchaseDate"),
    ("delivered-future", {"deliveredAt": FUTURE}, "orders[0].deliveredAt"),
]


@pytest.mark.parametrize(
    ("change", "field"), [row[1:] for row in ORDER_ROWS], ids=[row[0] for row in ORDER_ROWS]
)
def test_api_bad_order_rows_are_400_naming_the_field_and_nothing_stored(
    storefront, seller, marketplace, change, field
):
    OfferFactory(seller=seller, marketplace=marketplace, sku="S")
    body = order_body(seller, **change)
    response = storefront.post(ORDERS, body, format="json")
    assert response.status_code == 400, response.content
    errors = errors_of(response)
    assert field in [e["details"] for e in errors], errors
    assert Order.objects.count() == 0


def test_api_a_promised_delivery_may_be_in_the_future(storefront, seller, marketplace):
    OfferFactory(seller=seller, marketplace=marketplace, sku="SKU-X")
    body = order_body(seller, promisedDeliveryAt=FUTURE)
    response = storefront.post(ORDERS, body, format="json")
    assert response.status_code == 200, response.content


# ---- API: sizes ------------------------------------------------------------------------------


def test_api_body_over_the_upload_limit_is_413_in_the_envelope(storefront, order, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps(feedback_body(comment="x" * 20_000))
    response = storefront.generic("POST", FEEDBACK, body, content_type="application/json")
    assert response.status_code == 413
    error = errors_of(response)[0]
    assert error["code"] == "PayloadTooLarge"
    assert "9.8" in error["message"]  # the limit, as a size
    assert Feedback.objects.count() == 0


@pytest.mark.parametrize(
    ("path", "key", "row"),
    [
        ("/api/v1/marketplace/feedback/batch", "feedback", {"feedbackId": "F", "rating": 2}),
        ("/api/v1/marketplace/messages", "messages", {"messageId": "M", "body": "Hi"}),
        ("/api/v1/marketplace/reviews", "reviews", {"reviewId": "R", "rating": 2}),
        ("/api/v1/marketplace/surveyAnswers", "answers", {"answerId": "A", "answer": "yes"}),
        ("/api/v1/marketplace/orders", "orders", {"orderId": "O"}),
        ("/api/v1/marketplace/contacts", "contacts", {"contactId": "C"}),
    ],
    ids=["feedback", "messages", "reviews", "answers", "orders", "contacts"],
)
def test_api_batch_over_the_limit_is_400_with_the_limit(storefront, settings, path, key, row):
    settings.SELLERCX_MAX_BATCH = 3
    response = storefront.post(path, {key: [row] * 4}, format="json")
    assert response.status_code == 400
    errors = errors_of(response)
    assert errors[0]["details"] == key
    assert "3" in errors[0]["message"]


def test_api_empty_batch_is_400(storefront):
    response = storefront.post("/api/v1/marketplace/feedback/batch", {"feedback": []}, "json")
    assert response.status_code == 400
    assert errors_of(response)[0]["details"] == "feedback"


# ---- API: NUL outside the body ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "method", "url"),
    [
        ("storefront", "delete", "/api/v1/marketplace/feedback/F%00"),
        ("api", "get", "/api/v1/feedback/summary?marketplace=%00"),
        ("api", "get", "/api/v1/metrics?marketplace=F%00"),
        ("api", "get", "/api/v1/customerServiceRating?marketplace=%00"),
        ("api", "get", "/api/v1/orders?sku=%00"),
        ("api", "get", "/api/v1/feedback?%00=1"),
    ],
)
def test_api_nul_in_path_or_query_is_400(request, order, who, method, url):
    client = request.getfixturevalue(who)
    response = getattr(client, method)(url)
    assert response.status_code == 400
    assert errors_of(response)[0]["code"] == "InvalidInput"


@pytest.mark.parametrize("param", ["pageSize", "days"])
@pytest.mark.parametrize("value", ["²", "١٢", "-1", "1e3", "99999999999999999999"])
def test_api_odd_numbers_in_the_query_are_400(api, param, value):
    url = "/api/v1/metrics" if param == "days" else "/api/v1/orders"
    response = api.get(url, {param: value})
    assert response.status_code == 400
    assert errors_of(response)[0]["details"] == param


# ---- API: odd but valid text is stored and returned verbatim ------------------------------------


@pytest.mark.parametrize("text", TRICKY_TEXTS.values(), ids=TRICKY_TEXTS.keys())
def test_api_text_is_stored_and_returned_verbatim(storefront, api, order, text):
    response = storefront.post(FEEDBACK, feedback_body(comment=text), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["comment"] == text
    stored = Feedback.objects.get()
    assert stored.comment == text
    assert api.get(f"/api/v1/feedback/{stored.pk}").json()["comment"] == text
    with connection.cursor() as cursor:  # the table is still there
        cursor.execute("SELECT count(*) FROM feedback_feedback")
        assert cursor.fetchone()[0] == 1


@pytest.mark.parametrize("text", TRICKY_TEXTS.values(), ids=TRICKY_TEXTS.keys())
def test_api_seller_reply_text_is_stored_verbatim(api, user, marketplace, text):
    feedback = _feedback(user.seller, marketplace)
    response = api.post(f"/api/v1/feedback/{feedback.pk}/reply", {"text": text}, format="json")
    assert response.status_code == 201, response.content
    assert FeedbackReply.objects.get().text == text


# ---- every buyer-written text is shown escaped on the dashboard -------------------------------


def escaped(content: str) -> bool:
    """The markup arrives as text: escaped, never as live tags."""
    return (
        "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in content
        and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in content
        and SCRIPT not in content
        and IMG not in content
    )


def test_html_in_a_feedback_comment_is_escaped(client, user, marketplace):
    _feedback(user.seller, marketplace).__class__.objects.update(comment=SCRIPT + IMG)
    client.force_login(user)
    assert escaped(client.get(reverse("feedback:manager")).content.decode())


def test_html_and_templates_in_a_feedback_comment_render_literally(storefront, client, user, order):
    text = TRICKY_TEXTS["template-var"] + " " + TRICKY_TEXTS["template-tag"]
    assert storefront.post(FEEDBACK, feedback_body(comment=text), format="json").status_code == 201
    client.force_login(user)
    content = client.get(reverse("feedback:manager")).content.decode()
    assert "{{ 7*7 }} {{ request.user.password }} {% debug %}{% load static %}" in content


def test_html_in_a_review_title_and_text_is_escaped(storefront, client, user, seller, marketplace):
    brand = represented_brand(seller)
    product = ProductFactory(brand=brand)
    order = order_of(OfferFactory(seller=seller, marketplace=marketplace, product=product))
    row = {
        "reviewId": "R1",
        "asin": product.asin,
        "buyerId": order.buyer.external_id,
        "rating": 1,
        "title": SCRIPT + IMG,
        "text": SCRIPT + IMG,
    }
    response = storefront.post("/api/v1/marketplace/reviews", {"reviews": [row]}, format="json")
    assert response.status_code == 200, response.content
    assert Review.objects.get().title == SCRIPT + IMG
    client.force_login(user)
    content = client.get(reverse("reviews:list")).content.decode()
    assert content.count("&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;") >= 2
    assert escaped(content)


def test_html_in_a_buyer_message_and_its_subject_is_escaped(storefront, client, user, seller):
    row = {
        "messageId": "M1",
        "sellerId": seller.pk,
        "buyerId": "BUYER-X",
        "subject": SCRIPT + IMG,
        "body": SCRIPT + IMG,
        "attachments": [{"name": SCRIPT + IMG, "contentType": "text/html", "size": 1}],
    }
    response = storefront.post("/api/v1/marketplace/messages", {"messages": [row]}, format="json")
    assert response.status_code == 200, response.content
    message = Message.objects.get()
    client.force_login(user)
    assert escaped(client.get(reverse("messaging:inbox")).content.decode())
    page = client.get(reverse("messaging:conversation", args=[message.conversation_id]))
    assert escaped(page.content.decode())


def test_html_in_an_order_event_comment_is_escaped(storefront, client, user, seller, order):
    ReasonCodeFactory(code="WHERE", category="contact")
    row = {
        "contactId": "C1",
        "orderId": order.external_id,
        "date": (order.purchased_at + timedelta(days=1)).isoformat(),  # API-8: after the purchase
        "reasonCode": "WHERE",
        "comment": SCRIPT + IMG,
    }
    response = storefront.post("/api/v1/marketplace/contacts", {"contacts": [row]}, format="json")
    assert response.status_code == 200, response.content
    client.force_login(user)
    assert escaped(client.get(reverse("dashboard:order", args=[order.pk])).content.decode())


# ---- dashboard forms -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("bad\x00byte", 400),
        ("", 200),  # the form's own error, in place
        ("x" * 100_000, 200),
    ],
    ids=["nul", "blank", "too-long"],
)
def test_form_bad_reply_is_refused_and_nothing_stored(client, user, marketplace, text, status):
    feedback = _feedback(user.seller, marketplace)
    client.force_login(user)
    response = client.post(
        reverse("feedback:reply", args=[feedback.pk]), {"text": text}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == status
    assert FeedbackReply.objects.count() == 0


@pytest.mark.parametrize("text", TRICKY_TEXTS.values(), ids=TRICKY_TEXTS.keys())
def test_form_reply_text_is_stored_verbatim_and_shown_escaped(client, user, marketplace, text):
    feedback = _feedback(user.seller, marketplace)
    client.force_login(user)
    client.post(reverse("feedback:reply", args=[feedback.pk]), {"text": text})
    assert FeedbackReply.objects.get().text == text
    if text == TRICKY_TEXTS["html"]:
        assert escaped(client.get(reverse("feedback:manager")).content.decode())


@pytest.mark.parametrize(
    "body", ["bad\x00byte", "", "x" * 30_000], ids=["nul", "blank", "too-long"]
)
def test_form_bad_message_reply_is_refused_and_nothing_stored(client, user, marketplace, body):
    conversation = _conversation(user.seller, marketplace)
    client.force_login(user)
    response = client.post(
        reverse("messaging:conversation", args=[conversation.pk]), {"body": body}
    )
    assert 400 <= response.status_code < 500
    assert Message.objects.count() == 0


def test_form_nul_in_a_hidden_id_is_400(client, user, marketplace):
    conversation = _conversation(user.seller, marketplace)
    client.force_login(user)
    url = reverse("messaging:conversation", args=[conversation.pk])
    assert client.post(url, {"no_response_needed": "1\x00"}).status_code == 400


@pytest.mark.parametrize(
    ("start", "end"),
    [("0000-01-01", "2026-01-01"), ("2026-01-01", "99999-01-01"), ("yesterday", "2026-01-01")],
    ids=["year-0", "year-99999", "not-a-date"],
)
def test_form_bulk_request_with_bad_dates_is_400(client, user, start, end):
    client.force_login(user)
    response = client.post(
        reverse("feedback:requests"), {"purchased_from": start, "purchased_to": end}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("name", ["bad\x00name", "x" * 500], ids=["nul", "too-long"])
def test_form_bad_token_name_is_refused_and_nothing_stored(client, user, name):
    client.force_login(user)
    response = client.post(reverse("dashboard:tokens"), {"name": name})
    assert 200 <= response.status_code < 500
    assert ApiToken.objects.count() == 0


def test_form_token_name_with_emoji_is_stored_verbatim(client, user):
    client.force_login(user)
    client.post(reverse("dashboard:tokens"), {"name": "Shop 😀 — Zażółć"})
    assert ApiToken.objects.get().name == "Shop 😀 — Zażółć"


def test_form_over_the_upload_limit_is_a_clear_413(client, user, marketplace, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    feedback = _feedback(user.seller, marketplace)
    client.force_login(user)
    response = client.post(reverse("feedback:reply", args=[feedback.pk]), {"text": "x" * 20_000})
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert FeedbackReply.objects.count() == 0


def test_query_nul_on_a_page_is_400_and_not_remembered(client, user):
    client.force_login(user)
    assert client.get(reverse("dashboard:home"), {"marketplace": "\x00"}).status_code == 400
    assert client.get(reverse("dashboard:home"), {"marketplace": "<b>"}).status_code == 200
    assert client.get(reverse("dashboard:home")).status_code == 200


def test_form_with_too_many_fields_is_a_clear_413(client, user, marketplace, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    feedback = _feedback(user.seller, marketplace)
    client.force_login(user)
    fields = {f"f{n}": "x" for n in range(20)}
    response = client.post(reverse("feedback:reply", args=[feedback.pk]), fields)
    assert response.status_code == 413
    assert "too many fields" in response.content.decode()
    assert FeedbackReply.objects.count() == 0
