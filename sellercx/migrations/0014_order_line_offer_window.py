"""VC-2, VC-3: the VOC recompute reads an offer's lines of a window, with their order, whether
it is cancelled and which sources have rows on it, from one index (#8). It is built
concurrently once voc 0006 has filled the bits, then the index it replaces goes, and so does
the index of cancelled orders, which only the recompute read."""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("sellercx", "0013_orderline_voc_columns"),
        ("voc", "0006_order_line_experience_sources"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="orderline",
            index=models.Index(
                fields=["offer", "purchased_at"],
                include=("order", "experience_sources", "order_cancelled"),
                name="order_line_offer_window",
            ),
        ),
        RemoveIndexConcurrently(model_name="orderline", name="order_line_offer_date"),
        RemoveIndexConcurrently(model_name="order", name="order_cancelled_date"),
    ]
