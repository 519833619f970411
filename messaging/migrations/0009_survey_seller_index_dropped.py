"""The survey's single-column seller index goes (#8): ``survey_seller_answered`` leads with
the seller, so it serves a seller's deletion and every read by seller, and each answer stored
updates one index fewer."""

import django.db.models.deletion
from django.db import migrations, models

from sellercx.backfill import unindexed_foreign_key


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("messaging", "0008_rating_and_survey_indexes")]

    operations = [
        unindexed_foreign_key(
            "messaging",
            "survey",
            "seller",
            models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="sellercx.selleraccount",
            ),
        ),
    ]
