"""MS-4, UX-2: the inbox's order (the longest-waiting first, then the most recent), per
marketplace, paged in the URL, on an index, in a constant number of queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from messaging.models import Conversation, Message
from messaging.selectors import inbox
from tests.factories import BuyerFactory, MarketplaceFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 18, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen():
    """The inbox's late flag and order read the clock: every test here runs at NOW."""
    with time_machine.travel(NOW, tick=False):
        yield


def thread(seller, marketplace, subject: str, *steps: tuple[str, int]) -> Conversation:
    """A conversation with messages ``(direction, hours before NOW)``."""
    conversation = Conversation.objects.create(
        seller=seller,
        marketplace=marketplace,
        buyer=BuyerFactory(marketplace=marketplace),
        subject=subject,
    )
    for direction, hours in steps:
        Message.objects.create(
            conversation=conversation,
            seller=seller,
            marketplace=marketplace,
            direction=direction,
            body=f"{direction} {hours} h ago",
            sent_at=NOW - timedelta(hours=hours),
        )
    if steps:
        conversation.last_message_at = NOW - timedelta(hours=min(h for _, h in steps))
        conversation.save(update_fields=["last_message_at"])
    return conversation


def test_ms4_longest_waiting_first_then_the_others_newest_first(seller, marketplace):
    thread(seller, marketplace, "answered long ago", ("buyer", 90), ("seller", 80))
    thread(seller, marketplace, "waiting 2 h", ("buyer", 2))
    # Waiting since its first unanswered message (50 h), though the buyer wrote again 1 h ago.
    thread(seller, marketplace, "waiting 50 h", ("buyer", 50), ("buyer", 1))
    thread(seller, marketplace, "waiting 30 h", ("seller", 40), ("buyer", 30))
    thread(seller, marketplace, "answered lately", ("buyer", 5), ("seller", 3))
    thread(seller, marketplace, "empty")
    rows = list(inbox(seller_id=seller.pk, now=NOW))
    assert [c.subject for c in rows] == [
        "waiting 50 h",
        "waiting 30 h",
        "waiting 2 h",
        "empty",  # created now: the most recent
        "answered lately",
        "answered long ago",
    ]
    assert [c.is_late for c in rows[:3]] == [True, True, False]
    assert not any(c.is_late for c in rows[3:])


def test_ms4_the_inbox_query_reads_an_index_in_its_order(seller, marketplace):
    """No sort of the account's conversations: the index gives them in the inbox's order, for
    one marketplace and for all."""
    for hours in range(3):
        thread(seller, marketplace, f"t{hours}", ("buyer", hours))
    for code in (marketplace.code, None):
        query = inbox(seller_id=seller.pk, marketplace_code=code, now=NOW)[:25]
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Index Scan using conversation_waiting" in plan, plan
        assert "Sort" not in plan, plan


def test_ux2_the_inbox_is_per_marketplace_or_all_with_the_code(client, user, seller, marketplace):
    pl = MarketplaceFactory(code="PL")
    seller.marketplaces.add(pl)
    thread(seller, marketplace, "Colis en retard", ("buyer", 2))
    thread(seller, pl, "Paczka spóźniona", ("buyer", 3))
    client.force_login(user)
    french = client.get(reverse("messaging:inbox"), {"marketplace": "FR"}).content.decode()
    assert "Colis en retard" in french and "Paczka spóźniona" not in french
    everything = client.get(reverse("messaging:inbox"), {"marketplace": "all"}).content.decode()
    assert "Colis en retard" in everything and "Paczka spóźniona" in everything
    assert '<small class="muted">PL</small>' in everything


def test_ux2_pages_carry_the_marketplace_and_the_page(client, user, seller, marketplace):
    for n in range(27):
        thread(seller, marketplace, f"Question {n:02d}", ("buyer", n + 1))
    client.force_login(user)
    first = client.get(reverse("messaging:inbox"), {"marketplace": "FR"}).content.decode()
    assert 'href="?marketplace=FR&amp;page=2"' in first
    second = client.get(reverse("messaging:inbox"), {"marketplace": "FR", "page": 2})
    html = second.content.decode()
    # Page 2 holds the two conversations that waited least; each opens with the inbox's query,
    # so the conversation's "← Messages" comes back to this page.
    assert "Question 01" in html and "Question 00" in html and "Question 02" not in html
    conversation = Conversation.objects.get(subject="Question 00")
    link = f"{reverse('messaging:conversation', args=[conversation.pk])}?marketplace=FR&amp;page=2"
    assert link in html
    page = client.get(
        reverse("messaging:conversation", args=[conversation.pk]),
        {"marketplace": "FR", "page": 2},
    ).content.decode()
    assert f'href="{reverse("messaging:inbox")}?marketplace=FR&amp;page=2"' in page


def test_ux2_mark_unread_returns_to_the_inbox_page_it_came_from(client, user, seller, marketplace):
    conversation = thread(seller, marketplace, "Later", ("buyer", 2))
    client.force_login(user)
    url = reverse("messaging:conversation", args=[conversation.pk])
    inbox_page = f"{reverse('messaging:inbox')}?marketplace=FR&page=2"
    response = client.post(url, {"mark_unread": "1", "next": inbox_page})
    assert response.status_code == 302 and response.url == inbox_page
    response = client.post(url, {"mark_unread": "1", "next": "https://elsewhere.example/"})
    assert response.url == reverse("messaging:inbox")  # SEC-5: never off the site


def test_ms4_inbox_page_and_api_list_run_constant_queries(client, api, user, seller, marketplace):
    def add_row():
        thread(seller, marketplace, "Hello", ("buyer", 2))

    client.force_login(user)

    def fetch():
        assert client.get(reverse("messaging:inbox"), {"marketplace": "FR"}).status_code == 200
        assert client.get(reverse("messaging:inbox"), {"marketplace": "all"}).status_code == 200
        assert api.get("/api/v1/conversations").status_code == 200

    assert_constant_queries(add_row, fetch)
