"""Voice of the Customer on the REST API (VC-1 … VC-13): the offers with their CX figures,
one offer's explanation, weekly history and comments, and the VC-9 actions."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from sellercx.api.fields import MoneyField
from sellercx.api.inputs import InputSerializer
from sellercx.api.permissions import HasAreaAccess
from sellercx.api.views import ERROR_RESPONSES, SellerListApi
from sellercx.permissions import Area

from . import selectors, services
from .filters import CXOfferApiFilter
from .models import CXStatus, OfferCXWeek, OfferRelisting, RemovalOrder

RATE_HELP = _("A fraction from 0 to 1 as a decimal string (0.052300 = 5.23%); null without orders")


class RateField(serializers.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", RATE_HELP)
        super().__init__(max_digits=7, decimal_places=6, allow_null=True, **kwargs)


class CXOfferSerializer(serializers.Serializer):
    """VC-1: one row of the VOC table."""

    id = serializers.IntegerField()
    marketplace_id = serializers.CharField(source="marketplace.code")
    sku = serializers.CharField()
    asin = serializers.CharField(source="product.asin")
    title = serializers.CharField(source="product.title")
    fulfilment_channel = serializers.CharField()
    listing_status = serializers.CharField(source="status")
    cx_status = serializers.ChoiceField(
        choices=CXStatus.choices,
        allow_blank=True,
        help_text=_("Empty when the offer had no order in the window (VC-7)"),
    )
    ncx_rate = RateField()
    ncx_orders = serializers.IntegerField(allow_null=True)
    total_orders = serializers.IntegerField(source="cx_orders", allow_null=True)
    most_common_reason = serializers.CharField(source="top_reason_label", allow_null=True)
    last_updated = serializers.DateField(allow_null=True)
    last_closure_date = serializers.DateTimeField(source="closed_at", allow_null=True)
    closure_reason = serializers.CharField()
    action_required = serializers.BooleanField(help_text=_("Closed for a high NCX rate (VC-9)"))
    listing_deleted_at = serializers.DateTimeField(source="deleted_at", allow_null=True)


class CXWeekSerializer(serializers.ModelSerializer):
    ncx_rate = RateField()
    ci_low = RateField()
    ci_high = RateField()
    peer_rate = RateField()

    class Meta:
        model = OfferCXWeek
        fields = [
            "week_start",
            "status",
            "orders",
            "ncx_orders",
            "ncx_rate",
            "ci_low",
            "ci_high",
            "peer_rate",
            "peer_orders",
            "top_reason",
            "last_updated",
        ]


class CXExplanationSerializer(serializers.Serializer):
    offer = CXOfferSerializer()
    price = MoneyField(source="offer.price", currency_from="offer.marketplace.currency")
    category = serializers.CharField()
    week_start = serializers.DateField(allow_null=True)
    interval_low = RateField()
    interval_high = RateField()
    peer_rate = RateField()
    peer_orders = serializers.IntegerField(allow_null=True)
    meaning = serializers.CharField()
    explanation = serializers.ListField(child=serializers.CharField())


class CommentSerializer(serializers.Serializer):
    source = serializers.CharField(help_text="return, refund, contact, review or feedback")
    reason_code = serializers.CharField()
    reason = serializers.CharField()
    order_id = serializers.CharField(source="order_external_id")
    occurred_at = serializers.DateTimeField()
    text = serializers.CharField()


class CommentsSerializer(serializers.Serializer):
    notice = serializers.CharField()
    comments = CommentSerializer(many=True)


class RelistOfferInput(InputSerializer):
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    note = serializers.CharField(max_length=2000, help_text=_("What was fixed"))


class RelistingSerializer(serializers.ModelSerializer):
    class Meta:
        model = OfferRelisting
        fields = ["id", "offer", "changes", "note", "relisted_at"]


class RemovalOrderInput(InputSerializer):
    kind = serializers.ChoiceField(choices=RemovalOrder.Kind.choices)
    quantity = serializers.IntegerField(min_value=1, max_value=services.MAX_REMOVAL_UNITS)


class RemovalOrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = RemovalOrder
        fields = ["id", "offer", "kind", "quantity", "status", "created_at"]


class VocArea:
    permission_classes = [HasAreaAccess]
    area = Area.VOC


@extend_schema(
    tags=["Voice of the Customer"],
    summary="The seller's offers with their CX status and NCX rate (VC-1)",
)
class CXOfferListApi(VocArea, SellerListApi):
    serializer_class = CXOfferSerializer
    filterset_class = CXOfferApiFilter
    ordering = "-id"

    def get_queryset(self):
        return selectors.offers_with_cx_status(seller_id=self.seller_id())


def _offer(request, pk: int):
    return selectors.offer_with_cx_status(seller_id=request.user.seller_id, offer_id=pk)


@extend_schema(
    tags=["Voice of the Customer"],
    summary="One offer's CX status explained: its rate and interval against similar offers",
    responses={200: CXExplanationSerializer, **ERROR_RESPONSES},
)
class CXOfferDetailApi(VocArea, APIView):
    def get(self, request, pk: int):
        offer = _offer(request, pk)
        cx = getattr(offer, "cx", None)
        data = SimpleNamespace(
            offer=offer,
            category=offer.product.category.name,
            week_start=cx.week_start if cx else None,
            interval_low=cx.ci_low if cx else None,
            interval_high=cx.ci_high if cx else None,
            peer_rate=cx.peer_rate if cx else None,
            peer_orders=cx.peer_orders if cx else None,
            meaning=str(selectors.STATUS_MEANING.get(offer.cx_status, "")),
            explanation=selectors.explanation(offer),
        )
        return Response(CXExplanationSerializer(data).data)


@extend_schema(
    tags=["Voice of the Customer"],
    summary="One offer's weekly CX figures, oldest first (VC-13)",
    responses={200: CXWeekSerializer(many=True), **ERROR_RESPONSES},
)
class CXOfferHistoryApi(VocArea, APIView):
    def get(self, request, pk: int):
        offer = _offer(request, pk)
        history = selectors.offer_history(offer=offer, weeks=104)
        return Response(CXWeekSerializer(history, many=True).data)


COMMINGLING_NOTICE = _(
    "Comments concern units supplied under this offer; with commingled stock (manufacturer "
    "barcode) some may concern units the seller did not sell (VC-11)."
)


@extend_schema(
    tags=["Voice of the Customer"],
    summary="One offer's recent negative experiences from every source, with reasons (VC-3)",
    responses={200: CommentsSerializer, **ERROR_RESPONSES},
)
class CXOfferCommentsApi(VocArea, APIView):
    def get(self, request, pk: int):
        offer = _offer(request, pk)
        comments = selectors.offer_comments(offer=offer)
        return Response(
            CommentsSerializer({"notice": str(COMMINGLING_NOTICE), "comments": comments}).data
        )


@extend_schema(
    tags=["Voice of the Customer"],
    summary="Edit and relist an offer closed for a high NCX rate (VC-9)",
    description=_("422 NotClosedForNcx when the offer is not closed for a high NCX rate."),
    request=RelistOfferInput,
    responses={201: RelistingSerializer, **ERROR_RESPONSES},
)
class RelistApi(VocArea, APIView):
    def post(self, request, pk: int):
        data = RelistOfferInput(data=request.data)
        data.is_valid(raise_exception=True)
        relisting = services.relist_offer(user=request.user, offer_id=pk, **data.validated_data)
        return Response(RelistingSerializer(relisting).data, status=201)


@extend_schema(
    tags=["Voice of the Customer"],
    summary="A removal or disposal order for a marketplace-fulfilled offer's stock (VC-9)",
    description=_("422 NotMarketplaceFulfilled for a merchant-fulfilled offer."),
    request=RemovalOrderInput,
    responses={201: RemovalOrderSerializer, **ERROR_RESPONSES},
)
class RemovalOrderApi(VocArea, APIView):
    def post(self, request, pk: int):
        data = RemovalOrderInput(data=request.data)
        data.is_valid(raise_exception=True)
        order = services.create_removal_order(user=request.user, offer_id=pk, **data.validated_data)
        return Response(RemovalOrderSerializer(order).data, status=201)
