"""The feedback manager as a seller uses it (issue #19): one marketplace at a time, named in the
URL; actions that return where the seller was; removal offered only where a ground could
apply, with the expected decision date of an overdue request; a way to contact the buyer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from feedback import services
from feedback.checks import Ground, applicable_grounds
from feedback.filters import STARS
from feedback.models import FeedbackReply, RemovalRequest
from sellercx.errors import RuleViolation
from tests.factories import OfferFactory, order_of
from tests.querycount import assert_constant_queries

from .factories import FeedbackFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
MANAGER = reverse("feedback:manager")


@pytest.fixture(autouse=True)
def _fixed_clock():
    with time_machine.travel(T0, tick=False):
        yield


def feedback_of(seller, marketplace, *, channel="merchant", **fields):
    offer = OfferFactory(seller=seller, marketplace=marketplace, fulfilment_channel=channel)
    fields.setdefault("left_at", T0 - timedelta(days=1))
    return FeedbackFactory(order=order_of(offer, purchased_at=T0 - timedelta(days=9)), **fields)


# ---- UX-2: one marketplace, named in the URL, and back where the seller was -----------------


def test_ux2_the_manager_never_shows_all_marketplaces(client, user, seller, marketplace, poland):
    for _ in range(3):  # FR is the main marketplace: the most orders
        feedback_of(seller, marketplace, rating=1)
    feedback_of(seller, poland, rating=5)
    client.force_login(user)
    answer = client.get(MANAGER, {"marketplace": "all", "kind": "negative"})
    assert answer.status_code == 302
    assert "marketplace=FR" in answer.url and "kind=negative" in answer.url
    page = client.get(answer.url)
    assert page.context["marketplace"] == marketplace
    assert page.context["offers_all_marketplaces"] is False
    assert [f.marketplace for f in page.context["page"]] == [marketplace] * 3
    html = page.content.decode()
    assert 'value="all"' not in html  # the switcher offers no "All marketplaces" here
    polish = client.get(MANAGER, {"marketplace": "PL"})
    assert [f.rating for f in polish.context["page"]] == [5]
    assert polish.context["summary"]["periods"][3]["total"] == 1  # FB-10: PL's figures only


def test_ux2_the_filters_sort_and_pages_keep_the_marketplace(client, user, seller, marketplace):
    for _ in range(21):
        feedback_of(seller, marketplace, rating=1)
    client.force_login(user)
    client.get(MANAGER, {"marketplace": "FR"})  # remembered: the menu link opens FR
    html = client.get(MANAGER).content.decode()
    assert '<input type="hidden" name="marketplace" value="FR">' in html
    assert 'href="?marketplace=FR"' in html  # Clear keeps the marketplace
    assert "?marketplace=FR&amp;sort=stars" in html  # sorting
    assert "?marketplace=FR&amp;page=2" in html  # paging
    assert 'href="/dashboard/feedback/requests/?marketplace=FR"' in html  # the other tab


def test_ux2_an_action_returns_to_the_same_marketplace_filters_sort_and_page(
    client, user, seller, marketplace
):
    feedback = feedback_of(seller, marketplace, rating=1, comment="Slow.")
    here = f"{MANAGER}?marketplace=FR&kind=negative&sort=stars&page=1"
    client.force_login(user)
    answer = client.post(
        reverse("feedback:reply", args=[feedback.pk]), {"text": "Sorry!", "next": here}
    )
    assert answer.status_code == 302 and answer.url == here
    answer = client.post(reverse("feedback:delete-reply", args=[feedback.pk]), {"next": here})
    assert answer.url == here
    answer = client.post(
        reverse("feedback:request-removal", args=[feedback.pk]),
        {"ground": "abusive", "next": here},
    )
    assert answer.url == here
    assert FeedbackReply.objects.get().deleted_at is not None
    assert RemovalRequest.objects.get().status == "pending"


def test_ux2_an_action_never_sends_the_seller_off_the_site(client, user, seller, marketplace):
    feedback = feedback_of(seller, marketplace, rating=1)
    client.force_login(user)
    answer = client.post(
        reverse("feedback:reply", args=[feedback.pk]),
        {"text": "Sorry!", "next": "https://evil.example/feedback/"},
    )
    assert answer.status_code == 302 and answer.url == MANAGER


def test_ux2_an_inline_action_keeps_the_page_for_the_next_one(client, user, seller, marketplace):
    """With htmx the row comes back in place; its forms still name the page the seller is on
    (the browser's URL), not the action's."""
    feedback = feedback_of(seller, marketplace, rating=1, comment="Slow.")
    here = f"{MANAGER}?marketplace=FR&kind=negative"
    client.force_login(user)
    row = client.post(
        reverse("feedback:reply", args=[feedback.pk]),
        {"text": "Sorry!"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{here}",
    ).content.decode()
    assert "Your public reply is posted." in row
    assert f'name="next" value="{here.replace("&", "&amp;")}"' in row


def test_fb8_manager_query_count_is_constant_with_actions_and_overdue_requests(
    client, user, seller, marketplace
):
    client.force_login(user)

    def add_row():
        feedback = feedback_of(seller, marketplace, rating=1, comment="Late.")
        FeedbackReply.objects.create(feedback=feedback, seller=seller, text="Sorry")
        RemovalRequest.objects.create(
            feedback=feedback, seller=seller, ground="abusive", requested_at=T0 - timedelta(days=5)
        )

    def fetch():
        assert client.get(MANAGER, {"marketplace": "FR"}).status_code == 200

    fetch()  # the first visit remembers the marketplace (session, user)
    assert_constant_queries(add_row, fetch)


# ---- FB-7: removal only where a ground could apply --------------------------------------------


@pytest.mark.parametrize(
    ("rating", "comment", "channel", "arrived_on_time", "expected"),
    [
        (5, "Call me at 06 12 34 56 78", "marketplace", False, []),
        (4, "Rude seller, idiot.", "merchant", None, []),
        (1, "", "merchant", None, []),
        (2, "   ", "marketplace", True, []),
        (2, "", "marketplace", False, ["fulfilment"]),
        (1, "Rude.", "merchant", False, ["product_review", "promotional", "personal_info",
                                         "abusive"]),
        (3, "Box crushed.", "marketplace", None, Ground.values),
    ],
    ids=["5-stars", "4-stars", "no-comment", "blank-on-time", "late-fba", "merchant", "fba"],
)  # fmt: skip
def test_fb7_grounds_offered_are_those_that_could_apply(
    rating, comment, channel, arrived_on_time, expected
):
    assert (
        applicable_grounds(
            rating=rating,
            comment=comment,
            marketplace_fulfilled=channel == "marketplace",
            arrived_late=arrived_on_time is False,
        )
        == expected
    )


def test_fb7_no_removal_request_is_offered_where_no_ground_can_apply(
    client, user, seller, marketplace
):
    five = feedback_of(seller, marketplace, rating=5, comment="Great, call me at 0612345678")
    silent = feedback_of(seller, marketplace, rating=1, comment="")
    merchant = feedback_of(seller, marketplace, rating=1, comment="Rude and slow.")
    client.force_login(user)
    rows = {f.pk: f for f in client.get(MANAGER, {"marketplace": "FR"}).context["page"]}
    assert rows[five.pk].removal_choices == []
    assert rows[silent.pk].removal_choices == []
    assert [g for g, _label in rows[merchant.pk].removal_choices] == [
        "product_review",
        "promotional",
        "personal_info",
        "abusive",
    ]
    html = client.get(MANAGER, {"marketplace": "FR"}).content.decode()
    assert html.count("<summary>Request removal</summary>") == 1
    assert 'value="fulfilment"' not in html


def test_fb7_a_ground_that_cannot_apply_is_refused_and_nothing_stored(user, seller, marketplace):
    five = feedback_of(seller, marketplace, rating=5, comment="Great seller, idiot proof.")
    merchant = feedback_of(seller, marketplace, rating=1, comment="Box crushed.")
    with pytest.raises(RuleViolation, match="1 to 3 stars") as refused:
        services.request_feedback_removal(user=user, feedback_id=five.pk, ground="abusive")
    assert refused.value.code == "GroundNotApplicable"
    with pytest.raises(RuleViolation, match="fulfilled by the marketplace"):
        services.request_feedback_removal(user=user, feedback_id=merchant.pk, ground="fulfilment")
    assert not RemovalRequest.objects.exists()


def test_fb7_a_used_ground_is_no_longer_offered(client, user, staff, seller, marketplace):
    feedback = feedback_of(seller, marketplace, rating=1, comment="Not happy at all.")
    request = services.request_feedback_removal(
        user=user, feedback_id=feedback.pk, ground="abusive"
    )
    services.decide_removal_requests(
        staff=staff, request_ids=[request.pk], decision="declined", reason="Not abusive."
    )
    client.force_login(user)
    row = client.get(MANAGER, {"marketplace": "FR"}).context["page"][0]
    assert "abusive" not in [g for g, _label in row.removal_choices]
    assert "product_review" in [g for g, _label in row.removal_choices]


def test_fb7_an_overdue_request_says_when_it_will_be_decided_and_offers_no_second_one(
    client, user, seller, marketplace
):
    waiting = feedback_of(seller, marketplace, rating=1, comment="Not happy.")
    fresh = feedback_of(seller, marketplace, rating=1, comment="Not happy either.")
    late = feedback_of(seller, marketplace, rating=2, comment="Still not happy.")
    for feedback, days in ((waiting, 4), (fresh, 2), (late, 9)):
        RemovalRequest.objects.create(
            feedback=feedback,
            seller=seller,
            ground="abusive",
            requested_at=T0 - timedelta(days=days),
        )
    client.force_login(user)
    html = client.get(MANAGER, {"marketplace": "FR"}).content.decode()
    # Requested on 2026-06-06, overdue after 3 days; the review time is 7 days (a setting).
    assert "The marketplace decides within 7 days: expect its decision by 2026-06-13." in html
    assert "its decision was expected by 2026-06-08." in html  # requested 2026-06-01
    assert html.count('data-testid="removal-expected"') == 2  # not the 2-day-old one
    assert "<summary>Request removal</summary>" not in html  # one open request each


def test_fb7_the_review_time_is_a_setting(client, user, seller, marketplace):
    from sellercx.models import PolicySetting

    PolicySetting.objects.update_or_create(
        key="feedback.removal_review_days", defaults={"value": 10, "unit": "days"}
    )
    feedback = feedback_of(seller, marketplace, rating=1, comment="Not happy.")
    RemovalRequest.objects.create(
        feedback=feedback, seller=seller, ground="abusive", requested_at=T0 - timedelta(days=4)
    )
    client.force_login(user)
    html = client.get(MANAGER, {"marketplace": "FR"}).content.decode()
    assert "within 10 days: expect its decision by 2026-06-16." in html


# ---- FB-8: contact the buyer ------------------------------------------------------------------


def test_fb8_each_feedback_links_to_the_orders_contact_form(client, user, seller, marketplace):
    feedback = feedback_of(seller, marketplace, rating=2)
    client.force_login(user)
    html = client.get(MANAGER, {"marketplace": "FR"}).content.decode()
    link = reverse("dashboard:order", args=[feedback.order_id]) + "#contact-buyer"
    assert f'<a class="contact-buyer" href="{link}">Contact the buyer</a>' in html


# ---- UX-3 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr", "pl"])
def test_ux3_star_filter_labels_are_plural_words_in_the_readers_language(language):
    with translation.override(language):
        labels = [str(label) for _value, label in STARS]
        expected = [
            translation.ngettext("%(n)d star", "%(n)d stars", n) % {"n": n} for n in (5, 4, 3, 2, 1)
        ]
    assert labels == expected
    assert all(isinstance(label, Promise) for _value, label in STARS)  # worded when drawn


def test_ux3_refusal_reasons_are_extracted_for_translation():
    """makemessages finds only literal strings in gettext calls: each reason is one."""
    assert all(isinstance(label, Promise) for label in services.SkipReason.LABELS.values())
    with translation.override("fr"):
        assert services.SkipReason.label("too_late") == translation.gettext(
            "Too late: requests close 30 days after the last delivery."
        )
