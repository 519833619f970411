"""The drill-down's filters, shared by the page and the API (PM-6)."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from sellercx.filters import ANY, StableOrderingFilter, marketplace_filter
from sellercx.models import FulfilmentChannel, Order

from .definitions import DEFECT_KINDS, DEFECT_LABELS, Metric
from .models import MetricSnapshot


class DefectFilter(filters.FilterSet):
    marketplace = marketplace_filter()
    kind = filters.ChoiceFilter(
        choices=[(k, DEFECT_LABELS[k]) for k in DEFECT_KINDS],
        label=_("Defect"),
        empty_label=ANY,
        method="filter_kind",
    )
    fulfilment_channel = filters.ChoiceFilter(
        choices=FulfilmentChannel.choices, label=_("Fulfilment"), empty_label=ANY
    )
    sort = StableOrderingFilter(
        fields=(("purchased_at", "purchaseDate"), ("total", "total")), label=_("Sort")
    )

    class Meta:
        model = Order
        fields = ["marketplace", "kind", "fulfilment_channel"]

    def filter_kind(self, queryset, name, value):
        # The selector annotates each defect kind; keep the orders that have this one.
        return queryset.filter(**{value: True}) if value else queryset


class SnapshotFilter(filters.FilterSet):
    """The API's snapshot history: by marketplace, metric and days (both included)."""

    marketplace = marketplace_filter()
    metric = filters.ChoiceFilter(choices=Metric.choices, label=_("Metric"), empty_label=ANY)
    since = filters.DateFilter(field_name="day", lookup_expr="gte", label=_("From day"))
    until = filters.DateFilter(field_name="day", lookup_expr="lte", label=_("To day"))

    class Meta:
        model = MetricSnapshot
        fields = ["marketplace", "metric", "since", "until"]
