"""Recompute outputs keep their keys unchecked by the database (sellercx.models.DERIVED_KEY, #8)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('metrics', '0002_larger_values'),
        ('sellercx', '0007_recompute_jobs'),
    ]

    operations = [
        migrations.AlterField(
            model_name='metricsnapshot',
            name='marketplace',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='sellercx.marketplace'),
        ),
        migrations.AlterField(
            model_name='metricsnapshot',
            name='seller',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='sellercx.selleraccount'),
        ),
    ]
