"""The API lists a seller's offers newest first, 20 at a time (VC-1, #8): without an index on
(seller, id), PostgreSQL walks the primary key from the newest offer of every seller. Built
concurrently: offers keep changing while it builds."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("sellercx", "0009_offer_category"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="offer",
            index=models.Index(fields=["seller", "-id"], name="offer_seller_newest_first"),
        ),
    ]
