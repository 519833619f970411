"""VC-3 (#8): each window order is looked up in the verified reviews by an index that holds
what the VOC recompute reads of them (rating, product, date), not in the table; it takes the
place of the order key's own index, and leaves out the unverified reviews. Built and dropped
concurrently."""

import django.db.models.deletion
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

from sellercx.backfill import unindexed_foreign_key


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("reviews", "0002_review_brand_posted_cover"),
        ("sellercx", "0012_experience_source_covers"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="review",
            index=models.Index(
                condition=models.Q(("verified_order__isnull", False)),
                fields=["verified_order"],
                include=("rating", "product", "posted_at"),
                name="review_verified_order_cover",
            ),
        ),
        unindexed_foreign_key(
            "reviews",
            "review",
            "verified_order",
            models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="sellercx.order",
            ),
        ),
    ]
