"""The snapshots' single-column seller index goes (#8): the unique key per day and
``metric_snapshot_latest`` both lead with the seller, so they serve a seller's deletion and
every read by seller, and each day's snapshots write one index fewer. Dropped concurrently."""

import django.db.models.deletion
from django.db import migrations, models

from sellercx.backfill import unindexed_foreign_key


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("metrics", "0003_derived_keys_unchecked")]

    operations = [
        unindexed_foreign_key(
            "metrics",
            "metricsnapshot",
            "seller",
            models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="sellercx.selleraccount",
            ),
        ),
    ]
