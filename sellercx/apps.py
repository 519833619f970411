from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class SellerCXConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sellercx"
    verbose_name = _("Seller central core")

    def ready(self) -> None:
        # Every app may declare admin-editable numbers (policies.py), plug a recompute
        # (recomputes.py), add a demo-data step (demo.py) and a dashboard home panel
        # (home_panels.py).
        autodiscover_modules("policies", "recomputes", "demo", "home_panels")
        from .api import schema  # noqa: F401  (registers the OpenAPI auth extension)
        from .services import register_schedules

        post_migrate.connect(_register_schedules, sender=self)
        self._register_schedules = register_schedules


def _register_schedules(sender, **kwargs) -> None:
    from .policy import write_missing_rows

    sender._register_schedules()
    write_missing_rows()
