"""How a metric's numbers read: rates in percent, stars, counts, points, a score out of 10."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()


@register.filter
def metric_value(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "—"
    value = Decimal(value)
    if unit == "rate":
        return f"{(value * 100).quantize(Decimal('0.01'))}\u00a0%"
    if unit == "stars":
        return f"{value.quantize(Decimal('0.1'))} ★"
    if unit == "score":
        return f"{value.quantize(Decimal('0.1'))} / 10"
    return intcomma(int(value))
