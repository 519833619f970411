"""Account health (PM-6): every metric as a card with its trend, and the ODR drill-down."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _l
from django.views.generic import TemplateView

from sellercx.permissions import Area
from sellercx.selectors import chosen_marketplace
from sellercx.views import FilteredListView, SellerPageMixin

from . import selectors
from .definitions import STATUS_COLOURS, Metric, Status, worst
from .filters import DefectFilter


def status_display(status: str) -> dict:
    return {"key": status, "word": Status(status).label, "colour": STATUS_COLOURS[Status(status)]}


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
    template_name = "metrics/health.html"
    area = Area.PERFORMANCE

    def get_context_data(self, **kwargs):
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
        context.update(
            cards=cards,
            day=cards[0]["snapshot"].day if cards else None,
            worst=status_display(worst(c["status"] for c in cards)),
        )
        return context


class DefectsView(FilteredListView):
    """PM-6: the orders of the ODR window with a defect, and which, filterable and paged."""

    template_name = "metrics/defects.html"
    area = Area.PERFORMANCE
    filterset_class = DefectFilter
    default_sort = "-purchased_at"

    def window(self):
        if not hasattr(self, "_window"):
            marketplace = chosen_marketplace(
                seller_id=self.seller_id, code=self.request.marketplace_code
            )
            self._window = selectors.odr_window(
                seller_id=self.seller_id, marketplace_id=marketplace.pk if marketplace else None
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
        return super().get_context_data(day=day, window=(start, end), **kwargs)
