"""MS-4: the inbox columns of a conversation, kept by statement-level triggers on
messaging_message (insert, update, delete), so every writer keeps them right: services, ingestion,
COPY, the admin. Existing conversations are filled once here."""

from django.db import migrations, models


REFRESH_SQL = """
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

CREATE TRIGGER messaging_message_inserted AFTER INSERT ON messaging_message
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION messaging_message_changed();
CREATE TRIGGER messaging_message_updated AFTER UPDATE ON messaging_message
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION messaging_message_changed();
CREATE TRIGGER messaging_message_deleted AFTER DELETE ON messaging_message
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION messaging_message_changed();

SELECT messaging_refresh_conversations(ARRAY(SELECT id FROM messaging_conversation));
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS messaging_message_inserted ON messaging_message;
DROP TRIGGER IF EXISTS messaging_message_updated ON messaging_message;
DROP TRIGGER IF EXISTS messaging_message_deleted ON messaging_message;
DROP FUNCTION IF EXISTS messaging_message_changed();
DROP FUNCTION IF EXISTS messaging_refresh_conversations(bigint[]);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('messaging', '0004_message_proactive'),
        ('reviews', '0001_initial'),
        ('sellercx', '0003_order_seller_date'),
    ]

    operations = [
        migrations.AddField(
            model_name='conversation',
            name='awaiting_reply',
            field=models.BooleanField(default=False, editable=False, verbose_name='awaiting a reply'),
        ),
        migrations.AddField(
            model_name='conversation',
            name='last_body',
            field=models.TextField(blank=True, default='', editable=False, verbose_name='last message'),
        ),
        migrations.AddField(
            model_name='conversation',
            name='last_buyer_message_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='last buyer message'),
        ),
        migrations.AddField(
            model_name='conversation',
            name='unread_count',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='unread'),
        ),
        migrations.RunSQL(REFRESH_SQL, DROP_SQL),
        migrations.AddIndex(
            model_name='conversation',
            index=models.Index(fields=['seller', 'marketplace', '-awaiting_reply', '-last_message_at', '-id'], name='conversation_queue_mkt'),
        ),
        migrations.AddIndex(
            model_name='conversation',
            index=models.Index(fields=['seller', '-awaiting_reply', '-last_message_at', '-id'], name='conversation_queue'),
        ),
        migrations.AddIndex(
            model_name='conversation',
            index=models.Index(fields=['seller', '-last_message_at', '-id'], name='conversation_recent'),
        ),
    ]
