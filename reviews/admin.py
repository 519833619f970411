"""Marketplace staff: reviews with their history, and the brands' contacts with their e-mail."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sellercx.admin import BigTableAdmin

from .email import render_contact_email
from .models import CustomerContact, Review, ReviewRevision


class RevisionInline(admin.TabularInline):
    model = ReviewRevision
    extra = 0
    can_delete = False
    readonly_fields = ["rating", "title", "text", "written_at", "replaced_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(BigTableAdmin):
    list_display = ["title", "rating", "product", "brand", "marketplace", "verified", "posted_at"]
    list_filter = ["marketplace", "rating", "brand"]
    list_select_related = ["product", "brand", "marketplace"]
    search_fields = ["=external_id", "=product__asin", "title"]
    raw_id_fields = ["product", "brand", "buyer", "verified_order"]
    date_hierarchy = "posted_at"
    inlines = [RevisionInline]
    readonly_fields = ["contact_eligibility"]
    # The buyer's words, as the storefront sent them: an edit here would keep no revision and
    # rewrite the past weeks that counted it (RV-1, SC-4). Edits come through the API.
    buyers_words = ["rating", "title", "text", "posted_at", "edited_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, *self.buyers_words] if obj is not None else fields

    @admin.display(description=_("Contact the customer (seller of record)"))
    def contact_eligibility(self, obj):
        """RV-4 as the seller of record's account would see it: the same rule as the page."""
        from django.utils import timezone

        from .eligibility import contact_eligibility
        from .selectors import represented_brand_ids

        order = obj.verified_order
        if order is None:
            return _("Not a verified purchase: nobody can contact this customer.")
        result = contact_eligibility(
            review=obj,
            account=order.seller,
            represented_brand_ids=set(represented_brand_ids(seller_id=order.seller_id)),
            now=timezone.now(),
        )
        return (
            _("Offered to %(seller)s") % {"seller": order.seller}
            if result.eligible
            else (f"{order.seller}: {result.message}")
        )

    @admin.display(boolean=True, description=_("verified purchase"))
    def verified(self, obj):
        return obj.is_verified_purchase


@admin.register(CustomerContact)
class CustomerContactAdmin(BigTableAdmin):
    """RV-5: who contacted which buyer, why, and the exact e-mail (templates are fixed)."""

    list_display = ["review", "seller", "reason", "language", "email_status", "created_at"]
    list_filter = ["reason", "email_status", "language"]
    list_select_related = ["review", "seller"]
    search_fields = ["=order__external_id", "seller__name"]
    readonly_fields = [
        "review",
        "seller",
        "order",
        "reason",
        "language",
        "sent_by",
        "created_at",
        "email_status",
        "email_sent_at",
        "refund",
        "email_preview",
    ]
    fields = readonly_fields

    change_list_template = "admin/reviews/customercontact/change_list.html"

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        from django.urls import path

        extra = [
            path(
                "templates/",
                self.admin_site.admin_view(self.templates_view),
                name="reviews_customercontact_templates",
            )
        ]
        return extra + super().get_urls()

    def templates_view(self, request):
        """RV-5: the fixed e-mail templates, per language, as buyers receive them."""
        from django.template.response import TemplateResponse

        from .email import template_previews

        context = {
            **self.admin_site.each_context(request),
            "title": _("Contact the customer: e-mail templates"),
            "previews": template_previews(),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/reviews/customercontact/templates.html", context)

    @admin.display(description=_("e-mail sent to the buyer"))
    def email_preview(self, obj):
        from django.utils.html import format_html

        subject, body = render_contact_email(obj)
        return format_html("<strong>{}</strong><pre>{}</pre>", subject, body)
