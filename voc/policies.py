"""The VOC numbers the spec marks *(default)*, editable by marketplace staff (VC-2 … VC-6)."""

from django.utils.translation import gettext_lazy as _

from sellercx import policy

WINDOW_DAYS = policy.declare(
    "voc.window_days", "90", unit="days", label=_("VC-2: days of orders in the NCX rate")
)
LOW_STAR_MAX = policy.declare(
    "voc.low_star_max",
    "2",
    unit="stars",
    label=_("VC-3: a verified review of at most this many stars is a negative experience"),
)
MIN_NCX_ORDERS = policy.declare(
    "voc.min_ncx_orders",
    "5",
    unit="orders",
    label=_("VC-6: NCX orders needed before Poor or Very poor (else Insufficient feedback)"),
)
CONFIDENCE_Z = policy.declare(
    "voc.confidence_z",
    "1.96",
    unit="z",
    # xgettext:no-python-format
    label=_("VC-5: z of the Wilson interval (1.96 = 95% confidence)"),
)
VERY_POOR_MULTIPLE = policy.declare(
    "voc.very_poor_multiple",
    "2",
    unit="×",
    label=_("VC-5: Very poor when the lower bound exceeds this multiple of the peer rate"),
)

ALL = (WINDOW_DAYS, LOW_STAR_MAX, MIN_NCX_ORDERS, CONFIDENCE_Z, VERY_POOR_MULTIPLE)
