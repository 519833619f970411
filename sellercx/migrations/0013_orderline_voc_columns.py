"""VC-2, VC-3: order lines carry what the VOC recompute used to look up for every line of a
window (#8):

- ``order_cancelled``: whether the line's order is cancelled. The triggers of 0005, which copy
  the order's date to its lines, now copy this too; existing lines of cancelled orders are
  filled in batches once they are in place;
- ``experience_sources``: one bit for each source of negative experiences with a row on the
  order, kept by the triggers of voc 0006, which knows the sources.

Both are added empty (a default needs no table rewrite). The index the recompute reads them
from comes once both are filled (0014), so it is built once, compact.
"""

from django.db import migrations, models

from sellercx.backfill import batched_update

TRIGGERS_SQL = """
CREATE OR REPLACE FUNCTION sellercx_orderline_date() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT o.purchased_at, o.status = 'cancelled' INTO NEW.purchased_at, NEW.order_cancelled
    FROM sellercx_order o WHERE o.id = NEW.order_id;
    NEW.order_cancelled := coalesce(NEW.order_cancelled, false);  -- no such order: its FK says
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION sellercx_order_redated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sellercx_orderline l
    SET purchased_at = n.purchased_at, order_cancelled = n.status = 'cancelled'
    FROM new_rows n
    WHERE l.order_id = n.id
      AND (l.purchased_at IS DISTINCT FROM n.purchased_at
           OR l.order_cancelled <> (n.status = 'cancelled'));
    RETURN NULL;
END $$;
"""

# As 0005 left them.
REVERSE_SQL = """
CREATE OR REPLACE FUNCTION sellercx_orderline_date() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.purchased_at := (SELECT o.purchased_at FROM sellercx_order o WHERE o.id = NEW.order_id);
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION sellercx_order_redated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sellercx_orderline l SET purchased_at = n.purchased_at
    FROM new_rows n
    WHERE l.order_id = n.id AND l.purchased_at IS DISTINCT FROM n.purchased_at;
    RETURN NULL;
END $$;
"""

FILL_SQL = """
UPDATE sellercx_orderline t SET order_cancelled = true
FROM sellercx_order o
WHERE o.id = t.order_id AND o.status = 'cancelled' AND NOT t.order_cancelled
  AND t.id >= %(lo)s AND t.id < %(hi)s
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("sellercx", "0012_experience_source_covers")]

    operations = [
        migrations.AddField(
            model_name="orderline",
            name="order_cancelled",
            field=models.BooleanField(
                db_default=False, editable=False, verbose_name="order cancelled"
            ),
        ),
        migrations.AddField(
            model_name="orderline",
            name="experience_sources",
            field=models.PositiveSmallIntegerField(
                db_default=0, editable=False, verbose_name="experience sources"
            ),
        ),
        migrations.RunSQL(TRIGGERS_SQL, REVERSE_SQL),
        batched_update("sellercx_orderline", FILL_SQL),
    ]
