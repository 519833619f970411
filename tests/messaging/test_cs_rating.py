"""CS-1 … CS-9: the weekly customer-service rating recompute and how it is shown."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from messaging.models import Conversation, CustomerServiceRating, Message, Survey
from messaging.recomputes import recompute_cs_rating
from messaging.selectors import current_rating, rating_band
from sellercx import recompute
from tests.concurrency import run_at_once
from tests.factories import BuyerFactory

WEEK = date(2026, 11, 16)  # a Monday
WEEK_START = datetime(2026, 11, 16, tzinfo=UTC)


def answer(seller, marketplace, at, value="yes", conversation=None):
    """A seller reply with its survey answered ``value`` at ``at``."""
    conversation = conversation or Conversation.objects.create(
        seller=seller, marketplace=marketplace, buyer=BuyerFactory(marketplace=marketplace)
    )
    message = Message.objects.create(
        conversation=conversation,
        seller=seller,
        marketplace=marketplace,
        direction="seller",
        body="Done",
        sent_at=at - timedelta(hours=1),
    )
    return Survey.objects.create(
        message=message,
        conversation=conversation,
        seller=seller,
        marketplace=marketplace,
        answer=value,
        answered_at=at,
        answer_received_at=at,
    )


def rating(seller, marketplace, week=WEEK):
    return CustomerServiceRating.objects.filter(
        seller=seller, marketplace=marketplace, week_start=week
    ).first()


@pytest.mark.django_db
def test_cs4_value_is_ten_times_yes_over_answers_one_decimal(seller, marketplace):
    for value in ("yes", "yes", "no"):
        answer(seller, marketplace, WEEK_START - timedelta(days=2), value)
    recompute_cs_rating(period=WEEK, seller_ids=[seller.pk])
    row = rating(seller, marketplace)
    assert (row.answers, row.yes_answers, row.value) == (3, 2, Decimal("6.7"))


@pytest.mark.django_db
def test_cs2_only_the_latest_answer_of_a_conversation_counts(seller, marketplace):
    first = answer(seller, marketplace, WEEK_START - timedelta(days=10), "no")
    answer(
        seller, marketplace, WEEK_START - timedelta(days=3), "yes", conversation=first.conversation
    )
    recompute_cs_rating(period=WEEK, seller_ids=[seller.pk])
    row = rating(seller, marketplace)
    assert (row.answers, row.yes_answers, row.value) == (1, 1, Decimal("10.0"))


@pytest.mark.django_db
def test_cs3_window_is_the_28_days_before_the_week_start_in_utc(seller, marketplace):
    answer(seller, marketplace, WEEK_START - timedelta(days=28), "no")  # first instant: in
    answer(seller, marketplace, WEEK_START - timedelta(days=28, seconds=1), "yes")  # out
    answer(seller, marketplace, WEEK_START, "yes")  # the week itself: out
    answer(seller, marketplace, WEEK_START - timedelta(seconds=1), "yes")  # last instant: in
    recompute_cs_rating(period=WEEK + timedelta(days=3), seller_ids=[seller.pk])
    row = rating(seller, marketplace)
    assert (row.answers, row.yes_answers) == (2, 1)


@pytest.mark.django_db
def test_cs3_no_row_for_a_week_without_new_answers(seller, marketplace):
    answer(seller, marketplace, WEEK_START - timedelta(days=20))
    recompute_cs_rating(period=WEEK, seller_ids=[seller.pk])
    assert rating(seller, marketplace) is None


@pytest.mark.django_db
def test_cs5_fewer_than_40_answers_shows_the_last_valid_value(seller, marketplace):
    CustomerServiceRating.objects.create(
        seller=seller,
        marketplace=marketplace,
        week_start=WEEK - timedelta(weeks=1),
        answers=45,
        yes_answers=40,
        value=Decimal("8.9"),
    )
    CustomerServiceRating.objects.create(
        seller=seller,
        marketplace=marketplace,
        week_start=WEEK,
        answers=12,
        yes_answers=3,
        value=Decimal("2.5"),
    )
    shown = current_rating(seller_id=seller.pk, marketplace_id=marketplace.pk)
    assert shown["shown"].value == Decimal("8.9") and shown["is_fallback"]
    assert shown["band"]["key"] == "keep_it_up"


@pytest.mark.django_db
def test_cs5_never_enough_answers(seller, marketplace):
    assert current_rating(seller_id=seller.pk, marketplace_id=marketplace.pk)["shown"] is None


@pytest.mark.parametrize(
    ("value", "band"),
    [
        ("0", "needs_attention"),
        ("5.9", "needs_attention"),
        ("6.0", "needs_improvement"),
        ("7.9", "needs_improvement"),
        ("8.0", "keep_it_up"),
        ("10", "keep_it_up"),
    ],
)
def test_cs6_bands(value, band):
    assert rating_band(Decimal(value))["key"] == band


@pytest.mark.django_db
def test_cs9_sc3_backfill_keeps_every_week_and_reruns_change_nothing(seller, marketplace):
    for weeks_back in range(6):
        answer(seller, marketplace, WEEK_START - timedelta(weeks=weeks_back, days=1))
    call_command("run_recompute", "cs-rating", "--week", "2026-11-18", "--backfill", "5", "--quiet")
    first = list(CustomerServiceRating.objects.values_list("week_start", "answers", "value"))
    call_command("run_recompute", "cs-rating", "--week", "2026-11-18", "--backfill", "5", "--quiet")
    again = list(CustomerServiceRating.objects.values_list("week_start", "answers", "value"))
    assert sorted(first) == sorted(again) and len(first) == 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sc3_two_recomputes_at_once_write_one_set_of_rows(seller, marketplace):
    for n in range(5):
        answer(seller, marketplace, WEEK_START - timedelta(days=n + 1), "yes" if n % 2 else "no")
    job = recompute.get("cs-rating")
    errors = run_at_once(lambda: job.run_chunk(period=WEEK, seller_ids=[seller.pk]))
    assert errors == []
    assert CustomerServiceRating.objects.count() == 1
    assert rating(seller, marketplace).answers == 5


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(-40, 6), st.sampled_from(["yes", "no"])),
        min_size=1,
        max_size=25,
    )
)
def test_cs_rating_equals_a_naive_computation(seller, marketplace, answers):
    """Property: the SQL gives what a plain reading of CS-2 … CS-4 gives, within 0 … 10."""
    CustomerServiceRating.objects.all().delete()
    Survey.objects.all().delete()
    Message.objects.all().delete()
    conversations = [
        Conversation.objects.create(
            seller=seller, marketplace=marketplace, buyer=BuyerFactory(marketplace=marketplace)
        )
        for _ in range(6)
    ]
    for index, (conversation, days, value) in enumerate(answers):
        answer(
            seller,
            marketplace,
            WEEK_START + timedelta(days=days, minutes=index),
            value,
            conversation=conversations[conversation],
        )
    recompute_cs_rating(period=WEEK, seller_ids=[seller.pk])

    start = WEEK_START - timedelta(days=28)
    latest = {}
    for index, (conversation, days, value) in enumerate(answers):
        at = WEEK_START + timedelta(days=days, minutes=index)
        if start <= at < WEEK_START and (
            conversation not in latest or latest[conversation][0] < at
        ):
            latest[conversation] = (at, value)
    row = rating(seller, marketplace)
    new_last_week = any(WEEK_START - timedelta(days=7) <= at for at, _ in latest.values())
    if not latest or not new_last_week:
        assert row is None
        return
    yes = sum(value == "yes" for _, value in latest.values())
    expected = (Decimal(10 * yes) / len(latest)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    assert (row.answers, row.yes_answers, row.value) == (len(latest), yes, expected)
    assert Decimal(0) <= row.value <= Decimal(10)


@pytest.mark.django_db
def test_cs_rating_page_and_api_show_value_band_history_and_no_answers(
    client, api, user, seller, marketplace
):
    for weeks_back, value in ((1, Decimal("8.5")), (0, Decimal("5.5"))):
        CustomerServiceRating.objects.create(
            seller=seller,
            marketplace=marketplace,
            week_start=WEEK - timedelta(weeks=weeks_back),
            answers=50,
            yes_answers=25,
            value=value,
        )
    survey = answer(seller, marketplace, WEEK_START - timedelta(days=3), "no")
    survey.conversation.subject = "Broken lid"
    survey.conversation.save()
    client.force_login(user)
    html = client.get("/dashboard/messages/rating/").content.decode()
    assert "5.5" in html and "Needs attention" in html
    assert 'id="cs-history"' in html and "Broken lid" in html
    body = api.get("/api/v1/customerServiceRating", {"marketplace": "FR"}).json()
    assert body["value"] == "5.5" and body["band"] == "needs_attention"
    assert [w["value"] for w in body["history"]] == ["8.5", "5.5"]
    assert api.get("/api/v1/customerServiceRating", {"marketplace": "ZZ"}).status_code == 400


@pytest.mark.django_db
def test_cs5_page_says_not_enough_responses_yet(client, user):
    client.force_login(user)
    assert "Not enough responses yet" in client.get("/dashboard/messages/rating/").content.decode()


@pytest.mark.django_db
def test_cs7_answers_on_marketplace_fulfilled_orders_count_the_same(seller, marketplace):
    from tests.factories import OfferFactory, order_of

    fba = order_of(
        OfferFactory(seller=seller, marketplace=marketplace, fulfilment_channel="marketplace")
    )
    conversation = Conversation.objects.create(
        seller=seller, marketplace=marketplace, buyer=fba.buyer, order=fba
    )
    answer(seller, marketplace, WEEK_START - timedelta(days=1), "no", conversation=conversation)
    answer(seller, marketplace, WEEK_START - timedelta(days=1), "yes")
    recompute_cs_rating(period=WEEK, seller_ids=[seller.pk])
    assert rating(seller, marketplace).answers == 2


@pytest.mark.django_db
def test_cs8_a_low_rating_is_informational(client, user, seller, marketplace):
    CustomerServiceRating.objects.create(
        seller=seller,
        marketplace=marketplace,
        week_start=WEEK,
        answers=50,
        yes_answers=5,
        value=Decimal("1.0"),
    )
    client.force_login(user)
    html = client.get("/dashboard/messages/rating/").content.decode()
    assert "It never suspends your account." in html and "How to improve your rating" in html
    seller.refresh_from_db()
    assert seller.standing == "good"


def _weeks(seller, marketplace, *answers: int) -> None:
    """Weekly ratings with these numbers of answers, the last one in WEEK."""
    for back, count in enumerate(reversed(answers)):
        CustomerServiceRating.objects.create(
            seller=seller,
            marketplace=marketplace,
            week_start=WEEK - timedelta(weeks=back),
            answers=count,
            yes_answers=count // 2,
            value=Decimal("5.0") if count else Decimal("0"),
        )


@pytest.mark.django_db
def test_ux7_cs5_weeks_under_the_minimum_have_no_value_in_the_history(seller, marketplace):
    from messaging.selectors import rating_history

    _weeks(seller, marketplace, 45, 12, 40)
    history = rating_history(seller_id=seller.pk, marketplace_id=marketplace.pk)
    assert [(w["value"], w["shown"], w["answers"]) for w in history] == [
        (5.0, True, 45),
        (None, False, 12),  # a gap, never a value drawn as if valid
        (5.0, True, 40),
    ]


@pytest.mark.django_db
def test_ux7_the_page_and_the_api_mark_the_weeks_not_rated(client, api, user, seller, marketplace):
    import json
    import re

    _weeks(seller, marketplace, 45, 12, 41)
    client.force_login(user)
    html = client.get("/dashboard/messages/rating/", {"marketplace": "FR"}).content.decode()
    data = json.loads(re.search(r'id="cs-history"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert [w["value"] for w in data] == [5.0, None, 5.0]
    assert 'data-gap-label="Not enough responses (fewer than 40): not rated"' in html
    table = html[html.index('data-testid="cs-history-table"') :]
    assert table.count("Not enough responses") == 1 and 'class="not-rated"' in table
    history = api.get("/api/v1/customerServiceRating", {"marketplace": "FR"}).json()["history"]
    assert [(w["value"], w["shown"]) for w in history] == [
        ("5.0", True),
        (None, False),
        ("5.0", True),
    ]


@pytest.mark.django_db
def test_fb10_ux2_the_rating_page_is_never_under_all_marketplaces(client, user, seller):
    from tests.factories import MarketplaceFactory, OfferFactory, order_of

    pl = MarketplaceFactory(code="PL")
    seller.marketplaces.add(pl)
    for _ in range(2):  # PL has the most orders: it is the main marketplace
        order_of(OfferFactory(seller=seller, marketplace=pl))
    client.force_login(user)
    response = client.get("/dashboard/messages/rating/", {"marketplace": "all"})
    assert response.status_code == 302 and "marketplace=PL" in response.url
    page = client.get(response.url).content.decode()
    assert "All marketplaces" not in page  # the switcher does not offer it here
    assert "Poland" in page  # its name in the reader's language (UX-3)
