from decimal import Decimal

from django import template

from sellercx.templatetags.sellercx import sort_header
from voc.selectors import has_cx_page

register = template.Library()


@register.filter
def pct(value: Decimal | None, places: int = 1) -> str:
    """A rate stored as a fraction (0.0123), shown in percent (1.2%)."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value) * 100:.{int(places)}f}%"


@register.filter
def has_offer_page(offer) -> bool:
    """The offer has its Voice of the Customer page to link to (VC-10)."""
    return has_cx_page(offer)


@register.inclusion_tag("includes/sort_header.html", takes_context=True)
def worst_first_sort_header(context, label: str, key: str, numeric: bool = False) -> dict:
    """VC-1: a column whose high values are the ones to look at (NCX rate, CX status rank,
    the latest dates): its first click sorts them first, descending; the next click reverses.
    The shared ``sort_header`` (ascending first) is left as the other tables expect it."""
    header = sort_header(context, label, key, numeric)
    header["target"] = key if header["state"] == "descending" else f"-{key}"
    return header
