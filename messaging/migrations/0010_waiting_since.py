"""MS-4, MS-5, UX-6 (#19): "no response needed" clears the inbox, and the inbox waits from the
oldest unanswered message.

A conversation now awaits a reply when a buyer message has no seller message after it and is
not marked "no response needed" (the rule MS-5's response times already follow, through each
buyer message's ``first_reply_at``), instead of "its last message is the buyer's": a "thank you"
marked as needing no answer no longer keeps the conversation first and late. ``waiting_since``
keeps since when: the oldest such buyer message, so the 24-hour mark runs from the first
message left unanswered, not from the latest one. The trigger also fires on marking a message
(its update of ``no_response_needed_at`` changed nothing the inbox read before).

The inbox sorts on ``waiting_since`` (the longest waiting first, then the most recent), on
indexes that replace the ``awaiting_reply`` ones. Not atomic, like 0006: the functions go in
first, existing conversations are refreshed in batches, the check that the two columns agree is
validated without blocking writes, and the indexes are built concurrently.
"""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models

from sellercx.backfill import batched_update

# The buyer messages a conversation waits on: no seller message strictly after them (as
# ``first_reply_at`` counts a reply, 0006) and not marked "no response needed".
FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION messaging_refresh_conversations(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE messaging_conversation c
    SET awaiting_reply = waiting.since IS NOT NULL,
        waiting_since = waiting.since,
        last_body = coalesce(last.body, ''),
        last_buyer_message_at = agg.last_buyer_at,
        unread_count = agg.unread
    FROM (SELECT DISTINCT id FROM unnest(ids) AS t(id)) conv
    LEFT JOIN LATERAL (
        SELECT m.body FROM messaging_message m
        WHERE m.conversation_id = conv.id
        ORDER BY m.sent_at DESC, m.id DESC LIMIT 1
    ) last ON true
    CROSS JOIN LATERAL (
        SELECT max(m.sent_at) FILTER (WHERE m.direction = 'buyer') AS last_buyer_at,
               max(m.sent_at) FILTER (WHERE m.direction = 'seller') AS last_seller_at,
               count(*) FILTER (WHERE m.direction = 'buyer' AND m.read_at IS NULL) AS unread
        FROM messaging_message m WHERE m.conversation_id = conv.id
    ) agg
    CROSS JOIN LATERAL (
        SELECT min(m.sent_at) AS since FROM messaging_message m
        WHERE m.conversation_id = conv.id AND m.direction = 'buyer'
          AND m.no_response_needed_at IS NULL
          AND (agg.last_seller_at IS NULL OR m.sent_at >= agg.last_seller_at)
    ) waiting
    WHERE c.id = conv.id
      AND (c.awaiting_reply, c.waiting_since, c.last_body, c.last_buyer_message_at,
           c.unread_count)
          IS DISTINCT FROM (waiting.since IS NOT NULL, waiting.since, coalesce(last.body, ''),
                            agg.last_buyer_at, agg.unread::int)
$$;

CREATE OR REPLACE FUNCTION messaging_message_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF pg_trigger_depth() > 1 THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        ids := ARRAY(SELECT conversation_id FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY(SELECT conversation_id FROM old_rows);
    ELSE
        ids := ARRAY(
            SELECT n.conversation_id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.conversation_id, n.direction, n.sent_at, n.body, n.read_at,
                   n.no_response_needed_at)
                  IS DISTINCT FROM (o.conversation_id, o.direction, o.sent_at, o.body, o.read_at,
                                    o.no_response_needed_at)
            UNION
            SELECT o.conversation_id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE n.conversation_id IS DISTINCT FROM o.conversation_id);
        IF cardinality(ids) = 0 THEN
            RETURN NULL;
        END IF;
    END IF;
    PERFORM messaging_refresh_conversations(ids);
    PERFORM messaging_refresh_replies(ids);
    RETURN NULL;
END $$;
"""

# Back to 0005's inbox function and 0006's trigger function; the conversations it reads
# differently (a marked message, an earlier buyer message) are refreshed its way.
UNDO_SQL = """
CREATE OR REPLACE FUNCTION messaging_refresh_conversations(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE messaging_conversation c
    SET awaiting_reply = coalesce(last.direction = 'buyer', false),
        last_body = coalesce(last.body, ''),
        last_buyer_message_at = agg.last_buyer_at,
        unread_count = agg.unread
    FROM (SELECT DISTINCT id FROM unnest(ids) AS t(id)) conv
    LEFT JOIN LATERAL (
        SELECT m.direction, m.body FROM messaging_message m
        WHERE m.conversation_id = conv.id
        ORDER BY m.sent_at DESC, m.id DESC LIMIT 1
    ) last ON true
    CROSS JOIN LATERAL (
        SELECT max(m.sent_at) FILTER (WHERE m.direction = 'buyer') AS last_buyer_at,
               count(*) FILTER (WHERE m.direction = 'buyer' AND m.read_at IS NULL) AS unread
        FROM messaging_message m WHERE m.conversation_id = conv.id
    ) agg
    WHERE c.id = conv.id
      AND (c.awaiting_reply, c.last_body, c.last_buyer_message_at, c.unread_count)
          IS DISTINCT FROM (coalesce(last.direction = 'buyer', false), coalesce(last.body, ''),
                            agg.last_buyer_at, agg.unread::int)
$$;

CREATE OR REPLACE FUNCTION messaging_message_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF pg_trigger_depth() > 1 THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        ids := ARRAY(SELECT conversation_id FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY(SELECT conversation_id FROM old_rows);
    ELSE
        ids := ARRAY(
            SELECT n.conversation_id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.conversation_id, n.direction, n.sent_at, n.body, n.read_at)
                  IS DISTINCT FROM (o.conversation_id, o.direction, o.sent_at, o.body, o.read_at)
            UNION
            SELECT o.conversation_id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE n.conversation_id IS DISTINCT FROM o.conversation_id);
        IF cardinality(ids) = 0 THEN
            RETURN NULL;
        END IF;
    END IF;
    PERFORM messaging_refresh_conversations(ids);
    PERFORM messaging_refresh_replies(ids);
    RETURN NULL;
END $$;

SELECT messaging_refresh_conversations(ARRAY(SELECT id FROM messaging_conversation));
"""

REFRESH_SQL = """
SELECT messaging_refresh_conversations(ARRAY(
    SELECT t.id FROM messaging_conversation t WHERE t.id >= %(lo)s AND t.id < %(hi)s))
"""

# Added NOT VALID, then validated: the check reads the table without blocking its writers.
CHECK_SQL = """
ALTER TABLE messaging_conversation ADD CONSTRAINT conversation_awaits_since
    CHECK ((awaiting_reply AND waiting_since IS NOT NULL)
           OR (NOT awaiting_reply AND waiting_since IS NULL)) NOT VALID;
ALTER TABLE messaging_conversation VALIDATE CONSTRAINT conversation_awaits_since;
"""
UNCHECK_SQL = "ALTER TABLE messaging_conversation DROP CONSTRAINT conversation_awaits_since;"


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("messaging", "0009_survey_seller_index_dropped")]

    operations = [
        migrations.AddField(
            model_name="conversation",
            name="waiting_since",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="waiting for a reply since",
            ),
        ),
        migrations.RunSQL(FUNCTIONS_SQL, UNDO_SQL),
        batched_update("messaging_conversation", REFRESH_SQL),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(CHECK_SQL, UNCHECK_SQL)],
            state_operations=[
                migrations.AddConstraint(
                    model_name="conversation",
                    constraint=models.CheckConstraint(
                        condition=models.Q(awaiting_reply=True, waiting_since__isnull=False)
                        | models.Q(awaiting_reply=False, waiting_since__isnull=True),
                        name="conversation_awaits_since",
                    ),
                )
            ],
        ),
        AddIndexConcurrently(
            model_name="conversation",
            index=models.Index(
                fields=["seller", "marketplace", "waiting_since", "-last_message_at", "-id"],
                name="conversation_waiting_mkt",
            ),
        ),
        AddIndexConcurrently(
            model_name="conversation",
            index=models.Index(
                fields=["seller", "waiting_since", "-last_message_at", "-id"],
                name="conversation_waiting",
            ),
        ),
        RemoveIndexConcurrently(model_name="conversation", name="conversation_queue_mkt"),
        RemoveIndexConcurrently(model_name="conversation", name="conversation_queue"),
    ]
