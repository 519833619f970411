"""VC-5: offers carry their product's category, kept by triggers (an offer takes its product's
category when written; a product's new category goes to its offers), so the VOC recompute reads
a peer group's offers as one index range (#8). Existing offers are filled in batches once the
triggers are in place, and the index is built concurrently, so writers never wait long."""

import django.db.models.deletion
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

from sellercx.backfill import batched_update

TRIGGERS_SQL = """
CREATE OR REPLACE FUNCTION sellercx_offer_category() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.category_id := (SELECT p.category_id FROM sellercx_product p WHERE p.id = NEW.product_id);
    RETURN NEW;
END $$;

CREATE TRIGGER sellercx_offer_categorised BEFORE INSERT OR UPDATE OF product_id, category_id
    ON sellercx_offer FOR EACH ROW EXECUTE FUNCTION sellercx_offer_category();

CREATE OR REPLACE FUNCTION sellercx_product_recategorised() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sellercx_offer o SET category_id = n.category_id
    FROM new_rows n
    WHERE o.product_id = n.id AND o.category_id IS DISTINCT FROM n.category_id;
    RETURN NULL;
END $$;

CREATE TRIGGER sellercx_product_recategorised AFTER UPDATE ON sellercx_product
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION sellercx_product_recategorised();
"""

FILL_SQL = """
UPDATE sellercx_offer t SET category_id = p.category_id
FROM sellercx_product p
WHERE p.id = t.product_id AND t.id >= %(lo)s AND t.id < %(hi)s
  AND t.category_id IS DISTINCT FROM p.category_id
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS sellercx_product_recategorised ON sellercx_product;
DROP TRIGGER IF EXISTS sellercx_offer_categorised ON sellercx_offer;
DROP FUNCTION IF EXISTS sellercx_product_recategorised();
DROP FUNCTION IF EXISTS sellercx_offer_category();
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("sellercx", "0008_fewer_order_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="offer",
            name="category",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="sellercx.category",
            ),
        ),
        migrations.RunSQL(TRIGGERS_SQL, DROP_SQL),
        batched_update("sellercx_offer", FILL_SQL),
        AddIndexConcurrently(
            model_name="offer",
            index=models.Index(
                fields=["marketplace", "category"],
                include=("id", "seller", "product", "deleted_at"),
                name="offer_peer_group",
            ),
        ),
    ]
