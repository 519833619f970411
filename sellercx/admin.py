"""The Django admin for marketplace staff: marketplaces, sellers, users and permissions, brands,
catalogue, orders and their events, API tokens, and running recomputes by hand."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import periods, recompute, services
from .models import (
    ApiToken,
    AtoZClaim,
    AuditEntry,
    Brand,
    BrandRepresentative,
    Buyer,
    Category,
    Chargeback,
    CustomerServiceContact,
    Marketplace,
    Offer,
    Order,
    OrderLine,
    PolicySetting,
    Product,
    ReasonCode,
    RecomputeJob,
    Refund,
    Return,
    SellerAccount,
    SellerMarketplace,
    User,
)
from .permissions import Area, access_field


class BigTableAdmin(admin.ModelAdmin):
    """Tables with millions of rows: no full COUNT, ids instead of huge dropdowns."""

    show_full_result_count = False
    list_per_page = 50


@admin.register(Marketplace)
class MarketplaceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "domain", "currency", "language", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]


class SellerMarketplaceInline(admin.TabularInline):
    model = SellerMarketplace
    extra = 0


class BrandRepresentativeInline(admin.TabularInline):
    model = BrandRepresentative
    extra = 0
    autocomplete_fields = ["brand"]


class SellerUserInline(admin.TabularInline):
    model = User
    extra = 0
    fields = ["email", "name", "is_active", *(access_field(a) for a in Area)]
    show_change_link = True


@admin.register(SellerAccount)
class SellerAccountAdmin(admin.ModelAdmin):
    list_display = ["name", "id", "kind", "standing", "created_at"]
    list_filter = ["kind", "standing", "marketplaces"]
    search_fields = ["name", "=id"]
    inlines = [SellerMarketplaceInline, BrandRepresentativeInline, SellerUserInline]
    actions = ["run_recomputes"]

    @admin.action(description=_("Run every recompute now for the selected sellers"))
    def run_recomputes(self, request, queryset):
        from .tasks import fan_out

        seller_ids = list(queryset.values_list("pk", flat=True))
        jobs = recompute.registered()
        if not jobs:
            self.message_user(request, _("No recompute is registered yet."), messages.WARNING)
            return
        for job in jobs.values():
            period = periods.current_period(job.cadence)
            transaction.on_commit(lambda j=job, p=period: fan_out(j.name, p, seller_ids))
        self.message_user(
            request,
            _("Queued %(jobs)s for %(count)d seller(s).")
            % {"jobs": ", ".join(jobs), "count": len(seller_ids)},
        )


class SellerUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["email", "seller"]


class SellerUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = SellerUserChangeForm
    add_form = SellerUserCreationForm
    ordering = ["email"]
    list_display = ["email", "name", "seller", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_active", "seller"]
    list_select_related = ["seller"]
    search_fields = ["email", "name"]
    autocomplete_fields = ["seller"]
    fieldsets = [
        (None, {"fields": ["email", "password", "name", "seller"]}),
        (_("Seller permissions (AC-2)"), {"fields": [access_field(a) for a in Area]}),
        (
            _("Marketplace staff"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "seller", "password1", "password2"]}),
    ]

    def save_model(self, request, obj, form, change):
        services.save_user_as_staff(staff=request.user, user=obj)  # logs what changed (#9)


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "registered_at"]
    list_select_related = ["owner"]
    search_fields = ["name"]
    autocomplete_fields = ["owner"]
    inlines = [BrandRepresentativeInline]


@admin.register(BrandRepresentative)
class BrandRepresentativeAdmin(admin.ModelAdmin):
    list_display = ["seller", "brand", "granted_at"]
    list_select_related = ["seller", "brand"]
    autocomplete_fields = ["seller", "brand"]
    search_fields = ["seller__name", "brand__name"]


@admin.register(Buyer)
class BuyerAdmin(BigTableAdmin):
    list_display = ["alias", "external_id", "marketplace", "opted_out_of_solicitations"]
    list_filter = ["marketplace", "opted_out_of_solicitations"]
    list_select_related = ["marketplace"]
    search_fields = ["=external_id", "alias"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Product)
class ProductAdmin(BigTableAdmin):
    list_display = ["asin", "title", "brand", "category"]
    list_filter = ["category"]
    list_select_related = ["brand", "category"]
    search_fields = ["=asin", "title"]
    autocomplete_fields = ["brand", "category"]


@admin.register(Offer)
class OfferAdmin(BigTableAdmin):
    list_display = [
        "sku",
        "product",
        "seller",
        "marketplace",
        "price",
        "fulfilment_channel",
        "status",
    ]
    list_filter = ["marketplace", "status", "fulfilment_channel", "closure_reason"]
    list_select_related = ["product", "seller", "marketplace"]
    search_fields = ["=sku", "=product__asin"]
    raw_id_fields = ["seller", "product"]


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    raw_id_fields = ["offer"]
    readonly_fields = ["seller"]


@admin.register(Order)
class OrderAdmin(BigTableAdmin):
    list_display = [
        "external_id",
        "seller",
        "marketplace",
        "status",
        "fulfilment_channel",
        "purchased_at",
        "total",
    ]
    list_filter = ["marketplace", "status", "fulfilment_channel"]
    list_select_related = ["seller", "marketplace"]
    search_fields = ["=external_id"]
    raw_id_fields = ["seller", "buyer"]
    date_hierarchy = "purchased_at"
    inlines = [OrderLineInline]


@admin.register(ReasonCode)
class ReasonCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "category"]
    list_filter = ["category"]
    list_editable = ["category"]
    search_fields = ["code", "label"]


class OrderEventAdmin(BigTableAdmin):
    list_display = ["external_id", "order", "seller", "marketplace", "occurred_at"]
    list_filter = ["marketplace"]
    list_select_related = ["order", "seller", "marketplace"]
    search_fields = ["=external_id", "=order__external_id"]
    raw_id_fields = ["seller", "order"]
    date_hierarchy = "occurred_at"


@admin.register(Return)
class ReturnAdmin(OrderEventAdmin):
    list_display = [*OrderEventAdmin.list_display, "reason"]
    list_filter = [*OrderEventAdmin.list_filter, "reason__category"]
    list_select_related = [*OrderEventAdmin.list_select_related, "reason"]
    raw_id_fields = [*OrderEventAdmin.raw_id_fields, "offer"]


@admin.register(Refund)
class RefundAdmin(OrderEventAdmin):
    list_display = [*OrderEventAdmin.list_display, "amount", "status", "origin"]
    list_filter = [*OrderEventAdmin.list_filter, "status", "origin"]
    raw_id_fields = [*OrderEventAdmin.raw_id_fields, "offer"]


@admin.register(AtoZClaim)
class AtoZClaimAdmin(OrderEventAdmin):
    list_display = [*OrderEventAdmin.list_display, "amount", "status"]
    list_filter = [*OrderEventAdmin.list_filter, "status"]


@admin.register(Chargeback)
class ChargebackAdmin(OrderEventAdmin):
    list_display = [*OrderEventAdmin.list_display, "amount", "status"]
    list_filter = [*OrderEventAdmin.list_filter, "status"]


@admin.register(CustomerServiceContact)
class CustomerServiceContactAdmin(OrderEventAdmin):
    list_display = [*OrderEventAdmin.list_display, "reason"]
    list_filter = [*OrderEventAdmin.list_filter, "reason__category"]
    list_select_related = [*OrderEventAdmin.list_select_related, "reason"]
    raw_id_fields = [*OrderEventAdmin.raw_id_fields, "offer"]


class MarketplaceTokenForm(forms.ModelForm):
    """Staff create marketplace-scoped tokens; seller tokens are made by sellers themselves."""

    class Meta:
        model = ApiToken
        fields = ["name", "marketplace"]

    def clean_marketplace(self):
        if not self.cleaned_data.get("marketplace"):
            raise forms.ValidationError(_("Choose the marketplace of the integration."))
        return self.cleaned_data["marketplace"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Staff create marketplace integration tokens here; the value is shown once."""

    list_display = [
        "name",
        "prefix",
        "kind",
        "user",
        "marketplace",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["kind", "marketplace"]
    list_select_related = ["user", "marketplace"]
    search_fields = ["name", "prefix", "user__email"]
    readonly_fields = [
        "name",
        "kind",
        "marketplace",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = MarketplaceTokenForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return ["name", "marketplace"] if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        token, raw = services.create_api_token(
            acting_user=request.user,
            name=form.cleaned_data["name"],
            kind=ApiToken.Kind.MARKETPLACE,
            marketplace=form.cleaned_data["marketplace"],
        )
        obj.pk, obj.key_hash = token.pk, token.key_hash
        self.message_user(
            request,
            _("Token created. Copy it now, it will not be shown again: %(raw)s") % {"raw": raw},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = services.revoke_api_tokens_as_staff(
            staff=request.user, token_ids=list(queryset.values_list("pk", flat=True))
        )
        self.message_user(request, _("%(count)d token(s) revoked.") % {"count": count})


@admin.register(PolicySetting)
class PolicySettingAdmin(admin.ModelAdmin):
    """The spec's *(default)* numbers: thresholds, windows and minimums staff may tune."""

    list_display = ["key", "value", "unit", "description", "updated_at"]
    list_editable = ["value"]
    search_fields = ["key", "description"]
    readonly_fields = ["key", "unit", "description", "updated_at"]

    def has_add_permission(self, request):
        return False  # rows are declared in code (policies.py) and written on migrate

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(BigTableAdmin):
    """Issue #9: who did what, when, from where. Read-only: the services write it."""

    list_display = [
        "created_at",
        "action",
        "seller",
        "actor_label",
        "token_name",
        "object_type",
        "object_id",
        "summary",
        "ip_address",
    ]
    list_filter = ["action", ("created_at", admin.DateFieldListFilter), "seller"]
    list_select_related = ["seller"]
    search_fields = ["actor_label", "summary", "=object_id", "token_name", "seller__name"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "action",
        "seller",
        "actor",
        "actor_label",
        "token_id",
        "token_name",
        "object_type",
        "object_id",
        "summary",
        "changes",
        "ip_address",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RecomputeJob)
class RecomputeJobAdmin(admin.ModelAdmin):
    """Issue #9: every chunk of every recompute, its attempts and its last error."""

    list_display = ["id", "name", "period", "status", "attempts", "rows", "created_at", "error"]
    list_filter = ["status", "name", "period"]
    search_fields = ["=id", "name", "error"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = [f.name for f in RecomputeJob._meta.fields]
    actions = ["retry_failed"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Run the selected failed jobs again"))
    def retry_failed(self, request, queryset):
        from .services.recompute_jobs import retry_failed_jobs

        ids = list(queryset.values_list("pk", flat=True))
        count = retry_failed_jobs(ids)
        self.message_user(request, _("%(count)d failed job(s) queued again.") % {"count": count})
