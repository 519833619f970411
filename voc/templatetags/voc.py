from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def pct(value: Decimal | None, places: int = 1) -> str:
    """A rate stored as a fraction (0.0123), shown in percent (1.2%)."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value) * 100:.{int(places)}f}%"
