"""The weekly rating (CS-2, CS-3, #8):

- it reads a window of each seller's answers as one index range: the survey index now puts the
  date right after the seller (with the marketplace second, every seller's whole history was
  read to find its window). Built before the old one goes, both concurrently, so answers keep
  arriving and the recompute always has an index;
- the rating rows it writes no longer update two single-column indexes: every read of them goes
  through ``cs_rating_one_per_week`` (seller first), and a marketplace is deleted about never.
"""

import django.db.models.deletion
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("messaging", "0007_derived_keys_unchecked"),
        ("sellercx", "0011_order_line_seller_offer_cover"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="survey",
            index=models.Index(
                fields=["seller", "answered_at"],
                include=("marketplace", "conversation", "answer", "id"),
                name="survey_seller_answered",
            ),
        ),
        RemoveIndexConcurrently(model_name="survey", name="survey_answered_cover"),
        migrations.AlterField(
            model_name="customerservicerating",
            name="marketplace",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="sellercx.marketplace",
            ),
        ),
        migrations.AlterField(
            model_name="customerservicerating",
            name="seller",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="sellercx.selleraccount",
            ),
        ),
    ]
