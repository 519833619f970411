"""Core endpoints under /api/v1/: the seller's marketplaces, offers and orders (seller-scoped),
and the storefront's ingestion of orders and post-order events (marketplace-scoped)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sellercx import selectors, services
from sellercx.filters import AuditFilter, OfferFilter, OrderFilter
from sellercx.permissions import Area

from . import fastinput
from . import serializers as s
from .permissions import HasAreaAccess, IsAccountAdmin, IsMarketplaceIntegration

ERROR_RESPONSES = {
    400: OpenApiResponse(description=_("Bad input: the errors envelope")),
    401: OpenApiResponse(description=_("No or invalid token")),
    403: OpenApiResponse(description=_("Not permitted")),
    429: OpenApiResponse(description=_("Throttled; see Retry-After")),
}


class SellerListApi(generics.ListAPIView):
    """Base of the seller-scoped lists: scoped to the caller's account, filtered, paged."""

    permission_classes = [HasAreaAccess]

    def seller_id(self) -> int:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular building the schema
            return 0
        return self.request.user.seller_id


@extend_schema(tags=["Sellers"], summary="List the marketplaces the seller sells in")
class MarketplaceListApi(SellerListApi):
    serializer_class = s.MarketplaceSerializer
    ordering = "code"

    def get_queryset(self):
        return selectors.seller_marketplaces(seller=self.seller_id())


@extend_schema(tags=["Catalog"], summary="List the seller's offers")
class OfferListApi(SellerListApi):
    serializer_class = s.OfferSerializer
    filterset_class = OfferFilter

    def get_queryset(self):
        return selectors.offers_of_seller(seller_id=self.seller_id())


@extend_schema(tags=["Catalog"], summary="Get one of the seller's offers")
class OfferDetailApi(generics.RetrieveAPIView):
    permission_classes = [HasAreaAccess]
    serializer_class = s.OfferSerializer

    def get_queryset(self):
        return selectors.offers_of_seller(seller_id=self.request.user.seller_id)


@extend_schema(tags=["Orders"], summary="List the seller's orders")
class OrderListApi(SellerListApi):
    serializer_class = s.OrderSummarySerializer
    filterset_class = OrderFilter
    ordering = "-purchased_at"

    def get_queryset(self):
        return selectors.orders_of_seller(seller_id=self.seller_id())


@extend_schema(
    tags=["Orders"],
    summary="Get one order with its lines, returns, refunds, claims, chargebacks and contacts",
)
class OrderDetailApi(APIView):
    permission_classes = [HasAreaAccess]

    @extend_schema(responses=s.OrderDetailSerializer)
    def get(self, request, pk: int):
        order = selectors.order_detail(seller_id=request.user.seller_id, order_id=pk)
        return Response(s.OrderDetailSerializer(order).data)


class StorefrontApi(APIView):
    """The storefront's side of the API: marketplace-scoped tokens, the ingestion rate."""

    permission_classes = [IsMarketplaceIntegration]
    throttle_scope = "ingest"


class IngestApi(StorefrontApi):
    """API-6: a batch of rows from the storefront, stored once per marketplace id."""

    kind: str = ""

    def post(self, request):
        marketplace = request.user.marketplace
        rows = None
        if self.kind == "orders":  # the busiest feed: its common case skips DRF's walk (#8)
            rows = fastinput.orders(request.data, marketplace.currency)
        if rows is None:
            serializer = s.batch_serializer(self.kind)(
                data=request.data, context={"currency": marketplace.currency}
            )
            serializer.is_valid(raise_exception=True)
            rows = serializer.validated_data[self.kind]
        result = services.ingest(kind=self.kind, marketplace=marketplace, rows=rows)
        return Response({"payload": vars(result)}, status=status.HTTP_200_OK)


def ingest_view(kind: str, summary: str) -> type[IngestApi]:
    """One documented endpoint per kind of row, all sharing the same rules."""
    view = type(f"Ingest{kind.title()}Api", (IngestApi,), {"kind": kind})
    return extend_schema(
        tags=["Ingestion (marketplace)"],
        summary=summary,
        description=(
            "Marketplace-scoped token only. Idempotent on the marketplace's ids: a row sent twice "
            "is stored once and updated when it changed. The batch is all-or-nothing: with any "
            "bad row, nothing is stored and every bad row is reported (details = the field's "
            "path, e.g. `orders[3].lines[0].sku`). Times must be in order (API-8): an event's "
            "`date` not before its order's purchase; an order promised and delivered after its "
            "purchase, its last delivery after its first; a resent order cannot move its purchase "
            "after its events. A batch refused only for such times is a 422 `RuleViolation` "
            "(e.g. `returns[3].date`); with other bad rows too, a 400 that names them all."
        ),
        request=s.batch_serializer(kind),
        responses={200: s.IngestResponseSerializer, **ERROR_RESPONSES},
    )(view)


IngestOrdersApi = ingest_view("orders", "Ingest a batch of orders with their lines")
IngestReturnsApi = ingest_view("returns", "Ingest a batch of returns")
IngestRefundsApi = ingest_view("refunds", "Ingest a batch of refunds")
IngestClaimsApi = ingest_view("claims", "Ingest a batch of A-to-z claims")
IngestChargebacksApi = ingest_view("chargebacks", "Ingest a batch of chargebacks")
IngestContactsApi = ingest_view("contacts", "Ingest a batch of customer-service contacts")


@extend_schema(tags=["Users"], summary="List the users of the account with their permissions")
class UserListApi(SellerListApi):
    """AC-3 for integrators: the same rules as the User permissions page."""

    area = Area.USERS
    serializer_class = s.AccountUserSerializer
    ordering = "email"

    def get_queryset(self):
        return selectors.account_users(seller_id=self.seller_id())


@extend_schema(
    tags=["Users"],
    summary="Change a user's permissions",
    description="Levels: 0 none, 1 view, 2 view and edit. Areas left out keep their level.",
    request=s.PermissionsInput,
    responses={200: s.AccountUserSerializer, **ERROR_RESPONSES},
)
class UserPermissionsApi(APIView):
    permission_classes = [HasAreaAccess]
    area = Area.USERS

    def patch(self, request, pk: int):
        data = s.PermissionsInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.update_user_permissions(
            acting_user=request.user, user_id=pk, permissions=data.validated_data
        )
        return Response(s.AccountUserSerializer(user).data)


@extend_schema(
    tags=["Users"],
    summary="List the account's activity log",
    description=(
        "Who changed permissions or tokens, replied, contacted buyers or asked for removals, "
        "newest first. Account admins only; scoped to the token's seller account."
    ),
)
class AuditLogApi(SellerListApi):
    permission_classes = [IsAccountAdmin]
    serializer_class = s.AuditEntrySerializer
    filterset_class = AuditFilter
    ordering = "-id"

    def get_queryset(self):
        return selectors.audit_entries(seller_id=self.seller_id())
