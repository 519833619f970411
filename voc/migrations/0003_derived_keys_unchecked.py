"""Recompute outputs keep their keys unchecked by the database (sellercx.models.DERIVED_KEY, #8)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sellercx', '0007_recompute_jobs'),
        ('voc', '0002_fewer_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='offercxstatus',
            name='marketplace',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='sellercx.marketplace'),
        ),
        migrations.AlterField(
            model_name='offercxstatus',
            name='offer',
            field=models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='cx', serialize=False, to='sellercx.offer'),
        ),
        migrations.AlterField(
            model_name='offercxstatus',
            name='seller',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='sellercx.selleraccount'),
        ),
        migrations.AlterField(
            model_name='offercxweek',
            name='marketplace',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='sellercx.marketplace'),
        ),
        migrations.AlterField(
            model_name='offercxweek',
            name='offer',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='cx_weeks', to='sellercx.offer'),
        ),
        migrations.AlterField(
            model_name='offercxweek',
            name='seller',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='sellercx.selleraccount'),
        ),
    ]
