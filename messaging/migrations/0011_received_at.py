"""SC-4: when each message, and each survey answer, reached SellerCX, so a recompute of a past
period counts only what had arrived by its start: response times (PM-4) the messages, the
customer-service rating (CS-3) the answers. A survey row is written with the seller's reply and
answered later, so its answer's arrival is set by a trigger when the answer is written,
whatever writes it. Existing messages are taken to have arrived when sent, existing answers
when given. The indexes the recomputes read them from are rebuilt with the new columns,
concurrently, once they are filled."""

import django.db.models.functions.datetime
from django.db import migrations, models

from sellercx.backfill import batched_update, replaced_index

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION messaging_survey_answer_received() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.answer = '' THEN
        NEW.answer_received_at := NULL;
    ELSIF NEW.answer_received_at IS NULL THEN
        NEW.answer_received_at := statement_timestamp();
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER messaging_survey_answer_received BEFORE INSERT OR UPDATE OF answer
    ON messaging_survey FOR EACH ROW EXECUTE FUNCTION messaging_survey_answer_received();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS messaging_survey_answer_received ON messaging_survey;
DROP FUNCTION IF EXISTS messaging_survey_answer_received();
"""

FILL_MESSAGES = """
UPDATE messaging_message t SET received_at = t.sent_at
WHERE t.id >= %(lo)s AND t.id < %(hi)s
"""

FILL_ANSWERS = """
UPDATE messaging_survey t SET answer_received_at = t.answered_at
WHERE t.answer <> '' AND t.answer_received_at IS DISTINCT FROM t.answered_at
  AND t.id >= %(lo)s AND t.id < %(hi)s
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("messaging", "0010_waiting_since"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="received_at",
            field=models.DateTimeField(
                db_default=django.db.models.functions.datetime.Now(),
                editable=False,
                verbose_name="received",
            ),
        ),
        migrations.AddField(
            model_name="survey",
            name="answer_received_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="answer received"
            ),
        ),
        migrations.RunSQL(TRIGGER_SQL, DROP_SQL),
        batched_update("messaging_message", FILL_MESSAGES),
        batched_update("messaging_survey", FILL_ANSWERS),
        *replaced_index(
            "message",
            models.Index(
                fields=["seller", "direction", "sent_at"],
                include=("marketplace", "first_reply_at", "no_response_needed_at", "received_at"),
                name="message_seller_sent_cover",
            ),
        ),
        *replaced_index(
            "survey",
            models.Index(
                fields=["seller", "answered_at"],
                include=("marketplace", "conversation", "answer", "id", "answer_received_at"),
                name="survey_seller_answered",
            ),
        ),
    ]
