"""The Celery app: Redis broker, django-celery-beat's database scheduler (SC-1, SC-2)."""

import logging
import os

from celery import Celery
from celery.signals import after_setup_logger

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sellercx.settings.dev")

app = Celery("sellercx")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# Tasks that run every few minutes (the heartbeat, the sweeps of recompute jobs and contact
# e-mails): under `make run` their "received" and "succeeded" lines would scroll the sign-in
# banner away once a minute. `serve`
# asks the worker to leave them out; their failures are still logged (ERROR), every other task
# is logged as before, and production workers log everything.
ROUTINE_TASKS_QUIET = "SELLERCX_QUIET_ROUTINE_TASKS"
ROUTINE_TASKS = (
    "sellercx.tasks.heartbeat",
    "sellercx.tasks.sweep_recompute_jobs",
    "reviews.tasks.sweep_contact_emails",
)


class RoutineTaskFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        message = record.getMessage()
        return not any(f"{name}[" in message for name in ROUTINE_TASKS)


@after_setup_logger.connect
def _quiet_routine_tasks(**kwargs) -> None:
    if os.environ.get(ROUTINE_TASKS_QUIET):
        for name in ("celery.app.trace", "celery.worker.strategy"):
            logging.getLogger(name).addFilter(RoutineTaskFilter())
