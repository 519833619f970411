"""MS-5, PM-4: each buyer message keeps when the seller first replied after it
(``first_reply_at``), maintained by the same statement-level triggers as the inbox columns
(0005), so a response time reads one row instead of searching the conversation. Existing
messages are filled once here. The indexes the recomputes read carry their columns (#8)."""

from django.conf import settings
from django.db import migrations, models

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

-- The update of first_reply_at fires this trigger again (depth 2): it changes nothing the
-- inbox columns or the replies depend on, so nested calls return at once.
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
        ids := ARRAY(SELECT conversation_id FROM new_rows
                     UNION SELECT conversation_id FROM old_rows);
    END IF;
    PERFORM messaging_refresh_conversations(ids);
    PERFORM messaging_refresh_replies(ids);
    RETURN NULL;
END $$;

-- The fill touches no column the triggers keep: they need not run for it.
ALTER TABLE messaging_message DISABLE TRIGGER messaging_message_updated;
UPDATE messaging_message b
SET first_reply_at = (
    SELECT min(s.sent_at) FROM messaging_message s
    WHERE s.conversation_id = b.conversation_id AND s.direction = 'seller'
      AND s.sent_at > b.sent_at)
WHERE b.direction = 'buyer';
ALTER TABLE messaging_message ENABLE TRIGGER messaging_message_updated;
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

    dependencies = [
        ('messaging', '0005_inbox_columns'),
        ('sellercx', '0004_order_seller_date_cover'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='survey',
            name='survey_answered',
        ),
        migrations.AddIndex(
            model_name='survey',
            index=models.Index(fields=['seller', 'marketplace', 'answered_at'], include=('conversation', 'answer', 'id'), name='survey_answered_cover'),
        ),
        migrations.RemoveIndex(
            model_name='message',
            name='message_seller_sent',
        ),
        migrations.AddField(
            model_name='message',
            name='first_reply_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='first reply'),
        ),
        migrations.RunSQL(REPLIES_SQL, UNDO_SQL),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(fields=['seller', 'direction', 'sent_at'], include=('marketplace', 'first_reply_at', 'no_response_needed_at'), name='message_seller_sent_cover'),
        ),
    ]
