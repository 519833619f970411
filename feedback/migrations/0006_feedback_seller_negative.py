"""The account's negative feedback (1-2 stars) by date, with its order: the defects drill-down
reads the orders with negative feedback from it alone (PM-6, #8). Built concurrently, so
feedback keeps arriving while it builds."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('feedback', '0005_covering_index'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='feedback',
            index=models.Index(condition=models.Q(('rating__lte', 2)), fields=['seller', 'left_at'], include=('order', 'removed_at', 'struck_through_at'), name='feedback_seller_negative'),
        ),
    ]
