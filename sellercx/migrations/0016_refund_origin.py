"""API-6: a refund's id is the marketplace's or SellerCX's own (courtesy refunds), never both."""

from django.db import migrations, models

# The refunds SellerCX created so far are the courtesy refunds of "Contact the customer".
MARK_COURTESY_REFUNDS = """
UPDATE sellercx_refund SET origin = 'sellercx'
WHERE id IN (SELECT refund_id FROM reviews_customercontact WHERE refund_id IS NOT NULL)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("sellercx", "0015_user_last_marketplace"),
        ("reviews", "0003_review_verified_order_cover"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="refund", name="refund_external_id_unique"),
        migrations.AddField(
            model_name="refund",
            name="origin",
            field=models.CharField(
                choices=[("marketplace", "Marketplace"), ("sellercx", "SellerCX")],
                default="marketplace",
                max_length=12,
                verbose_name="created by",
            ),
        ),
        migrations.RunSQL(MARK_COURTESY_REFUNDS, migrations.RunSQL.noop),
        migrations.AddConstraint(
            model_name="refund",
            constraint=models.UniqueConstraint(
                fields=("marketplace", "origin", "external_id"), name="refund_external_id_unique"
            ),
        ),
    ]
