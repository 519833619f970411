from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VocConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "voc"
    verbose_name = _("Voice of the Customer")
