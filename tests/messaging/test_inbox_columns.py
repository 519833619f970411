"""MS-4: the inbox columns of a conversation (awaiting a reply, last message, last buyer
message, unread count) and MS-5: each buyer message's first reply are denormalised and kept by
database triggers; whatever writes the messages (ORM, bulk, raw SQL, updates, deletes), they
equal what the messages say."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from messaging.models import Conversation, Message
from tests.factories import BuyerFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)


def conversation_of(seller, marketplace) -> Conversation:
    return Conversation.objects.create(
        seller=seller, marketplace=marketplace, buyer=BuyerFactory(marketplace=marketplace)
    )


def add(conversation, direction: str, minutes: int, body: str = "", read: bool = False):
    return Message.objects.create(
        conversation=conversation,
        seller_id=conversation.seller_id,
        marketplace_id=conversation.marketplace_id,
        direction=direction,
        body=body or f"{direction} at {minutes}",
        sent_at=T0 + timedelta(minutes=minutes),
        read_at=T0 if read else None,
    )


def naive(conversation) -> tuple:
    messages = list(conversation.messages.order_by("sent_at", "id"))
    buyer = [m for m in messages if m.direction == "buyer"]
    last = messages[-1] if messages else None
    return (
        bool(last and last.direction == "buyer"),
        last.body if last else "",
        max((m.sent_at for m in buyer), default=None),
        sum(1 for m in buyer if m.read_at is None),
    )


def replies(conversation) -> dict:
    """Stored vs naive first reply of each buyer message: the first seller message after it."""
    messages = list(conversation.messages.order_by("sent_at", "id"))
    return {
        m.pk: (
            m.first_reply_at,
            min(
                (s.sent_at for s in messages if s.direction == "seller" and s.sent_at > m.sent_at),
                default=None,
            ),
        )
        for m in messages
        if m.direction == "buyer"
    }


def replies_match(conversation) -> bool:
    return all(stored == naive for stored, naive in replies(conversation).values())


def stored(conversation) -> tuple:
    c = Conversation.objects.get(pk=conversation.pk)
    return (c.awaiting_reply, c.last_body, c.last_buyer_message_at, c.unread_count)


def test_ms4_columns_follow_inserts_replies_reads_and_deletes(seller, marketplace):
    conversation = conversation_of(seller, marketplace)
    assert stored(conversation) == (False, "", None, 0)

    question = add(conversation, "buyer", 0, "Where is my parcel?")
    assert stored(conversation) == (True, "Where is my parcel?", question.sent_at, 1)

    add(conversation, "seller", 30, "On its way.")
    assert stored(conversation) == (False, "On its way.", question.sent_at, 1)

    Message.objects.filter(pk=question.pk).update(read_at=T0)  # the seller opened it
    assert stored(conversation)[3] == 0

    later = add(conversation, "buyer", 60, "Still nothing.")
    assert stored(conversation) == (True, "Still nothing.", later.sent_at, 1)

    later.delete()
    assert stored(conversation) == (False, "On its way.", question.sent_at, 0)


def test_ms5_first_reply_follows_replies_edits_and_deletes(seller, marketplace):
    conversation = conversation_of(seller, marketplace)
    question = add(conversation, "buyer", 0)
    assert replies(conversation)[question.pk] == (None, None)
    answer = add(conversation, "seller", 90)
    assert replies(conversation)[question.pk][0] == answer.sent_at
    earlier = add(conversation, "seller", 20)  # e.g. ingested late, sent before
    assert replies(conversation)[question.pk][0] == earlier.sent_at
    Message.objects.filter(pk=earlier.pk).update(sent_at=T0 - timedelta(minutes=5))
    assert replies(conversation)[question.pk][0] == answer.sent_at  # now before the question
    answer.delete()
    assert replies(conversation)[question.pk][0] is None


def test_ms4_bulk_and_raw_writes_keep_the_columns(seller, marketplace):
    first, second = conversation_of(seller, marketplace), conversation_of(seller, marketplace)
    Message.objects.bulk_create(
        [
            Message(conversation=first, seller=seller, marketplace=marketplace,
                    direction="buyer", body="a", sent_at=T0),
            Message(conversation=second, seller=seller, marketplace=marketplace,
                    direction="buyer", body="b", sent_at=T0),
            Message(conversation=second, seller=seller, marketplace=marketplace,
                    direction="seller", body="c", sent_at=T0 + timedelta(hours=1)),
        ]
    )  # fmt: skip
    assert stored(first) == naive(first)
    assert stored(second) == naive(second)
    assert replies_match(first) and replies_match(second)
    with connection.cursor() as cursor:  # a statement that moves messages between threads
        cursor.execute(
            "UPDATE messaging_message SET conversation_id = %s WHERE conversation_id = %s",
            [first.pk, second.pk],
        )
    assert stored(second) == (False, "", None, 0)
    assert stored(first) == naive(first)
    assert replies_match(first)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.sampled_from(["buyer", "seller"]), st.integers(0, 500), st.booleans()),
        max_size=8,
    ),
    st.sets(st.integers(0, 7), max_size=3),
)
def test_ms4_columns_equal_a_naive_computation(seller, marketplace, steps, deleted):
    conversation = conversation_of(seller, marketplace)
    made = [add(conversation, d, minutes, read=read) for d, minutes, read in steps]
    assert stored(conversation) == naive(conversation)
    assert replies_match(conversation)
    Message.objects.filter(pk__in=[m.pk for i, m in enumerate(made) if i in deleted]).delete()
    assert stored(conversation) == naive(conversation)
    assert replies_match(conversation)
