from django.contrib import admin

from sellercx.admin import BigTableAdmin

from .models import OfferCXStatus, OfferCXWeek, OfferRelisting, RemovalOrder

FIGURES = [
    "offer",
    "seller",
    "marketplace",
    "week_start",
    "orders",
    "ncx_orders",
    "ncx_rate",
    "ci_low",
    "ci_high",
    "peer_rate",
    "peer_orders",
    "status",
    "top_reason",
    "last_updated",
    "computed_at",
]


class ReadOnlyFiguresAdmin(BigTableAdmin):
    """VC-13: written by the weekly recompute (``run_recompute voc``), read here."""

    list_display = [
        "offer",
        "seller",
        "marketplace",
        "week_start",
        "status",
        "ncx_rate",
        "ncx_orders",
        "orders",
        "peer_rate",
    ]
    list_filter = ["status", "marketplace", "week_start"]
    list_select_related = ["offer", "seller", "marketplace"]
    search_fields = ["offer__sku", "seller__name"]
    readonly_fields = FIGURES

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OfferCXWeek)
class OfferCXWeekAdmin(ReadOnlyFiguresAdmin):
    pass


@admin.register(OfferCXStatus)
class OfferCXStatusAdmin(ReadOnlyFiguresAdmin):
    pass


@admin.register(OfferRelisting)
class OfferRelistingAdmin(BigTableAdmin):
    list_display = ["offer", "seller", "user", "relisted_at"]
    list_select_related = ["offer", "seller", "user"]
    raw_id_fields = ["offer", "seller", "user"]
    readonly_fields = ["offer", "seller", "user", "changes", "note", "relisted_at"]

    def has_add_permission(self, request):
        return False


@admin.register(RemovalOrder)
class RemovalOrderAdmin(BigTableAdmin):
    """VC-9: marketplace staff move removal and disposal orders along."""

    list_display = ["offer", "seller", "marketplace", "kind", "quantity", "status", "created_at"]
    list_filter = ["status", "kind", "marketplace"]
    list_editable = ["status"]
    list_select_related = ["offer", "seller", "marketplace"]
    search_fields = ["offer__sku", "seller__name"]
    raw_id_fields = ["offer", "seller", "marketplace", "created_by"]
    readonly_fields = ["created_at"]
