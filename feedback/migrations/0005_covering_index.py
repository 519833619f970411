"""The feedback index the metrics recompute reads carries its columns (#8); built
concurrently, so feedback keeps arriving while it builds."""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('feedback', '0004_feedback_seller_left'),
        ('sellercx', '0007_recompute_jobs'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='feedback',
            index=models.Index(fields=['seller', 'marketplace', '-left_at'], include=('rating', 'removed_at', 'struck_through_at', 'order'), name='feedback_seller_mkt_left_cover'),
        ),
        RemoveIndexConcurrently(
            model_name='feedback',
            name='feedback_seller_mkt_left',
        ),
    ]
