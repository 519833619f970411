"""The left-hand filters of the Customer reviews page (RV-3), shared with the API."""

from __future__ import annotations

from datetime import timedelta

import django_filters as filters
from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from feedback.filters import star_count
from sellercx.filters import StableOrderingFilter, marketplace_filter

from .models import Review

# UX-3: "1 star", "5 stars" in the reader's language and plural forms, worded when drawn.
STARS = [(n, lazy(star_count, str)(n)) for n in range(5, 0, -1)]
PERIODS = [
    ("30", _("Last 30 days")),
    ("90", _("Last 90 days")),
    ("365", _("Last 12 months")),
]


def _brands(request):
    from .selectors import represented_brands

    seller_id = getattr(getattr(request, "user", None), "seller_id", None)
    return represented_brands(seller_id=seller_id)


class ReviewFilter(filters.FilterSet):
    stars = filters.MultipleChoiceFilter(
        field_name="rating",
        choices=STARS,
        label=_("Star rating"),
        widget=forms.CheckboxSelectMultiple,
    )
    brand = filters.ModelChoiceFilter(
        queryset=_brands, label=_("Brand"), empty_label=_("All brands")
    )
    period = filters.ChoiceFilter(
        choices=PERIODS, method="filter_period", label=_("Period"), empty_label=_("All time")
    )
    marketplace = marketplace_filter()
    sort = StableOrderingFilter(
        fields=(("posted_at", "date"), ("rating", "stars")), label=_("Sort")
    )

    class Meta:
        model = Review
        fields = ["stars", "brand", "period", "marketplace"]

    def filter_period(self, queryset, name, value):
        return queryset.filter(posted_at__gte=timezone.now() - timedelta(days=int(value)))
