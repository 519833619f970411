"""The feedback numbers the spec marks *(default)*, editable by marketplace staff."""

from django.utils.translation import gettext_lazy as _

from sellercx import policy

NEGATIVE_RATE_WARNING = policy.declare(
    "feedback.negative_rate_warning",
    "5",
    unit="%",
    label=_("FB-9: warn the seller when the 90-day negative feedback rate is above this"),
)

REMOVAL_REVIEW_DAYS = policy.declare(
    "feedback.removal_review_days",
    "7",
    unit="days",
    label=_(
        "FB-7: the marketplace's review time: a removal request its staff review is decided "
        "within this many days (the seller sees the date once the request is overdue)"
    ),
)
