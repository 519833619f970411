"""The VOC recompute's lookups (VC-2, VC-3, #8), all built and dropped concurrently:

- each window order is looked up in the returns, refunds and customer-service contacts by an
  index that holds what the recompute reads (offer, reason, date), not in the tables: at
  `large`, those table reads were most of a chunk's reads from outside shared buffers. Each
  covering index takes the place of the order key's own index;
- the cancelled orders are indexed by date, so a window excludes its own cancelled orders and
  no longer reads all of them, whatever their age, once per chunk;
- every kind of order event declares its index on the order in its ``Meta`` (the field no
  longer makes one), so the claims and chargebacks keep a plain one, now named.
"""

import django.db.models.deletion
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models

from sellercx.backfill import unindexed_foreign_key

COVERED = ("offer", "reason", "occurred_at")


def order_key() -> models.ForeignKey:
    return models.ForeignKey(
        db_index=False,
        on_delete=django.db.models.deletion.CASCADE,
        related_name="%(class)ss",
        to="sellercx.order",
    )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("sellercx", "0011_order_line_seller_offer_cover")]

    operations = [
        AddIndexConcurrently(
            model_name="return",
            index=models.Index(fields=["order"], include=COVERED, name="return_order_cover"),
        ),
        unindexed_foreign_key("sellercx", "return", "order", order_key()),
        AddIndexConcurrently(
            model_name="refund",
            index=models.Index(fields=["order"], include=COVERED, name="refund_order_cover"),
        ),
        unindexed_foreign_key("sellercx", "refund", "order", order_key()),
        AddIndexConcurrently(
            model_name="customerservicecontact",
            index=models.Index(fields=["order"], include=COVERED, name="contact_order_cover"),
        ),
        unindexed_foreign_key("sellercx", "customerservicecontact", "order", order_key()),
        AddIndexConcurrently(
            model_name="atozclaim",
            index=models.Index(fields=["order"], name="atozclaim_order"),
        ),
        unindexed_foreign_key(
            "sellercx", "atozclaim", "order", order_key(), keep=("atozclaim_order",)
        ),
        AddIndexConcurrently(
            model_name="chargeback",
            index=models.Index(fields=["order"], name="chargeback_order"),
        ),
        unindexed_foreign_key(
            "sellercx", "chargeback", "order", order_key(), keep=("chargeback_order",)
        ),
        AddIndexConcurrently(
            model_name="order",
            index=models.Index(
                condition=models.Q(("status", "cancelled")),
                fields=["purchased_at", "id"],
                name="order_cancelled_date",
            ),
        ),
        RemoveIndexConcurrently(model_name="order", name="order_cancelled"),
    ]
