"""The VOC table's filters, shared by the dashboard and the API (VC-1)."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from sellercx.filters import ANY, SearchFilter, StableOrderingFilter, marketplace_filter
from sellercx.models import FulfilmentChannel

from .models import CXStatus

NO_STATUS = "none"
STATUS_CHOICES = [*CXStatus.choices, (NO_STATUS, _("No status (no recent orders)"))]


class NullsLastOrderingFilter(StableOrderingFilter):
    """Offers without figures (VC-7) sort last both ways; ties by id, so pages are stable."""

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        name = value.lstrip("-")
        return (
            F(name).desc(nulls_last=True) if value.startswith("-") else F(name).asc(nulls_last=True)
        )


class CXOfferApiFilter(filters.FilterSet):
    """The API's filters (its cursor paging keeps its own order)."""

    marketplace = marketplace_filter()
    cx_status = filters.ChoiceFilter(
        choices=STATUS_CHOICES, label=_("CX status"), empty_label=ANY, method="filter_status"
    )
    fulfilment_channel = filters.ChoiceFilter(
        choices=FulfilmentChannel.choices, label=_("Fulfilment"), empty_label=ANY
    )
    action_required = filters.BooleanFilter(
        label=_("Action required"),
        widget=forms.Select(choices=[("", ANY), ("true", _("Yes")), ("false", _("No"))]),
    )
    q = SearchFilter(fields=("sku", "product__asin", "product__title"), label=_("SKU or title"))

    def filter_status(self, queryset, name, value):
        if not value:
            return queryset
        # The queryset's own status (offers_with_cx_status): no second join (#8).
        if value == NO_STATUS:
            return queryset.filter(cx_status="")
        return queryset.filter(cx_status=value)


class CXOfferFilter(CXOfferApiFilter):
    """The dashboard's: the same filters, and sorting by any column (VC-1)."""

    sort = NullsLastOrderingFilter(
        fields=(
            ("sku", "sku"),
            ("product__title", "title"),
            ("marketplace__code", "marketplace"),
            ("status_rank", "status"),
            ("ncx_rate", "ncxRate"),
            ("ncx_orders", "ncxOrders"),
            ("cx_orders", "orders"),
            ("top_reason_label", "reason"),
            ("last_updated", "lastUpdated"),
            ("closed_at", "closed"),
        ),
        label=_("Sort"),
    )
