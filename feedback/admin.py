"""Marketplace staff: the removal-request queue (FB-7) with overdue requests highlighted and
bulk decisions, the feedback itself, and the word list of the automatic checks."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from sellercx.admin import BigTableAdmin
from sellercx.errors import ApplicationError

from . import rules, services
from .checks import Decision
from .models import AbusiveWord, Feedback, FeedbackReply, RemovalRequest, Solicitation


@admin.register(Feedback)
class FeedbackAdmin(BigTableAdmin):
    list_display = [
        "id",
        "rating",
        "seller",
        "marketplace",
        "left_at",
        "removed_at",
        "struck_through_at",
    ]
    list_filter = ["marketplace", "rating", "removed_by"]
    list_select_related = ["seller", "marketplace"]
    search_fields = ["=external_id", "=order__external_id"]
    raw_id_fields = ["seller", "order", "buyer"]
    date_hierarchy = "left_at"


@admin.register(FeedbackReply)
class FeedbackReplyAdmin(BigTableAdmin):
    list_display = ["feedback", "seller", "created_at", "deleted_at", "guideline_flags"]
    list_filter = [("guideline_flags", admin.EmptyFieldListFilter)]
    list_select_related = ["feedback", "seller"]
    raw_id_fields = ["feedback", "seller", "author", "deleted_by"]


class DecisionForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason shown to the seller"),
        required=False,
        widget=forms.TextInput(attrs={"size": 60}),
    )


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue (no decision after 3 days)"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            since = rules.removal_overdue_since(timezone.now())
            return queryset.filter(status="pending", requested_at__lt=since)
        return queryset


@admin.register(RemovalRequest)
class RemovalRequestAdmin(admin.ModelAdmin):
    """The moderation queue: pending first, oldest first; overdue ones in red."""

    class Media:
        css = {"all": ["css/admin.css"]}  # a stylesheet: the CSP allows no inline style

    list_display = ["id", "requested", "seller", "ground", "comment", "status", "automatic"]
    list_filter = ["status", OverdueFilter, "ground", "automatic", "feedback__marketplace"]
    list_select_related = ["seller", "feedback"]
    search_fields = ["=feedback__order__external_id", "seller__name"]
    readonly_fields = [
        "feedback",
        "seller",
        "ground",
        "note",
        "requested_by",
        "requested_at",
        "status",
        "decided_at",
        "decided_by",
        "automatic",
        "decision_reason",
        "evidence",
        "feedback_comment",
    ]
    fields = readonly_fields
    action_form = DecisionForm
    actions = ["remove", "strike_through", "decline"]

    def get_queryset(self, request):
        from django.db.models import Case, IntegerField, When

        return (
            super()
            .get_queryset(request)
            .annotate(
                open_first=Case(
                    When(status="pending", then=0), default=1, output_field=IntegerField()
                )
            )
            .order_by("open_first", "requested_at")
        )

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("requested"), ordering="requested_at")
    def requested(self, obj):
        overdue = obj.status == "pending" and obj.requested_at < rules.removal_overdue_since(
            timezone.now()
        )
        if overdue:
            return format_html(
                '<strong class="overdue">{} ({})</strong>',
                obj.requested_at.strftime("%Y-%m-%d %H:%M"),
                _("overdue"),
            )
        return obj.requested_at.strftime("%Y-%m-%d %H:%M")

    @admin.display(description=_("comment"))
    def comment(self, obj):
        return f"{obj.feedback.rating}★ {obj.feedback.comment[:120]}"

    @admin.display(description=_("feedback comment"))
    def feedback_comment(self, obj):
        return obj.feedback.comment

    def _decide(self, request, queryset, decision):
        try:
            count = services.decide_removal_requests(
                staff=request.user,
                request_ids=list(queryset.values_list("pk", flat=True)),
                decision=decision,
                reason=request.POST.get("reason", ""),
            )
        except ApplicationError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        self.message_user(request, _("%(n)d request(s) decided.") % {"n": count})

    @admin.action(description=_("Remove the feedback (decide selected)"))
    def remove(self, request, queryset):
        self._decide(request, queryset, Decision.REMOVED)

    @admin.action(description=_("Strike through (marketplace-fulfilled orders)"))
    def strike_through(self, request, queryset):
        self._decide(request, queryset, Decision.STRUCK_THROUGH)

    @admin.action(description=_("Decline (give the reason above)"))
    def decline(self, request, queryset):
        self._decide(request, queryset, Decision.DECLINED)


@admin.register(AbusiveWord)
class AbusiveWordAdmin(admin.ModelAdmin):
    """FB-7(d): the words the automatic check looks for, per marketplace language."""

    list_display = ["word", "language", "added_at"]
    list_filter = ["language"]
    search_fields = ["word"]


@admin.register(Solicitation)
class SolicitationAdmin(BigTableAdmin):
    list_display = ["order", "seller", "sent_at", "bulk"]
    list_filter = ["bulk"]
    list_select_related = ["order", "seller"]
    raw_id_fields = ["order", "seller", "requested_by"]
