"""SC-4: when each feedback reached SellerCX, so a recompute of a past period counts only what
had arrived by its start (a storefront may now send ``leftAt``: deliver late, or backfill).
Existing feedback is taken to have arrived when left. The indexes the recomputes read feedback
from are rebuilt with it, concurrently, once it is filled; the "item not as described" one
now holds removed and struck-through feedback too, with when, since a past period counts
what was removed only later (VC-3)."""

import django.db.models.functions.datetime
from django.db import migrations, models

from sellercx.backfill import batched_update, replaced_index

FILL = """
UPDATE feedback_feedback t SET received_at = t.left_at
WHERE t.id >= %(lo)s AND t.id < %(hi)s
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("feedback", "0007_feedback_not_as_described"),
    ]

    operations = [
        migrations.AddField(
            model_name="feedback",
            name="received_at",
            field=models.DateTimeField(
                db_default=django.db.models.functions.datetime.Now(),
                editable=False,
                verbose_name="received",
            ),
        ),
        batched_update("feedback_feedback", FILL),
        *replaced_index(
            "feedback",
            models.Index(
                fields=["seller", "marketplace", "-left_at"],
                include=("rating", "removed_at", "struck_through_at", "order", "received_at"),
                name="feedback_seller_mkt_left_cover",
            ),
        ),
        *replaced_index(
            "feedback",
            models.Index(
                condition=models.Q(("item_as_described", False)),
                fields=["order"],
                include=("left_at", "removed_at", "struck_through_at", "received_at"),
                name="feedback_not_as_described",
            ),
        ),
        *replaced_index(
            "feedback",
            models.Index(
                condition=models.Q(("rating__lte", 2)),
                fields=["seller", "left_at"],
                include=("order", "removed_at", "struck_through_at", "received_at"),
                name="feedback_seller_negative",
            ),
        ),
    ]
