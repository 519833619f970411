"""Serializers of the core API: what sellers read, and what marketplaces ingest."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sellercx.models import (
    AtoZClaim,
    AuditEntry,
    Chargeback,
    FulfilmentChannel,
    Marketplace,
    Offer,
    Order,
    Refund,
    User,
)
from sellercx.permissions import Access, Area

from .fields import InstantField, MoneyField
from .inputs import InputSerializer

# ---- seller-scoped reads --------------------------------------------------------------------


class MarketplaceSerializer(serializers.ModelSerializer):
    marketplace_id = serializers.CharField(source="code")
    default_currency_code = serializers.CharField(source="currency")
    default_language_code = serializers.CharField(source="language")

    class Meta:
        model = Marketplace
        fields = [
            "marketplace_id",
            "name",
            "domain",
            "default_currency_code",
            "default_language_code",
        ]


class OfferSerializer(serializers.ModelSerializer):
    marketplace_id = serializers.CharField(source="marketplace.code")
    asin = serializers.CharField(source="product.asin")
    title = serializers.CharField(source="product.title")
    brand = serializers.CharField(source="product.brand.name", allow_null=True, default=None)
    category = serializers.CharField(source="product.category.name")
    price = MoneyField()

    class Meta:
        model = Offer
        fields = [
            "id",
            "marketplace_id",
            "sku",
            "asin",
            "title",
            "brand",
            "category",
            "price",
            "fulfilment_channel",
            "status",
            "closed_at",
            "closure_reason",
            "deleted_at",
            "created_at",
        ]


class OrderSummarySerializer(serializers.ModelSerializer):
    order_id = serializers.CharField(source="external_id")
    marketplace_id = serializers.CharField(source="marketplace.code")
    buyer = serializers.CharField(source="buyer.alias")
    purchase_date = serializers.DateTimeField(source="purchased_at")
    item_count = serializers.IntegerField()
    total = MoneyField()

    class Meta:
        model = Order
        fields = [
            "id",
            "order_id",
            "marketplace_id",
            "buyer",
            "status",
            "fulfilment_channel",
            "purchase_date",
            "promised_delivery_at",
            "delivered_at",
            "fully_delivered_at",
            "item_count",
            "total",
        ]


class OrderLineSerializer(serializers.Serializer):
    sku = serializers.CharField(source="offer.sku")
    asin = serializers.CharField(source="offer.product.asin")
    title = serializers.CharField(source="offer.product.title")
    quantity = serializers.IntegerField()
    unit_price = MoneyField(currency_from="order.marketplace.currency")


class OrderEventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.CharField(source="external_id")
    date = serializers.DateTimeField(source="occurred_at")
    reason_code = serializers.CharField(source="reason.code", default=None, allow_null=True)
    reason = serializers.CharField(source="reason.label", default=None, allow_null=True)
    status = serializers.CharField(default=None, allow_null=True)
    comment = serializers.CharField()
    created_by = serializers.ChoiceField(
        source="origin",
        choices=Refund.Origin.choices,
        default=Refund.Origin.MARKETPLACE,
        help_text="Whose id `id` is: the marketplace's, or SellerCX's own (a courtesy refund).",
    )


class OrderDetailSerializer(OrderSummarySerializer):
    item_count = None
    lines = OrderLineSerializer(many=True)
    events = serializers.SerializerMethodField()

    class Meta(OrderSummarySerializer.Meta):
        fields = [f for f in OrderSummarySerializer.Meta.fields if f != "item_count"] + [
            "lines",
            "events",
        ]

    def get_events(self, order) -> list[dict]:
        from sellercx.selectors import order_events

        return OrderEventSerializer(order_events(order), many=True).data


# ---- marketplace-scoped ingestion -------------------------------------------------------------


class LineInput(InputSerializer):
    sku = serializers.CharField(max_length=40)
    quantity = serializers.IntegerField(min_value=1, max_value=10_000)
    unit_price = MoneyField()


class OrderInput(InputSerializer):
    order_id = serializers.CharField(source="external_id", max_length=64)
    seller_id = serializers.IntegerField(min_value=1)
    buyer_id = serializers.CharField(max_length=64)
    status = serializers.ChoiceField(choices=Order.Status.choices)
    fulfilment_channel = serializers.ChoiceField(choices=FulfilmentChannel.choices)
    purchase_date = InstantField(source="purchased_at")
    promised_delivery_at = InstantField(past=False, required=False, allow_null=True)
    delivered_at = InstantField(required=False, allow_null=True)
    fully_delivered_at = InstantField(required=False, allow_null=True)
    lines = LineInput(many=True, allow_empty=False, max_length=100)


class EventInput(InputSerializer):
    order_id = serializers.CharField(max_length=64)
    date = InstantField(source="occurred_at")
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class ReturnInput(EventInput):
    return_id = serializers.CharField(source="external_id", max_length=64)
    sku = serializers.CharField(max_length=40)
    quantity = serializers.IntegerField(min_value=1, max_value=10_000, default=1)
    reason_code = serializers.CharField(max_length=40)


class RefundInput(EventInput):
    refund_id = serializers.CharField(source="external_id", max_length=64)
    sku = serializers.CharField(max_length=40, required=False)
    amount = MoneyField()
    status = serializers.ChoiceField(choices=Refund.Status.choices, default="completed")
    reason_code = serializers.CharField(max_length=40, required=False)


class ClaimInput(EventInput):
    claim_id = serializers.CharField(source="external_id", max_length=64)
    amount = MoneyField()
    status = serializers.ChoiceField(choices=AtoZClaim.Status.choices, default="open")
    reason_code = serializers.CharField(max_length=40, required=False)


class ChargebackInput(EventInput):
    chargeback_id = serializers.CharField(source="external_id", max_length=64)
    amount = MoneyField()
    status = serializers.ChoiceField(choices=Chargeback.Status.choices, default="open")


class ContactInput(EventInput):
    contact_id = serializers.CharField(source="external_id", max_length=64)
    sku = serializers.CharField(max_length=40, required=False)
    reason_code = serializers.CharField(max_length=40)


ROW_SERIALIZERS: dict[str, type[serializers.Serializer]] = {
    "orders": OrderInput,
    "returns": ReturnInput,
    "refunds": RefundInput,
    "claims": ClaimInput,
    "chargebacks": ChargebackInput,
    "contacts": ContactInput,
}


def batch_serializer(kind: str) -> type[serializers.Serializer]:
    """``{"<kind>": [row, …]}`` with 1 to SELLERCX_MAX_BATCH rows."""
    row = ROW_SERIALIZERS[kind]
    field = row(many=True, allow_empty=False, max_length=settings.SELLERCX_MAX_BATCH)
    name = f"{kind.title()}Batch"
    return type(name, (InputSerializer,), {kind: field, "__doc__": f"A batch of {kind}."})


class IngestResultSerializer(serializers.Serializer):
    received = serializers.IntegerField(help_text=_("Rows in the batch."))
    created = serializers.IntegerField(help_text=_("Rows stored for the first time."))
    updated = serializers.IntegerField(
        help_text=_(
            "Rows already stored that this call changed. A row sent again unchanged counts "
            "as neither created nor updated."
        )
    )


class IngestResponseSerializer(serializers.Serializer):
    payload = IngestResultSerializer()


# ---- AC-3 users and permissions ---------------------------------------------------------------


class AccountUserSerializer(serializers.ModelSerializer):
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "name", "is_active", "last_login", "permissions"]

    def get_permissions(self, user) -> dict[str, int]:
        return {area.value: int(user.access(area)) for area in Area}


class PermissionsInput(InputSerializer):
    feedback = serializers.ChoiceField(choices=Access.choices, required=False)
    reviews = serializers.ChoiceField(choices=Access.choices, required=False)
    messages = serializers.ChoiceField(choices=Access.choices, required=False)
    performance = serializers.ChoiceField(choices=Access.choices, required=False)
    voc = serializers.ChoiceField(choices=Access.choices, required=False)
    users = serializers.ChoiceField(choices=Access.choices, required=False)


# ---- issue #9 audit log ---------------------------------------------------------------------


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label", help_text=_("Who, as recorded"))
    changes = serializers.DictField(
        help_text=_('The values before and after, as {"before": {...}, "after": {...}}')
    )

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "created_at",
            "action",
            "actor",
            "token_id",
            "token_name",
            "object_type",
            "object_id",
            "summary",
            "changes",
            "ip_address",
        ]
        read_only_fields = fields
