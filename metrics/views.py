"""Account health (PM-6): every metric as a card with its trend, and the ODR drill-down."""

from __future__ import annotations

from functools import cached_property

from django.utils.translation import gettext_lazy as _l
from django.views.generic import TemplateView

from sellercx.permissions import Area
from sellercx.selectors import chosen_marketplace
from sellercx.views import FilteredListView, SellerPageMixin

from . import selectors
from .definitions import Metric, overall_status, worst
from .filters import DefectFilter

# Where each metric's details live (the feedback manager, the customer-service rating).
MORE = {
    Metric.NEGATIVE_FEEDBACK: ("feedback:manager", _l("Open the feedback manager"), Area.FEEDBACK),
    Metric.POSITIVE_FEEDBACK: ("feedback:manager", _l("Open the feedback manager"), Area.FEEDBACK),
    Metric.AVERAGE_RATING: ("feedback:manager", _l("Open the feedback manager"), Area.FEEDBACK),
    Metric.CS_RATING: ("messaging:rating", _l("Open the customer-service rating"), Area.MESSAGES),
    Metric.RESPONSE_TIME: (
        "messaging:rating",
        _l("Open the customer-service rating"),
        Area.MESSAGES,
    ),
}


class HealthView(SellerPageMixin, TemplateView):
    """PM-6: one marketplace's metrics as cards with their trends; under "All marketplaces",
    every marketplace's figures side by side (UX-2), never one marketplace's alone."""

    template_name = "metrics/health.html"
    area = Area.PERFORMANCE

    def get_context_data(self, **kwargs):
        standing = self.request.user.seller.standing
        if self.request.marketplace_code is None:
            table = selectors.side_by_side(seller_id=self.seller_id)
            overall = worst(column["status"]["key"] for column in table["columns"])
            return super().get_context_data(
                table=table,
                day=table["day"],
                worst=selectors.status_display(overall, standing=standing),
                **kwargs,
            )
        marketplace = chosen_marketplace(
            seller_id=self.seller_id, code=self.request.marketplace_code
        )
        context = super().get_context_data(marketplace=marketplace, **kwargs)
        if marketplace is None:
            return context
        cards = selectors.account_health(
            seller_id=self.seller_id, marketplace_id=marketplace.pk
        ).get(marketplace.pk, [])
        series = selectors.history(seller_id=self.seller_id, marketplace_id=marketplace.pk)
        for card in cards:
            card["history"] = [
                {"week": p["week"], "value": float(p["value"]) if p["value"] is not None else None}
                for p in series.get((marketplace.pk, card["metric"]), [])
            ]
            card["chart_id"] = f"trend-{card['metric']}"
            more = MORE.get(card["metric"])
            # Only links the user may follow (AC-2).
            card["more"] = more if more and self.request.user.can(more[2]) else None
        overall = overall_status((c["metric"], c["status"]) for c in cards)
        context.update(
            cards=cards,
            day=cards[0]["snapshot"].day if cards else None,
            worst=selectors.status_display(overall, standing=standing),
        )
        return context


class DefectsView(FilteredListView):
    """PM-6: the orders of the ODR window with a defect, and which, filterable and paged."""

    template_name = "metrics/defects.html"
    area = Area.PERFORMANCE
    # The window and the counts are one marketplace's (PM-1): never under "All" (UX-2).
    offers_all_marketplaces = False
    filterset_class = DefectFilter
    default_sort = "-purchased_at"

    @cached_property
    def marketplace(self):
        return chosen_marketplace(seller_id=self.seller_id, code=self.request.marketplace_code)

    def window(self):
        if not hasattr(self, "_window"):
            self._window = selectors.odr_window(
                seller_id=self.seller_id,
                marketplace_id=self.marketplace.pk if self.marketplace else None,
            )
        return self._window

    def get_queryset(self):
        day, start, end = self.window()
        return selectors.defective_orders(
            seller_id=self.seller_id, day=day, window_start=start, window_end=end
        )

    def get_paginator(self, queryset, filterset):
        """The list walks the window newest first to its page; the count joins the window
        with the orders that have a defect (``defective_orders_to_count``, #8), the same
        filters applied."""
        paginator = super().get_paginator(queryset, filterset)
        if filterset.is_valid():
            day, start, end = self.window()
            to_count = selectors.defective_orders_to_count(
                seller_id=self.seller_id, day=day, window_start=start, window_end=end
            )
            paginator.count = filterset.filter_queryset(to_count).count()
        return paginator

    def get_context_data(self, **kwargs):
        day, start, end = self.window()
        context = super().get_context_data(
            day=day, window=(start, end), marketplace=self.marketplace, **kwargs
        )
        # UX-2: the window is one marketplace's, so its filter offers no "All marketplaces".
        context["filterset"].form.fields["marketplace"].empty_label = None
        return context
