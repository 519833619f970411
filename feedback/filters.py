"""The feedback list's filters, shared by the feedback manager page and the API (FB-8)."""

from __future__ import annotations

from datetime import timedelta

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sellercx.filters import ANY, StableOrderingFilter, marketplace_filter

from .models import Feedback, RemovalRequest


def star_count(n: int) -> str:
    """UX-3: "1 star", "5 stars" with the reader's plural forms (Polish has three)."""
    return ngettext("%(n)d star", "%(n)d stars", n) % {"n": n}


# Lazy: the labels are worded when a page is drawn, in its reader's language, not at import.
STARS = [(n, lazy(star_count, str)(n)) for n in range(5, 0, -1)]
KIND_CHOICES = [
    ("positive", _("Positive (4–5 stars)")),
    ("neutral", _("Neutral (3 stars)")),
    ("negative", _("Negative (1–2 stars)")),
]
PERIOD_CHOICES = [("30", _("Last 30 days")), ("90", _("Last 90 days")), ("365", _("Last year"))]
REMOVAL_CHOICES = [
    ("none", _("No removal request")),
    *RemovalRequest.Status.choices,
    ("removed_by_buyer", _("Removed by the buyer")),
]


class FeedbackFilter(filters.FilterSet):
    marketplace = marketplace_filter()
    stars = filters.MultipleChoiceFilter(
        field_name="rating", choices=STARS, label=_("Stars"), widget=forms.CheckboxSelectMultiple
    )
    kind = filters.ChoiceFilter(
        choices=KIND_CHOICES, method="filter_kind", label=_("Rating"), empty_label=ANY
    )
    period = filters.ChoiceFilter(
        choices=PERIOD_CHOICES,
        method="filter_period",
        label=_("Period"),
        empty_label=_("Lifetime"),
    )
    has_reply = filters.ChoiceFilter(
        choices=[("true", _("With a reply")), ("false", _("Without a reply"))],
        method="filter_has_reply",
        label=_("Reply"),
        empty_label=ANY,
    )
    removal = filters.ChoiceFilter(
        choices=REMOVAL_CHOICES, method="filter_removal", label=_("Removal"), empty_label=ANY
    )
    sort = StableOrderingFilter(fields=(("left_at", "date"), ("rating", "stars")), label=_("Sort"))

    class Meta:
        model = Feedback
        fields = ["marketplace", "stars", "kind", "period", "has_reply", "removal"]

    def filter_kind(self, queryset, name, value):
        return {
            "positive": queryset.filter(rating__gte=4),
            "neutral": queryset.filter(rating=3),
            "negative": queryset.filter(rating__lte=2),
        }.get(value, queryset)

    def filter_period(self, queryset, name, value):
        return queryset.filter(left_at__gte=timezone.now() - timedelta(days=int(value)))

    def filter_has_reply(self, queryset, name, value):
        visible = Q(reply__isnull=False, reply__deleted_at__isnull=True)
        return queryset.filter(visible) if value == "true" else queryset.exclude(visible)

    def filter_removal(self, queryset, name, value):
        if value == "none":
            return queryset.filter(removals__isnull=True, removed_at__isnull=True)
        if value == "removed_by_buyer":
            return queryset.filter(removed_by=Feedback.RemovedBy.BUYER)
        return queryset.filter(removals__status=value).distinct()
