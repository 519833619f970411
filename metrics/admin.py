from django.contrib import admin

from sellercx.admin import BigTableAdmin

from .models import MetricSnapshot


@admin.register(MetricSnapshot)
class MetricSnapshotAdmin(BigTableAdmin):
    """PM-5: the daily snapshots, read-only. Recompute from the seller accounts' action or
    ``manage.py run_recompute metrics``; targets and margins are policy settings."""

    list_display = ["seller", "marketplace", "metric", "day", "value", "status", "computed_at"]
    list_filter = ["status", "metric", "marketplace", "day"]
    list_select_related = ["seller", "marketplace"]
    search_fields = ["seller__name"]
    readonly_fields = [f.name for f in MetricSnapshot._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
