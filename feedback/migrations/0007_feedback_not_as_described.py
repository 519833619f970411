"""The VOC offer page finds the "item not as described" feedback of each of an offer's
orders (VC-3, #8): a small partial index instead of probing the index of all feedback.
Built concurrently, so feedback keeps arriving while it builds."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("feedback", "0006_feedback_seller_negative"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="feedback",
            index=models.Index(
                condition=models.Q(
                    item_as_described=False, removed_at__isnull=True, struck_through_at__isnull=True
                ),
                fields=["order"],
                include=["left_at"],
                name="feedback_not_as_described",
            ),
        ),
    ]
