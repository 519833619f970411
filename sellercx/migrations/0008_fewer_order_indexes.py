"""Orders and order lines lose the single-column indexes of their seller, marketplace and order:
the composite indexes lead with them, and ingestion wrote each for every row (#8)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sellercx", "0007_recompute_jobs"),
    ]

    operations = [
        migrations.AlterField(
            model_name="order",
            name="marketplace",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                to="sellercx.marketplace",
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="seller",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="orders",
                to="sellercx.selleraccount",
                verbose_name="seller of record",
            ),
        ),
        migrations.AlterField(
            model_name="orderline",
            name="order",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="lines",
                to="sellercx.order",
            ),
        ),
        migrations.AlterField(
            model_name="orderline",
            name="seller",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                to="sellercx.selleraccount",
            ),
        ),
    ]
