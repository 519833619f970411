"""VC-2: order lines carry their order's purchase date, kept by triggers (a line takes its
order's date when written; an order's new date goes to its lines), so the VOC recompute reads an
offer's orders of a window as one index range (#8). Existing lines are filled in batches once
the triggers are in place, and the indexes built concurrently, so writers never wait long."""

import django.db.models.deletion
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

from sellercx.backfill import batched_update

TRIGGERS_SQL = """
CREATE OR REPLACE FUNCTION sellercx_orderline_date() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.purchased_at := (SELECT o.purchased_at FROM sellercx_order o WHERE o.id = NEW.order_id);
    RETURN NEW;
END $$;

CREATE TRIGGER sellercx_orderline_dated BEFORE INSERT OR UPDATE OF order_id
    ON sellercx_orderline FOR EACH ROW EXECUTE FUNCTION sellercx_orderline_date();

CREATE OR REPLACE FUNCTION sellercx_order_redated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sellercx_orderline l SET purchased_at = n.purchased_at
    FROM new_rows n
    WHERE l.order_id = n.id AND l.purchased_at IS DISTINCT FROM n.purchased_at;
    RETURN NULL;
END $$;

CREATE TRIGGER sellercx_order_redated AFTER UPDATE ON sellercx_order
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sellercx_order_redated();
"""

FILL_SQL = """
UPDATE sellercx_orderline t SET purchased_at = o.purchased_at
FROM sellercx_order o
WHERE o.id = t.order_id AND t.id >= %(lo)s AND t.id < %(hi)s
  AND t.purchased_at IS DISTINCT FROM o.purchased_at
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS sellercx_order_redated ON sellercx_order;
DROP TRIGGER IF EXISTS sellercx_orderline_dated ON sellercx_orderline;
DROP FUNCTION IF EXISTS sellercx_order_redated();
DROP FUNCTION IF EXISTS sellercx_orderline_date();
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('sellercx', '0004_order_seller_date_cover'),
    ]

    operations = [
        migrations.AddField(
            model_name='orderline',
            name='purchased_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='purchased'),
        ),
        migrations.RunSQL(TRIGGERS_SQL, DROP_SQL),
        batched_update("sellercx_orderline", FILL_SQL),
        AddIndexConcurrently(
            model_name='order',
            index=models.Index(condition=models.Q(('status', 'cancelled')), fields=['id'], name='order_cancelled'),
        ),
        AddIndexConcurrently(
            model_name='orderline',
            index=models.Index(fields=['offer', 'purchased_at'], include=('order',), name='order_line_offer_date'),
        ),
        # The offer's own index goes once the new one, which starts with the offer, is there.
        migrations.AlterField(
            model_name='orderline',
            name='offer',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='order_lines', to='sellercx.offer'),
        ),
    ]
