"""The messaging numbers the spec marks *(default)*, editable by marketplace staff."""

from django.utils.translation import gettext_lazy as _

from sellercx import policy

CS_MIN_ANSWERS = policy.declare(
    "messaging.cs_rating_min_answers",
    "40",
    unit="answers",
    label=_("CS-5: answers needed in the 4-week window before the rating is shown"),
)
RESPONSE_TIME_TARGET = policy.declare(
    "messaging.response_time_target",
    "90",
    unit="%",
    label=_("MS-5: share of buyer messages to answer within 24 hours"),
)
