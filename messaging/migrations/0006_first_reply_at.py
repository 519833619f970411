"""MS-5, PM-4: each buyer message keeps when the seller first replied after it
(``first_reply_at``), maintained by the same statement-level triggers as the inbox columns
(0005), so a response time reads one row instead of searching the conversation. The indexes the
recomputes read carry their columns (#8).

Not atomic: the triggers go in first, existing messages are filled in batches, and the indexes
are built concurrently, so messages keep arriving while it runs."""

from django.conf import settings
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models

from sellercx.backfill import batched_update

# The first seller message after each buyer message of these conversations.
REPLIES_SQL = """
CREATE OR REPLACE FUNCTION messaging_refresh_replies(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE messaging_message b
    SET first_reply_at = r.at
    FROM (SELECT DISTINCT id FROM unnest(ids) AS t(id)) conv
    JOIN messaging_message q ON q.conversation_id = conv.id AND q.direction = 'buyer'
    CROSS JOIN LATERAL (
        SELECT min(s.sent_at) AS at FROM messaging_message s
        WHERE s.conversation_id = q.conversation_id AND s.direction = 'seller'
          AND s.sent_at > q.sent_at
    ) r
    WHERE b.id = q.id AND b.first_reply_at IS DISTINCT FROM r.at
$$;

-- An update that changes none of what the inbox columns and the replies are made of (the
-- replies' own first_reply_at, a flag) refreshes nothing; that includes the trigger's own
-- update of first_reply_at, which fires it again one level down.
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
"""

FILL_SQL = """
UPDATE messaging_message t
SET first_reply_at = (
    SELECT min(s.sent_at) FROM messaging_message s
    WHERE s.conversation_id = t.conversation_id AND s.direction = 'seller'
      AND s.sent_at > t.sent_at)
WHERE t.direction = 'buyer' AND t.id >= %(lo)s AND t.id < %(hi)s
"""

# Back to 0005's trigger function.
UNDO_SQL = """
CREATE OR REPLACE FUNCTION messaging_message_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM messaging_refresh_conversations(ARRAY(SELECT conversation_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM messaging_refresh_conversations(ARRAY(SELECT conversation_id FROM old_rows));
    ELSE
        PERFORM messaging_refresh_conversations(ARRAY(
            SELECT conversation_id FROM new_rows UNION SELECT conversation_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;
DROP FUNCTION IF EXISTS messaging_refresh_replies(bigint[]);
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('messaging', '0005_inbox_columns'),
        ('sellercx', '0004_order_seller_date_cover'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='survey',
            index=models.Index(fields=['seller', 'marketplace', 'answered_at'], include=('conversation', 'answer', 'id'), name='survey_answered_cover'),
        ),
        RemoveIndexConcurrently(
            model_name='survey',
            name='survey_answered',
        ),
        migrations.AddField(
            model_name='message',
            name='first_reply_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='first reply'),
        ),
        migrations.RunSQL(REPLIES_SQL, UNDO_SQL),
        batched_update("messaging_message", FILL_SQL),
        AddIndexConcurrently(
            model_name='message',
            index=models.Index(fields=['seller', 'direction', 'sent_at'], include=('marketplace', 'first_reply_at', 'no_response_needed_at'), name='message_seller_sent_cover'),
        ),
        RemoveIndexConcurrently(
            model_name='message',
            name='message_seller_sent',
        ),
    ]
