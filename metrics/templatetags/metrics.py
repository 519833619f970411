"""How a metric's numbers read in the reader's language (UX-3): rates in percent, stars, counts,
points, a score out of 10 — with the decimal comma of French and Polish.

One formatting for the health page and the home panels: ``percent`` for any share, and
``metric_value`` for a metric's value, which takes its unit and decimals from the catalogue.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format
from django.utils.translation import pgettext

from metrics.definitions import DEFINITIONS, Metric

register = template.Library()

MISSING = "—"


def decimal_number(value: Decimal | float | int, places: int) -> str:
    """``value`` rounded half up to ``places`` decimals, in the active language's format
    ("12.5" in English, "12,5" in French and Polish). Negative ``places``, as in Django's
    ``floatformat``: that many decimals, none for a whole number ("2", "2.5")."""
    value = Decimal(value)
    if places < 0:
        places = 0 if value == value.to_integral_value() else -places
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def percent(fraction: Decimal | float | None, places: int = 1) -> str:
    """A share stored as a fraction (0.125), in percent: "12.5%", "12,5 %" in French. ``places``
    as in ``decimal_number``."""
    if fraction is None or fraction == "":
        return MISSING
    number = decimal_number(Decimal(fraction) * 100, int(places))
    # Translators: a percentage. French puts a no-break space before the sign: "%(number)s %%".
    return pgettext("percentage", "%(number)s%%") % {"number": number}


@register.filter
def metric_value(value: Decimal | None, metric: str) -> str:
    """A value of ``metric`` (a ``Metric`` key) in its unit, with the catalogue's decimals."""
    if value is None:
        return MISSING
    definition = DEFINITIONS[Metric(metric)]
    if definition.unit == "rate":
        return percent(value, definition.places)
    if definition.unit == "stars":
        return f"{decimal_number(value, definition.places)} ★"
    if definition.unit == "score":
        return f"{decimal_number(value, definition.places)} / 10"
    return intcomma(int(value))
