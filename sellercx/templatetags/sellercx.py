"""Template helpers for the dashboard: links that keep the current filters, money, sorting."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlsplit

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag(takes_context=True)
def url_with(context, **changes) -> str:
    """The current query string with some parameters changed (None removes one)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    if "page" not in changes:
        query.pop("page", None)
    return "?" + query.urlencode() if query else "?"


@register.simple_tag(takes_context=True)
def return_here(context) -> str:
    """UX-2: a form's hidden ``next``, the page the seller is on (with its marketplace,
    filters, sort and page), so the action's view sends them back there (``redirect_back``).
    In a fragment htmx asked for, the page is the browser's (``HX-Current-URL``)."""
    request = context["request"]
    here = request.get_full_path()
    current = request.headers.get("HX-Current-URL")
    if request.headers.get("HX-Request") and current:
        parts = urlsplit(current)
        here = parts.path + (f"?{parts.query}" if parts.query else "")
    return format_html('<input type="hidden" name="next" value="{}">', here)


@register.inclusion_tag("includes/sort_header.html", takes_context=True)
def sort_header(context, label: str, key: str, numeric: bool = False) -> dict:
    """A column header that sorts by ``key``; a second click reverses; aria-sort says how."""
    current = context.get("sort", "")
    state = "ascending" if current == key else "descending" if current == f"-{key}" else "none"
    target = f"-{key}" if state == "ascending" else key
    return {
        "request": context["request"],
        "label": label,
        "target": target,
        "state": state,
        "numeric": numeric,
    }


@register.simple_tag
def stars(rating) -> str:
    """A 1-to-5 star rating as a person sees it (★★☆☆☆) and as a screen reader says it."""
    rating = int(rating)
    label = gettext("%(n)s out of 5 stars") % {"n": rating}
    return format_html(
        '<span class="stars" role="img" aria-label="{}">{}</span>',
        label,
        "★" * rating + "☆" * (5 - rating),
    )


@register.filter
def money(amount, currency: str = "") -> str:
    if amount is None:
        return "—"
    text = number_format(Decimal(amount), decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{text} {currency}".strip()


@register.filter
def model_verbose(obj) -> str:
    """The capitalised verbose name of an object's model ("Return", "A-to-z claim")."""
    name = str(obj._meta.verbose_name)
    return name[:1].upper() + name[1:]


@register.filter
def access_of(user, area):
    """A user's access level in an area (AC-2), for the permissions table."""
    return user.access(area)
