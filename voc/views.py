"""The Voice of the Customer pages (VC-1, VC-5, VC-9 … VC-13): the table of offers with their
CX status, its CSV export, and one offer's status explained with what to do about it."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from sellercx.errors import ApplicationError, NotFound
from sellercx.models import FulfilmentChannel, Offer
from sellercx.permissions import Access, Area
from sellercx.views import FilteredListView, SellerPageMixin

from . import selectors, services
from .filters import NO_STATUS, CXOfferFilter
from .models import CXStatus, RemovalOrder

CHIPS = [
    CXStatus.VERY_POOR,
    CXStatus.POOR,
    CXStatus.FAIR,
    CXStatus.GOOD,
    CXStatus.EXCELLENT,
    CXStatus.INSUFFICIENT,
]


class VocArea:
    area = Area.VOC


def status_display(status: str) -> dict:
    if not status:
        return {"key": "", "word": "", "colour": ""}
    return {
        "key": status,
        "word": CXStatus(status).label,
        "colour": selectors.STATUS_COLOUR[CXStatus(status)],
    }


class VocDashboardView(VocArea, FilteredListView):
    template_name = "voc/dashboard.html"
    filterset_class = CXOfferFilter
    default_sort = "-status_rank"

    def get_queryset(self):
        return selectors.offers_with_cx_status(seller_id=self.seller_id)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        base = self.get_queryset()
        if self.request.marketplace_code:
            base = base.filter(marketplace__code=self.request.marketplace_code)
        counts = selectors.status_counts(base)
        current = self.request.GET.get("cx_status", "")
        context["chips"] = [
            {**status_display(s), "count": counts.get(s.value, 0), "active": current == s.value}
            for s in CHIPS
        ] + [
            {
                "key": NO_STATUS,
                "word": _("No status"),
                "colour": "",
                "count": counts.get("", 0),
                "active": current == NO_STATUS,
            }
        ]
        for offer in context["page"]:
            offer.cx_display = status_display(offer.cx_status)
        return context


CSV_COLUMNS = [
    _("SKU"),
    _("ASIN"),
    _("Title"),
    _("Marketplace"),
    _("Fulfilment"),
    _("Listing"),
    _("CX status"),
    _("NCX rate (%)"),
    _("NCX orders"),
    _("Total orders"),
    _("Most common reason"),
    _("Last updated"),
    _("Last closure date"),
    _("Action required"),
    _("Deleted on"),
]


class _Echo:
    def write(self, value: str) -> str:
        return value


class VocExportView(VocArea, SellerPageMixin, TemplateView):
    """VC-1: the filtered table as CSV, streamed (constant memory, one query)."""

    def get(self, request, *args, **kwargs):
        data = request.GET.copy()
        if "marketplace" not in data and request.marketplace_code:
            data["marketplace"] = request.marketplace_code
        data.pop("page", None)
        queryset = selectors.offers_with_cx_status(seller_id=self.seller_id)
        filterset = CXOfferFilter(data, queryset=queryset, request=request)
        if not filterset.is_valid():
            return redirect("voc:dashboard")
        rows = filterset.qs
        if not data.get("sort"):
            rows = rows.order_by("-status_rank", "-id")
        writer = csv.writer(_Echo())

        def lines():
            yield writer.writerow([str(c) for c in CSV_COLUMNS])
            for offer in rows.iterator(chunk_size=500):
                yield writer.writerow(_csv_row(offer))

        day = timezone.now().date().isoformat()
        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="voice-of-the-customer-{day}.csv"'
        return response


# What a spreadsheet reads as a formula at the start of a cell (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A text cell a spreadsheet would run is written as text, behind a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_row(offer: Offer) -> list:
    return [spreadsheet_safe(value) for value in _csv_values(offer)]


def _csv_values(offer: Offer) -> list:
    rate = offer.ncx_rate
    return [
        offer.sku,
        offer.product.asin,
        offer.product.title,
        offer.marketplace.code,
        offer.get_fulfilment_channel_display(),
        offer.get_status_display(),
        status_display(offer.cx_status)["word"],
        "" if rate is None else f"{rate * 100:.2f}",
        "" if offer.ncx_orders is None else offer.ncx_orders,
        "" if offer.cx_orders is None else offer.cx_orders,
        offer.top_reason_label or "",
        offer.last_updated.isoformat() if offer.last_updated else "",
        offer.closed_at.date().isoformat() if offer.closed_at else "",
        _("yes") if offer.action_required else "",
        offer.deleted_at.date().isoformat() if offer.deleted_at else "",
    ]


class OfferCXView(VocArea, SellerPageMixin, TemplateView):
    """VC-5, VC-9 … VC-13: why the offer has its status, how it moved week by week, what
    buyers said, and (closed for NCX) how to fix it."""

    template_name = "voc/offer.html"

    def get_offer(self, pk: int) -> Offer:
        try:
            return selectors.offer_with_cx_status(seller_id=self.seller_id, offer_id=pk)
        except NotFound:
            raise Http404 from None

    def get_context_data(self, pk: int, **kwargs):
        offer = kwargs.pop("offer", None) or self.get_offer(pk)
        cx = getattr(offer, "cx", None)
        history = selectors.offer_history(offer=offer)
        comparison = []
        if cx is not None and cx.ncx_rate is not None:
            comparison = [
                {
                    "label": _("This offer"),
                    "rate": float(cx.ncx_rate * 100),
                    "low": float(cx.ci_low * 100),
                    "high": float(cx.ci_high * 100),
                },
                {
                    "label": _("Similar offers"),
                    "rate": None if cx.peer_rate is None else float(cx.peer_rate * 100),
                },
            ]
        can_edit = self.request.user.can(Area.VOC, Access.EDIT)
        return super().get_context_data(
            offer=offer,
            cx=cx,
            cx_display=status_display(offer.cx_status),
            meaning=selectors.STATUS_MEANING.get(offer.cx_status, ""),
            top_reason=offer.top_reason_label or "",
            explanation=selectors.explanation(offer),
            history=history,
            history_points=selectors.history_points(history),
            comparison=comparison,
            comments=selectors.offer_comments(offer=offer),
            can_edit=can_edit,
            can_remove=offer.fulfilment_channel == FulfilmentChannel.MARKETPLACE
            and offer.status != Offer.Status.DELETED,
            removal_kinds=RemovalOrder.Kind.choices,
            removal_orders=list(offer.removal_orders.all()[:10]),
            relistings=list(offer.relistings.all()[:10]),
            **kwargs,
        )

    def post(self, request, pk: int):
        offer = self.get_offer(pk)
        action = request.POST.get("action")
        try:
            if action == "relist":
                services.relist_offer(
                    user=request.user,
                    offer_id=offer.pk,
                    price=request.POST.get("price", ""),
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("The offer is relisted. Watch its weekly status."))
            elif action == "removal":
                order = services.create_removal_order(
                    user=request.user,
                    offer_id=offer.pk,
                    kind=request.POST.get("kind", ""),
                    quantity=request.POST.get("quantity", ""),
                )
                messages.success(
                    request,
                    _("%(kind)s order created for %(n)s units.")
                    % {"kind": order.get_kind_display(), "n": order.quantity},
                )
            else:
                raise Http404
        except NotFound:
            raise Http404 from None
        except ApplicationError as error:
            context = self.get_context_data(
                pk=pk, offer=offer, form_error=error.message, form_action=action
            )
            return self.render_to_response(context, status=error.status_code)
        return redirect("voc:offer", pk=offer.pk)
