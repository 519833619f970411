"""The feedback numbers the spec marks *(default)*, editable by marketplace staff."""

from django.utils.translation import gettext_lazy as _

from sellercx import policy

NEGATIVE_RATE_WARNING = policy.declare(
    "feedback.negative_rate_warning",
    "5",
    unit="%",
    label=_("FB-9: warn the seller when the 90-day negative feedback rate is above this"),
)
