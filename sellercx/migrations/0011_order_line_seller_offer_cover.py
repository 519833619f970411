"""An offer's orders from the index alone (VC-3, #8): the VOC offer page lists the negative
experiences of every order of the offer, and the biggest offers have ~10k order lines spread
over as many heap pages. The covering index replaces the plain one it extends. Built
concurrently: orders keep arriving while it builds."""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("sellercx", "0010_offer_seller_newest_first"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="orderline",
            index=models.Index(
                fields=["seller", "offer"], include=["order"], name="order_line_seller_offer_cover"
            ),
        ),
        RemoveIndexConcurrently(
            model_name="orderline",
            name="order_line_seller_offer",
        ),
    ]
