"""The account-wide orders index carries what the metrics recompute reads (PM-1, #8). Built
concurrently: orders keep arriving while it builds."""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('sellercx', '0003_order_seller_date'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='order',
            index=models.Index(fields=['seller', '-purchased_at', '-id'], include=('marketplace', 'fulfilment_channel', 'status'), name='order_seller_date_cover'),
        ),
        RemoveIndexConcurrently(
            model_name='order',
            name='order_seller_date',
        ),
    ]
