"""SC-4: when each review, and each edit, reached SellerCX, so a recompute of a past period
counts only what had arrived by its start, with the rating that stood then. Existing reviews
are taken to have arrived when posted, and edits when made (``replaced_at`` was the time the
edit was stored). The VOC recompute reads both with the review (VC-3): the covering index is
rebuilt with them, concurrently, once they are filled."""

import django.db.models.functions.datetime
from django.db import migrations, models

from sellercx.backfill import batched_update, replaced_index

FILL_REVIEWS = """
UPDATE reviews_review t SET received_at = t.posted_at
WHERE t.id >= %(lo)s AND t.id < %(hi)s
"""

FILL_REVISIONS = """
UPDATE reviews_reviewrevision t SET received_at = t.replaced_at
WHERE t.id >= %(lo)s AND t.id < %(hi)s
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("reviews", "0003_review_verified_order_cover"),
    ]

    operations = [
        migrations.AddField(
            model_name="review",
            name="received_at",
            field=models.DateTimeField(
                db_default=django.db.models.functions.datetime.Now(),
                editable=False,
                verbose_name="received",
            ),
        ),
        migrations.AddField(
            model_name="reviewrevision",
            name="received_at",
            field=models.DateTimeField(
                db_default=django.db.models.functions.datetime.Now(),
                editable=False,
                verbose_name="replacement received",
            ),
        ),
        batched_update("reviews_review", FILL_REVIEWS),
        batched_update("reviews_reviewrevision", FILL_REVISIONS),
        *replaced_index(
            "review",
            models.Index(
                condition=models.Q(("verified_order__isnull", False)),
                fields=["verified_order"],
                include=("rating", "product", "posted_at", "received_at", "edited_at", "id"),
                name="review_verified_order_cover",
            ),
        ),
    ]
