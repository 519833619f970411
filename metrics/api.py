"""Performance metrics on the REST API (API-5), seller-scoped tokens only: the account-health
report, the snapshot history, and the ODR drill-down."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from messaging.selectors import BANDS
from sellercx.api.permissions import HasAreaAccess
from sellercx.api.views import ERROR_RESPONSES, SellerListApi
from sellercx.errors import InvalidInput
from sellercx.models import Order, SellerAccount
from sellercx.permissions import Area
from sellercx.selectors import chosen_marketplace, required_marketplace

from . import selectors
from .definitions import DEFECT_KINDS, Condition, Metric, Status, overall_status
from .filters import DefectFilter, SnapshotFilter
from .models import MetricSnapshot

TARGET_CONDITIONS = {
    Condition.BELOW: "LESS_THAN",
    Condition.AT_LEAST: "GREATER_THAN_OR_EQUAL_TO",
    Condition.NONE: None,
}
RATE = {"max_digits": 18, "decimal_places": 6, "allow_null": True}
CS_BANDS = [(key, word) for _lowest, key, word, _colour in BANDS]  # CS-6


class PerformanceArea:
    permission_classes = [HasAreaAccess]
    area = Area.PERFORMANCE


class DateRangeSerializer(serializers.Serializer):
    from_ = serializers.DateField(help_text=_("First day, included (UTC)"))
    to = serializers.DateField(help_text=_("Last day, included (UTC)"))

    def to_representation(self, instance):
        return {"from": instance[0].isoformat(), "to": instance[1].isoformat()}

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class DefectCountSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    rate = serializers.DecimalField(**RATE)
    status = serializers.ChoiceField(choices=Status.choices)


class DefectsSerializer(serializers.Serializer):
    negative_feedback = DefectCountSerializer()
    claim = DefectCountSerializer(help_text=_("A-to-z claims (not withdrawn)"))
    chargeback = DefectCountSerializer()


class HistoryPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    value = serializers.DecimalField(**RATE)
    status = serializers.ChoiceField(choices=Status.choices)


class MetricReportSerializer(serializers.Serializer):
    metric = serializers.ChoiceField(choices=Metric.choices)
    label = serializers.CharField()
    order_count = serializers.IntegerField(
        allow_null=True, help_text=_("Orders in the window (order-based metrics)")
    )
    defects = DefectsSerializer(
        allow_null=True, help_text=_("PM-1: orders with each kind of defect, with its status")
    )
    value = serializers.DecimalField(
        **RATE, help_text=_("In the metric's unit: rates as fractions 0..1")
    )
    rate = serializers.DecimalField(**RATE, help_text=_("The value, for rate metrics"))
    unit = serializers.CharField()
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    target_value = serializers.DecimalField(**RATE)
    at_risk_margin = serializers.DecimalField(**RATE)
    target_condition = serializers.ChoiceField(
        choices=["LESS_THAN", "GREATER_THAN_OR_EQUAL_TO"], allow_null=True
    )
    status = serializers.ChoiceField(
        choices=Status.choices, help_text=_("The value against its target (PM-5)")
    )
    informational = serializers.BooleanField(
        help_text=_(
            "CS-8: true for the customer-service rating, shown for information with its band; "
            "it never counts toward the marketplace's status"
        )
    )
    band = serializers.ChoiceField(
        choices=CS_BANDS,
        allow_null=True,
        help_text=_(
            "CS-6, for the customer-service rating: keep_it_up (8.0 and above), "
            "needs_improvement (6.0 to 7.9), needs_attention (below 6.0); null otherwise"
        ),
    )
    reporting_date_range = DateRangeSerializer()
    history = HistoryPointSerializer(many=True)


class MarketplaceReportSerializer(serializers.Serializer):
    marketplace_id = serializers.CharField()
    as_of = serializers.DateField(help_text=_("Snapshots are as of the start of this day, UTC"))
    status = serializers.ChoiceField(
        choices=Status.choices,
        help_text=_(
            "The worst status of the metrics that count; informational ones (the "
            "customer-service rating, CS-8) never do"
        ),
    )
    metrics = MetricReportSerializer(many=True)


class AccountHealthSerializer(serializers.Serializer):
    account_standing = serializers.ChoiceField(
        choices=SellerAccount.Standing.choices,
        help_text=_(
            "The account's standing: a deactivated account is never in good health, whatever "
            "its metrics"
        ),
    )
    marketplaces = MarketplaceReportSerializer(many=True)


def metric_report(card: dict, points: list[dict]) -> dict:
    snapshot = card["snapshot"]
    odr = snapshot.metric.startswith("odr_")
    return {
        "metric": snapshot.metric,
        "label": str(card["label"]),
        "order_count": snapshot.denominator if odr or snapshot.metric == "feedback_score" else None,
        "defects": {d["kind"]: d for d in card["defects"]} if odr else None,
        "value": snapshot.value,
        "rate": snapshot.value if card["unit"] == "rate" else None,
        "unit": card["unit"],
        "numerator": snapshot.numerator,
        "denominator": snapshot.denominator,
        "target_value": snapshot.target,
        "at_risk_margin": snapshot.at_risk_margin,
        "target_condition": TARGET_CONDITIONS[Condition(snapshot.condition)],
        "status": snapshot.status,
        "informational": card["informational"],
        "band": card["band"],
        "reporting_date_range": (snapshot.window_start, snapshot.window_end),
        "history": points,
    }


@extend_schema(
    tags=["Performance"],
    summary="Account health: every metric like the account-health report (API-5, PM-1 … PM-6)",
    description=_(
        "For each marketplace (or the one given), each metric's latest daily snapshot: "
        "orderCount, the defect counts each with its rate and status, rate, targetValue, "
        "targetCondition, status (good, at_risk, failing, none) and reportingDateRange, with "
        "the daily history of the last `days` days (default 90). The customer-service rating "
        "is informational (CS-8): it comes with its band and never counts toward the "
        "marketplace's status. accountStanding says when the account is deactivated."
    ),
    parameters=[
        OpenApiParameter("marketplace", str, description="e.g. FR; all when left out"),
        OpenApiParameter("days", int, description="days of history, 1 to 365 (default 90)"),
    ],
    responses={200: AccountHealthSerializer, **ERROR_RESPONSES},
)
class AccountHealthApi(PerformanceArea, APIView):
    def get(self, request):
        seller_id = request.user.seller_id
        marketplace_id = None
        if request.query_params.get("marketplace"):
            marketplace_id = required_marketplace(
                seller_id=seller_id, code=request.query_params["marketplace"]
            ).pk
        days = request.query_params.get("days", "90")
        if not (days.isascii() and days.isdigit()) or not 1 <= int(days) <= 365:
            raise InvalidInput(_("days must be a whole number from 1 to 365."), details="days")
        cards = selectors.account_health(seller_id=seller_id, marketplace_id=marketplace_id)
        series = selectors.history(
            seller_id=seller_id, marketplace_id=marketplace_id, days=int(days)
        )
        report = []
        for marketplace_cards in cards.values():
            marketplace = marketplace_cards[0]["snapshot"].marketplace
            report.append(
                {
                    "marketplace_id": marketplace.code,
                    "as_of": marketplace_cards[0]["snapshot"].day,
                    "status": overall_status((c["metric"], c["status"]) for c in marketplace_cards),
                    "metrics": [
                        metric_report(c, series.get((marketplace.pk, c["metric"]), []))
                        for c in marketplace_cards
                    ],
                }
            )
        standing = selectors.account_standing(seller_id=seller_id)
        return Response(
            AccountHealthSerializer({"account_standing": standing, "marketplaces": report}).data
        )


class SnapshotSerializer(serializers.ModelSerializer):
    marketplace_id = serializers.CharField(source="marketplace.code")
    target_condition = serializers.SerializerMethodField()

    class Meta:
        model = MetricSnapshot
        fields = [
            "id",
            "marketplace_id",
            "metric",
            "day",
            "value",
            "numerator",
            "denominator",
            "breakdown",
            "target",
            "at_risk_margin",
            "target_condition",
            "status",
            "window_start",
            "window_end",
            "computed_at",
        ]

    def get_target_condition(self, snapshot) -> str | None:
        return TARGET_CONDITIONS[Condition(snapshot.condition)]


@extend_schema(
    tags=["Performance"],
    summary="The daily metric snapshots (PM-5), newest first, filterable by metric, "
    "marketplace and days",
)
class SnapshotListApi(PerformanceArea, SellerListApi):
    serializer_class = SnapshotSerializer
    filterset_class = SnapshotFilter
    ordering = ("-day", "-id")

    def get_queryset(self):
        return selectors.snapshots(seller_id=self.seller_id())


class OrderDefectSerializer(serializers.ModelSerializer):
    marketplace_id = serializers.CharField(source="marketplace.code")
    order_id = serializers.CharField(source="external_id")
    defects = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = ["id", "order_id", "marketplace_id", "fulfilment_channel", "purchased_at"]
        fields += ["defects"]

    def get_defects(self, order) -> list[str]:
        return [kind for kind in DEFECT_KINDS if getattr(order, kind, False)]


@extend_schema(
    tags=["Performance"],
    summary="The orders of the ODR window with a defect, and which (PM-1 drill-down)",
    description=_(
        "Orders in the order defect rate's window of the latest snapshot (of the marketplace "
        "given, else of the account) with their defects as of that day; filter by kind "
        "(negative_feedback, claim, chargeback) and fulfilmentChannel."
    ),
)
class OrderDefectListApi(PerformanceArea, SellerListApi):
    serializer_class = OrderDefectSerializer
    filterset_class = DefectFilter
    ordering = "-purchased_at"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Order.objects.none()
        code = self.request.query_params.get("marketplace")
        marketplace = chosen_marketplace(seller_id=self.seller_id(), code=code) if code else None
        day, start, end = selectors.odr_window(
            seller_id=self.seller_id(), marketplace_id=marketplace.pk if marketplace else None
        )
        return selectors.defective_orders(
            seller_id=self.seller_id(), day=day, window_start=start, window_end=end
        )
