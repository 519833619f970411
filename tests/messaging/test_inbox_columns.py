"""MS-4: the inbox columns of a conversation (awaiting a reply and since when, last message,
last buyer message, unread count) and MS-5: each buyer message's first reply are denormalised
and kept by database triggers; whatever writes the messages (ORM, bulk, raw SQL, updates,
deletes, a "no response needed" mark), they equal what the messages say."""

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


def add(
    conversation,
    direction: str,
    minutes: int,
    body: str = "",
    read: bool = False,
    no_response_needed: bool = False,
):
    return Message.objects.create(
        conversation=conversation,
        seller_id=conversation.seller_id,
        marketplace_id=conversation.marketplace_id,
        direction=direction,
        body=body or f"{direction} at {minutes}",
        sent_at=T0 + timedelta(minutes=minutes),
        read_at=T0 if read else None,
        no_response_needed_at=T0 if no_response_needed else None,
    )


def naive(conversation) -> tuple:
    """What the inbox should say, read from the messages: a conversation waits on the buyer
    messages that no seller message follows (strictly later, as MS-5 counts a reply) and that
    are not marked "no response needed", since the oldest of them."""
    messages = list(conversation.messages.order_by("sent_at", "id"))
    buyer = [m for m in messages if m.direction == "buyer"]
    last = messages[-1] if messages else None
    unanswered = [
        m.sent_at
        for m in buyer
        if m.no_response_needed_at is None
        and not any(s.direction == "seller" and s.sent_at > m.sent_at for s in messages)
    ]
    waiting_since = min(unanswered, default=None)
    return (
        waiting_since is not None,
        waiting_since,
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
    return (
        c.awaiting_reply,
        c.waiting_since,
        c.last_body,
        c.last_buyer_message_at,
        c.unread_count,
    )


def test_ms4_columns_follow_inserts_replies_reads_and_deletes(seller, marketplace):
    conversation = conversation_of(seller, marketplace)
    assert stored(conversation) == (False, None, "", None, 0)

    question = add(conversation, "buyer", 0, "Where is my parcel?")
    assert stored(conversation) == (
        True,
        question.sent_at,
        "Where is my parcel?",
        question.sent_at,
        1,
    )

    add(conversation, "seller", 30, "On its way.")
    assert stored(conversation) == (False, None, "On its way.", question.sent_at, 1)

    Message.objects.filter(pk=question.pk).update(read_at=T0)  # the seller opened it
    assert stored(conversation)[4] == 0

    later = add(conversation, "buyer", 60, "Still nothing.")
    assert stored(conversation) == (True, later.sent_at, "Still nothing.", later.sent_at, 1)

    later.delete()
    assert stored(conversation) == (False, None, "On its way.", question.sent_at, 0)


def test_ms4_waiting_runs_from_the_oldest_unanswered_buyer_message(seller, marketplace):
    conversation = conversation_of(seller, marketplace)
    first = add(conversation, "buyer", 0, "Where is my parcel?")
    add(conversation, "buyer", 90, "Hello?")
    assert stored(conversation)[:2] == (True, first.sent_at)  # not the latest one
    add(conversation, "seller", 120, "On its way.")
    again = add(conversation, "buyer", 150, "Thanks, and the invoice?")
    assert stored(conversation)[:2] == (True, again.sent_at)


def test_ms4_ux6_marking_no_response_needed_stops_the_wait(seller, marketplace):
    conversation = conversation_of(seller, marketplace)
    add(conversation, "buyer", 0, "Where is my parcel?")
    add(conversation, "seller", 30, "On its way.")
    thanks = add(conversation, "buyer", 60, "Thanks!")
    assert stored(conversation)[:2] == (True, thanks.sent_at)
    # The mark alone (an update of no other column) refreshes the conversation.
    Message.objects.filter(pk=thanks.pk).update(no_response_needed_at=T0)
    assert stored(conversation)[:2] == (False, None)
    assert stored(conversation)[2] == "Thanks!"  # still the last message shown
    Message.objects.filter(pk=thanks.pk).update(no_response_needed_at=None)
    assert stored(conversation)[:2] == (True, thanks.sent_at)
    # A buyer message at the same instant as the seller's is not answered by it (MS-5).
    tie = add(conversation, "buyer", 30, "Also: the colour?")
    assert stored(conversation)[:2] == (True, tie.sent_at)


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
    assert stored(second) == (False, None, "", None, 0)
    assert stored(first) == naive(first)
    assert replies_match(first)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["buyer", "seller"]),
            st.integers(0, 500),
            st.booleans(),
            st.booleans(),
        ),
        max_size=8,
    ),
    st.sets(st.integers(0, 7), max_size=3),
    st.sets(st.integers(0, 7), max_size=3),
)
def test_ms4_columns_equal_a_naive_computation(seller, marketplace, steps, marked, deleted):
    conversation = conversation_of(seller, marketplace)
    made = [
        add(conversation, d, minutes, read=read, no_response_needed=d == "buyer" and nrn)
        for d, minutes, read, nrn in steps
    ]
    assert stored(conversation) == naive(conversation)
    assert replies_match(conversation)
    Message.objects.filter(
        pk__in=[m.pk for i, m in enumerate(made) if i in marked], direction="buyer"
    ).update(no_response_needed_at=T0)
    assert stored(conversation) == naive(conversation)
    Message.objects.filter(pk__in=[m.pk for i, m in enumerate(made) if i in deleted]).delete()
    assert stored(conversation) == naive(conversation)
    assert replies_match(conversation)


def _rows(cursor, sql, params=()) -> list:
    cursor.execute(sql, params)
    return cursor.fetchall()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ms4_migration_0010_refreshes_existing_conversations_both_ways(seller, marketplace):
    """Conversations written under 0009's rule ("the last message is the buyer's") read the new
    way once 0010 runs, and the old way again when it is reversed."""
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        ("messaging", "0009_survey_seller_index_dropped"),
        ("messaging", "0010_waiting_since"),
    )
    thanked = conversation_of(seller, marketplace)
    waiting = conversation_of(seller, marketplace)

    def migrate(*targets):
        executor = MigrationExecutor(connection)
        executor.migrate(list(targets) or executor.loader.graph.leaf_nodes())

    migrate(before)
    try:
        with connection.cursor() as cursor:
            insert = (
                "INSERT INTO messaging_message (conversation_id, seller_id, marketplace_id, "
                "direction, external_id, body, attachments, sent_at, proactive, "
                "no_response_needed_at, guideline_flags) "
                "VALUES (%s, %s, %s, %s, '', %s, '[]', %s, false, %s, '')"
            )
            for conversation, direction, minutes, marked in (
                (thanked, "buyer", 0, False),
                (thanked, "seller", 30, False),
                (thanked, "buyer", 60, True),  # "Thanks!", marked: no answer owed
                (waiting, "buyer", 0, False),
                (waiting, "buyer", 60, False),
            ):
                cursor.execute(
                    insert,
                    [
                        conversation.pk,
                        seller.pk,
                        marketplace.pk,
                        direction,
                        f"{direction} {minutes}",
                        T0 + timedelta(minutes=minutes),
                        T0 if marked else None,
                    ],
                )
            old = "SELECT awaiting_reply FROM messaging_conversation WHERE id = %s"
            assert _rows(cursor, old, [thanked.pk]) == [(True,)]
        migrate(after)
        assert stored(thanked)[:2] == (False, None)
        assert stored(waiting)[:2] == (True, T0)  # the oldest unanswered message
        with connection.cursor() as cursor:
            indexes = {
                row[0]
                for row in _rows(
                    cursor,
                    "SELECT indexname FROM pg_indexes WHERE tablename = 'messaging_conversation'",
                )
            }
        assert {"conversation_waiting_mkt", "conversation_waiting"} <= indexes
        assert not {"conversation_queue_mkt", "conversation_queue"} & indexes
        migrate(before)
        with connection.cursor() as cursor:
            assert _rows(cursor, old, [thanked.pk]) == [(True,)]
    finally:
        migrate()  # every app's latest, whatever was reversed with 0010
