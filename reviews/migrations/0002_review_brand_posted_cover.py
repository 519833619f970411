"""The brand dashboard's reviews list picks its page on the brand index alone: it carries the
id (the sort's tie-break), the stars and the marketplace (the filters) (RV-3, #8). Built
concurrently: reviews keep arriving while it builds."""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('reviews', '0001_initial'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='review',
            index=models.Index(fields=['brand', '-posted_at', '-id'], include=('rating', 'marketplace'), name='review_brand_posted_cover'),
        ),
        RemoveIndexConcurrently(
            model_name='review',
            name='review_brand_posted',
        ),
    ]
