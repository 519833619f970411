"""The Celery app: Redis broker, django-celery-beat's database scheduler (SC-1, SC-2)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sellercx.settings.dev")

app = Celery("sellercx")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
