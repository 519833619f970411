"""The CX history has no index by seller (#8): every read is one offer's weeks, through
``offer_cx_week_unique``, and each week's run wrote an entry for every offer into an index only
a seller's deletion read. That deletion now reaches the rows through the seller's offers. The
index is dropped concurrently, so the dashboards keep reading while it goes."""

import django.db.models.deletion
from django.contrib.postgres.operations import RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("sellercx", "0011_order_line_seller_offer_cover"),
        ("voc", "0004_status_fillfactor"),
    ]

    operations = [
        RemoveIndexConcurrently(model_name="offercxweek", name="offer_cx_week_seller"),
        migrations.AlterField(
            model_name="offercxstatus",
            name="seller",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="sellercx.selleraccount",
            ),
        ),
        migrations.AlterField(
            model_name="offercxweek",
            name="seller",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="sellercx.selleraccount",
            ),
        ),
    ]
