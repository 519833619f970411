"""The account-wide orders index carries what the metrics recompute reads (PM-1, #8)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sellercx', '0003_order_seller_date'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='order',
            name='order_seller_date',
        ),
        migrations.AddIndex(
            model_name='order',
            index=models.Index(fields=['seller', '-purchased_at', '-id'], include=('marketplace', 'fulfilment_channel', 'status'), name='order_seller_date_cover'),
        ),
    ]
