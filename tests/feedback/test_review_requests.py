"""FB-11 review requests as a seller uses them (issue #19): the bulk action previews before it
sends (UX-4), an "eligible only" filter, every marketplace's orders under "All marketplaces",
and actions that return where the seller was (UX-2); the API's dry run."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from feedback import services
from feedback.models import Solicitation
from messaging.models import Conversation, Message
from sellercx.errors import InvalidInput
from sellercx.models import AtoZClaim, Buyer, Order, Refund
from tests.concurrency import run_at_once
from tests.factories import OfferFactory, order_of
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
REQUESTS = reverse("feedback:requests")


@pytest.fixture(autouse=True)
def _fixed_clock():
    with time_machine.travel(T0, tick=False):
        yield


def delivered(seller, marketplace, days_ago: int = 10, **extra) -> Order:
    """An order delivered ``days_ago`` days before T0, purchased two days before that."""
    at = T0 - timedelta(days=days_ago)
    offer = OfferFactory(
        seller=seller, marketplace=marketplace, do_not_solicit=extra.pop("sku_dns", False)
    )
    extra.setdefault("purchased_at", at - timedelta(days=2))
    return order_of(offer, delivered_at=at, **extra)


def bulk(client, *, start="2026-04-01", end="2026-06-10", marketplace="FR", **extra):
    data = {"purchased_from": start, "purchased_to": end, "marketplace": marketplace, **extra}
    return client.post(f"{REQUESTS}?marketplace={marketplace or 'all'}", data)


# ---- FB-11: every reason, computed by the database ---------------------------------------------


def test_fb11_each_order_gets_its_first_refusal_reason(user, seller, marketplace):
    ok = delivered(seller, marketplace)
    orders = {
        "cancelled": delivered(seller, marketplace, status=Order.Status.CANCELLED),
        "already_requested": delivered(seller, marketplace),
        "not_delivered": order_of(
            OfferFactory(seller=seller, marketplace=marketplace), delivered_at=None
        ),
        "too_early": delivered(seller, marketplace, days_ago=4),
        "too_late": delivered(seller, marketplace, days_ago=31),
        "do_not_solicit": delivered(seller, marketplace, do_not_solicit=True),
        "buyer_opted_out": delivered(seller, marketplace),
        "return_or_refund": delivered(seller, marketplace),
        "open_claim": delivered(seller, marketplace),
        "proactive_message": delivered(seller, marketplace),
    }
    sku = delivered(seller, marketplace, sku_dns=True)
    Solicitation.objects.create(seller=seller, order=orders["already_requested"])
    Buyer.objects.filter(pk=orders["buyer_opted_out"].buyer_id).update(
        opted_out_of_solicitations=True
    )
    common = {"seller": seller, "marketplace": marketplace, "occurred_at": T0, "amount": "1.00"}
    Refund.objects.create(order=orders["return_or_refund"], external_id="RF1", **common)
    AtoZClaim.objects.create(order=orders["open_claim"], external_id="AZ1", **common)
    conversation = Conversation.objects.create(
        seller=seller,
        marketplace=marketplace,
        buyer=orders["proactive_message"].buyer,
        order=orders["proactive_message"],
    )
    Message.objects.create(
        conversation=conversation,
        seller=seller,
        marketplace=marketplace,
        direction="seller",
        body="Your parcel left.",
        proactive=True,
    )
    refusals = dict(services.solicitable_orders().values_list("pk", "refusal"))
    assert refusals[ok.pk] is None
    assert refusals[sku.pk] == "do_not_solicit"
    assert {reason: refusals[order.pk] for reason, order in orders.items()} == {
        reason: reason for reason in orders
    }
    assert services.solicitation_actions(user=user, order_id=ok.pk) == (
        ["productReviewAndSellerFeedback"],
        None,
    )


# ---- UX-4: preview, then confirm -------------------------------------------------------------


def test_ux4_preview_says_how_many_and_why_not_and_sends_nothing(client, user, seller, marketplace):
    for _ in range(3):
        delivered(seller, marketplace)
    delivered(seller, marketplace, days_ago=40)
    opted_out = delivered(seller, marketplace)
    Buyer.objects.filter(pk=opted_out.buyer_id).update(opted_out_of_solicitations=True)
    client.force_login(user)
    page = bulk(client, preview="1")
    assert page.status_code == 200
    plan = page.context["plan"]
    assert (plan.eligible, plan.sent, plan.skipped) == (
        3,
        0,
        {"too_late": 1, "buyer_opted_out": 1},
    )
    html = page.content.decode()
    assert "3 requests would be sent" in html
    assert "2 orders would not get one:" in html
    assert "1 — Too late: requests close 30 days after the last delivery." in html
    assert "Send 3 requests" in html
    assert '<input type="hidden" name="purchased_from" value="2026-04-01">' in html
    assert '<input type="hidden" name="marketplace" value="FR">' in html
    assert not Solicitation.objects.exists()


def test_ux4_a_post_without_confirmation_only_previews(client, user, seller, marketplace):
    delivered(seller, marketplace)
    client.force_login(user)
    assert bulk(client).status_code == 200
    assert not Solicitation.objects.exists()


def test_ux4_confirm_sends_checks_again_and_returns_where_the_seller_was(
    client, user, seller, marketplace
):
    first, second = delivered(seller, marketplace), delivered(seller, marketplace)
    client.force_login(user)
    assert bulk(client, preview="1").context["plan"].eligible == 2
    services.request_review(user=user, order_id=first.pk)  # meanwhile, from another tab
    here = f"{REQUESTS}?marketplace=FR&eligible=1&page=1"
    answer = bulk(client, send="1", next=here)
    assert answer.status_code == 302 and answer.url == here
    assert list(Solicitation.objects.filter(bulk=True).values_list("order", flat=True)) == [
        second.pk
    ]
    said = [str(m) for m in get_messages(answer.wsgi_request)]
    assert said == [
        "1 review request sent.",
        "Not sent to 1 order: A review was already requested for this order.",
    ]


def test_ux4_confirm_sends_in_the_previewed_marketplace_only(
    client, user, seller, marketplace, poland
):
    delivered(seller, marketplace)
    polish = delivered(seller, poland)
    client.force_login(user)
    assert bulk(client, marketplace="PL", send="1").status_code == 302
    assert list(Solicitation.objects.values_list("order", flat=True)) == [polish.pk]
    assert bulk(client, marketplace="", send="1").status_code == 302  # all marketplaces
    assert Solicitation.objects.count() == 2


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-06-10", "2026-04-01", "is before its start"),
        ("2025-06-01", "2026-06-10", "at most 366 days"),
    ],
    ids=["reversed", "too-long"],
)
@pytest.mark.parametrize("button", ["preview", "send"])
def test_ux4_a_reversed_or_too_long_range_is_said_on_the_form_and_nothing_is_sent(
    client, user, seller, marketplace, start, end, message, button
):
    delivered(seller, marketplace)
    client.force_login(user)
    page = bulk(client, start=start, end=end, **{button: "1"})
    assert page.status_code == 200
    assert message in page.content.decode()
    assert 'data-testid="bulk-error"' in page.content.decode()
    assert "plan" not in page.context
    assert not Solicitation.objects.exists()


def test_ux4_the_api_dry_run_reports_without_sending(api, seller, marketplace):
    delivered(seller, marketplace)
    delivered(seller, marketplace, days_ago=40)
    body = {"purchasedFrom": "2026-04-01", "purchasedTo": "2026-06-10"}
    dry = api.post("/api/v1/solicitations/bulk", {**body, "dryRun": True}, format="json")
    assert dry.status_code == 200
    assert dry.json() == {"dryRun": True, "eligible": 1, "sent": 0, "skipped": {"tooLate": 1}}
    assert not Solicitation.objects.exists()
    sent = api.post("/api/v1/solicitations/bulk", body, format="json").json()
    assert sent == {"dryRun": False, "eligible": 1, "sent": 1, "skipped": {"tooLate": 1}}
    assert Solicitation.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"purchasedFrom": "2026-06-10", "purchasedTo": "2026-04-01"},
        {"purchasedFrom": "2025-01-01", "purchasedTo": "2026-06-10", "dryRun": True},
    ],
    ids=["reversed", "too-long"],
)
def test_ux4_the_api_refuses_a_bad_range_with_400_and_sends_nothing(api, seller, body):
    answer = api.post("/api/v1/solicitations/bulk", body, format="json")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["code"] == "InvalidInput"
    assert not Solicitation.objects.exists()


def test_ux4_the_api_schema_documents_the_dry_run(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    bulk_input = schema["components"]["schemas"]["BulkSolicitationInputRequest"]
    assert "dryRun" in bulk_input["properties"]
    report = schema["components"]["schemas"]["BulkReport"]
    assert {"dryRun", "eligible", "sent", "skipped"} <= set(report["properties"])


def test_ux4_the_plan_checks_the_range_as_the_send_does(user):
    with pytest.raises(InvalidInput):
        services.plan_review_requests_in_bulk(
            user=user, purchased_from=T0.date(), purchased_to=T0.date() - timedelta(days=1)
        )


# ---- The list: eligible only, marketplaces, single requests ----------------------------------


def test_fb11_eligible_only_lists_the_orders_that_can_get_a_request(
    client, user, seller, marketplace
):
    ok = delivered(seller, marketplace)
    delivered(seller, marketplace, days_ago=4)  # too early
    delivered(seller, marketplace, do_not_solicit=True)
    client.force_login(user)
    everything = client.get(REQUESTS, {"marketplace": "FR"})
    assert len(everything.context["page"].object_list) == 3
    eligible = client.get(REQUESTS, {"marketplace": "FR", "eligible": "1"})
    assert [o.pk for o in eligible.context["page"]] == [ok.pk]
    html = eligible.content.decode()
    assert 'name="eligible" value="1" data-autosubmit checked' in html
    assert '<input type="hidden" name="marketplace" value="FR">' in html


def test_ux2_all_marketplaces_lists_every_marketplaces_orders_with_a_column(
    client, user, seller, marketplace, poland
):
    french, polish = delivered(seller, marketplace), delivered(seller, poland)
    client.force_login(user)
    every = client.get(REQUESTS, {"marketplace": "all"})
    assert every.context["marketplace"] is None
    assert {o.pk for o in every.context["page"]} == {french.pk, polish.pk}
    assert '<th scope="col">Marketplace</th>' in every.content.decode()
    one = client.get(REQUESTS, {"marketplace": "PL"})
    assert [o.pk for o in one.context["page"]] == [polish.pk]
    assert '<th scope="col">Marketplace</th>' not in one.content.decode()


def test_ux2_a_single_request_returns_to_the_same_marketplace_filter_and_page(
    client, user, seller, marketplace, poland
):
    order = delivered(seller, poland)
    here = f"{REQUESTS}?marketplace=PL&eligible=1&page=2"
    client.force_login(user)
    answer = client.post(here, {"order": order.pk, "next": here})
    assert answer.status_code == 302 and answer.url == here
    assert Solicitation.objects.get().order == order
    again = client.post(here, {"order": order.pk, "next": here})
    assert again.url == here
    assert [str(m) for m in get_messages(again.wsgi_request)][-1] == (
        "A review was already requested for this order."
    )


def test_ac1_another_accounts_order_cannot_be_requested_from_the_page(
    client, user, stranger, marketplace
):
    theirs = delivered(stranger.seller, marketplace)
    client.force_login(user)
    assert client.post(REQUESTS, {"order": theirs.pk}).status_code == 404
    assert client.post(REQUESTS, {"order": "x"}).status_code == 404
    assert not Solicitation.objects.exists()


def test_fb11_review_requests_page_runs_the_same_queries_for_1_and_30_rows(
    client, user, seller, marketplace
):
    client.force_login(user)

    def fetch():
        assert client.get(REQUESTS, {"marketplace": "FR", "eligible": "1"}).status_code == 200

    fetch()  # the first visit remembers the marketplace
    assert_constant_queries(lambda: delivered(seller, marketplace), fetch)


@pytest.mark.parametrize("button", ["preview", "send"])
def test_ux4_preview_and_send_run_the_same_queries_for_1_and_30_orders(
    client, user, seller, marketplace, button
):
    client.force_login(user)
    status = 200 if button == "preview" else 302

    def fetch():
        assert bulk(client, **{button: "1"}).status_code == status

    fetch()  # the first visit remembers the marketplace
    assert_constant_queries(lambda: delivered(seller, marketplace), fetch)
    assert Solicitation.objects.count() == (30 if button == "send" else 0)


def test_fb11_a_viewer_sees_the_list_without_the_buttons(client, seller, marketplace):
    from tests.factories import UserFactory

    delivered(seller, marketplace)
    client.force_login(UserFactory(seller=seller, feedback_access=1))
    html = client.get(REQUESTS, {"marketplace": "FR"}).content.decode()
    assert "Request a review" not in html and "Preview" not in html
    assert "Eligible" in html


# ---- concurrency ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fb11_two_bulk_requests_at_once_send_one_request_per_order(user, seller, marketplace):
    for _ in range(5):
        delivered(seller, marketplace)
    reports = []

    def send():
        reports.append(
            services.request_reviews_in_bulk(
                user=user, purchased_from=date(2026, 4, 1), purchased_to=date(2026, 6, 10)
            )
        )

    assert run_at_once(send, times=3) == []
    assert Solicitation.objects.count() == 5
    assert sorted(r.sent for r in reports) == [0, 0, 5]
    assert [r.skipped for r in reports if not r.sent] == [{"already_requested": 5}] * 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fb11_a_bulk_request_and_a_proactive_message_at_once_one_contact_per_order(
    user, seller, marketplace
):
    from messaging import services as messaging

    order = delivered(seller, marketplace)
    calls = [
        lambda: services.request_reviews_in_bulk(
            user=user, purchased_from=date(2026, 4, 1), purchased_to=date(2026, 6, 10)
        ),
        lambda: messaging.contact_buyer(
            user=user, order_id=order.pk, subject="Your order", body="It left today."
        ),
    ]
    errors = run_at_once(lambda: calls.pop()(), times=2)
    assert Solicitation.objects.count() + Message.objects.count() == 1, errors


@pytest.mark.parametrize("language", ["en", "fr", "pl"])
def test_ux3_the_bulk_dates_are_filled_in_every_language(client, user, language):
    """A date input reads only ISO days: in French and Polish it showed empty."""
    client.force_login(user)
    page = client.get(reverse("feedback:requests"), HTTP_ACCEPT_LANGUAGE=language)
    today = T0.date()
    html = page.content.decode()
    for day in (today - timedelta(days=40), today - timedelta(days=5)):
        assert 'type="date" name="purchased_' in html
        assert f'value="{day.isoformat()}"' in html
