"""The performance-metric numbers the spec marks *(default)*, editable by marketplace staff.

Rates are stored in percent, as staff read them; the metrics code divides by 100 once
(``definitions.targets``). The negative feedback rate reuses FB-9's threshold and the contact
response time MS-5's target, so one number never lives in two places.
"""

from django.utils.translation import gettext_lazy as _

from sellercx import policy

ODR_WINDOW_DAYS = policy.declare(
    "metrics.odr_window_days",
    "60",
    unit="days",
    label=_("PM-1: days of order dates the order defect rate covers"),
)
ODR_LAG_DAYS = policy.declare(
    "metrics.odr_lag_days",
    "14",
    unit="days",
    label=_("PM-1: the order defect rate window ends this many days ago"),
)
ODR_TARGET = policy.declare(
    "metrics.odr_target",
    "1",
    unit="%",
    label=_("PM-1: order defect rate target (below)"),
)
ODR_AT_RISK_MARGIN = policy.declare(
    "metrics.odr_at_risk_margin",
    "0.25",
    unit="%",
    label=_("PM-5: order defect rate is “at risk” within this many points below its target"),
)
NEGATIVE_AT_RISK_MARGIN = policy.declare(
    "metrics.negative_feedback_at_risk_margin",
    "1",
    unit="%",
    label=_("PM-5: negative feedback rate is “at risk” within this many points of FB-9's"),
)
POSITIVE_TARGET = policy.declare(
    "metrics.positive_feedback_target",
    "80",
    unit="%",
    label=_("PM-2: positive feedback percentage target (at least)"),
)
POSITIVE_AT_RISK_MARGIN = policy.declare(
    "metrics.positive_feedback_at_risk_margin",
    "10",
    unit="%",
    label=_("PM-5: positive feedback is “at risk” within this many points above its target"),
)
RATING_TARGET = policy.declare(
    "metrics.average_rating_target",
    "4.0",
    unit="stars",
    label=_("PM-2: average feedback rating target (at least)"),
)
RATING_AT_RISK_MARGIN = policy.declare(
    "metrics.average_rating_at_risk_margin",
    "0.3",
    unit="stars",
    label=_("PM-5: average rating is “at risk” within this many stars above its target"),
)
RESPONSE_AT_RISK_MARGIN = policy.declare(
    "metrics.response_time_at_risk_margin",
    "5",
    unit="%",
    label=_("PM-5: contact response time is “at risk” within this many points of MS-5's"),
)
