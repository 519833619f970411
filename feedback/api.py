"""Seller feedback on the REST API: the seller's feedback manager (seller-scoped), and the
buyer's side through the storefront (marketplace-scoped)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sellercx.api.fields import InstantField
from sellercx.api.inputs import BatchInput, InputSerializer
from sellercx.api.permissions import HasAreaAccess
from sellercx.api.views import ERROR_RESPONSES, StorefrontApi
from sellercx.errors import NotFound
from sellercx.permissions import Area
from sellercx.selectors import required_marketplace

from . import rules, selectors, services
from .checks import Ground
from .filters import FeedbackFilter
from .models import Feedback, RemovalRequest

# ---- serializers ----------------------------------------------------------------------------


class ReplySerializer(serializers.Serializer):
    text = serializers.CharField()
    posted_at = serializers.DateTimeField(source="created_at")


_DATETIME = serializers.DateTimeField()


class RemovalRequestSerializer(serializers.ModelSerializer):
    decided_automatically = serializers.BooleanField(source="automatic")

    class Meta:
        model = RemovalRequest
        fields = [
            "id",
            "ground",
            "note",
            "status",
            "requested_at",
            "decided_at",
            "decided_automatically",
            "decision_reason",
        ]


class FeedbackSerializer(serializers.ModelSerializer):
    order_id = serializers.CharField(source="order.external_id")
    marketplace_id = serializers.CharField(source="marketplace.code")
    buyer = serializers.CharField(source="buyer.alias")
    kind = serializers.CharField()
    counts = serializers.BooleanField(help_text=_("False once removed or struck through."))
    reply = serializers.SerializerMethodField()
    removal_requests = RemovalRequestSerializer(source="removal_list", many=True)

    class Meta:
        model = Feedback
        fields = [
            "id",
            "order_id",
            "marketplace_id",
            "buyer",
            "rating",
            "kind",
            "comment",
            "arrived_on_time",
            "item_as_described",
            "prompt_service",
            "left_at",
            "removed_at",
            "removed_by",
            "struck_through_at",
            "counts",
            "reply",
            "removal_requests",
        ]

    @extend_schema_field(ReplySerializer(allow_null=True))
    def get_reply(self, feedback) -> dict | None:
        reply = selectors.visible_reply(feedback)
        return ReplySerializer(reply).data if reply else None

    def to_representation(self, feedback) -> dict:
        """The declared fields' output, built directly (issue #8: DRF's field-by-field walk
        cost as much as the page's queries). ``test_feedback_serializer_fast_path`` holds it
        equal to DRF's own ``to_representation`` for every field."""
        moment = _DATETIME.to_representation
        return {
            "id": feedback.id,
            "order_id": feedback.order.external_id,
            "marketplace_id": feedback.marketplace.code,
            "buyer": feedback.buyer.alias,
            "rating": feedback.rating,
            "kind": feedback.kind,
            "comment": feedback.comment,
            "arrived_on_time": feedback.arrived_on_time,
            "item_as_described": feedback.item_as_described,
            "prompt_service": feedback.prompt_service,
            "left_at": moment(feedback.left_at),
            "removed_at": moment(feedback.removed_at) if feedback.removed_at else None,
            "removed_by": feedback.removed_by,
            "struck_through_at": (
                moment(feedback.struck_through_at) if feedback.struck_through_at else None
            ),
            "counts": feedback.counts,
            "reply": self.get_reply(feedback),
            "removal_requests": [
                {
                    "id": r.id,
                    "ground": r.ground,
                    "note": r.note,
                    "status": r.status,
                    "requested_at": moment(r.requested_at),
                    "decided_at": moment(r.decided_at) if r.decided_at else None,
                    "decided_automatically": r.automatic,
                    "decision_reason": r.decision_reason,
                }
                for r in feedback.removal_list
            ],
        }

    # What the serializer reads, for ``QuerySet.only()``: an API page then decodes these
    # columns instead of every column of the feedback, its order, buyer and reply.
    columns = (
        *(f for f in Meta.fields if f not in {"order_id", "marketplace_id", "buyer", "kind",
                                              "counts", "reply", "removal_requests"}),
        "order__external_id", "marketplace__code", "buyer__alias",
        "reply__text", "reply__created_at", "reply__deleted_at",
    )  # fmt: skip


class PeriodKindSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class PeriodSerializer(serializers.Serializer):
    days = serializers.IntegerField(allow_null=True, help_text=_("null: lifetime"))
    total = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
    positive = PeriodKindSerializer()
    neutral = PeriodKindSerializer()
    negative = PeriodKindSerializer()


class SummarySerializer(serializers.Serializer):
    marketplace_id = serializers.CharField()
    periods = PeriodSerializer(many=True)
    warning_threshold = serializers.DecimalField(max_digits=6, decimal_places=2)
    negative_rate_warning = serializers.BooleanField()


class ReplyInput(InputSerializer):
    text = serializers.CharField(max_length=services.MAX_REPLY, allow_blank=False)


class RemovalInput(InputSerializer):
    ground = serializers.ChoiceField(choices=Ground.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class SolicitationActionsSerializer(serializers.Serializer):
    actions = serializers.ListField(child=serializers.CharField())
    reason = serializers.CharField(allow_null=True)
    reason_code = serializers.CharField(allow_null=True)


class BulkSolicitationInput(InputSerializer):
    purchased_from = serializers.DateField()
    purchased_to = serializers.DateField(
        help_text=f"Included; the range is at most {rules.BULK_REQUEST_MAX_DAYS} days."
    )
    marketplace_id = serializers.CharField(
        required=False, max_length=2, help_text=_("One marketplace (e.g. FR); all when absent.")
    )
    dry_run = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "true: send nothing, answer what would be sent and why the others would not (UX-4)."
        ),
    )


class BulkReportSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(help_text=_("true: a preview; nothing was sent."))
    eligible = serializers.IntegerField(
        help_text=_("Orders that get a request (in a dry run: would get one).")
    )
    sent = serializers.IntegerField(help_text=_("Requests sent: 0 in a dry run."))
    skipped = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=_("Orders without a request, by reason code (``reasonCode`` of the actions)."),
    )


class FeedbackInput(InputSerializer):
    feedback_id = serializers.CharField(max_length=64)
    order_id = serializers.CharField(max_length=64)
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=services.MAX_COMMENT, default=""
    )
    arrived_on_time = serializers.BooleanField(required=False, allow_null=True, default=None)
    item_as_described = serializers.BooleanField(required=False, allow_null=True, default=None)
    prompt_service = serializers.BooleanField(required=False, allow_null=True, default=None)
    left_at = InstantField(
        required=False,
        help_text=_(
            "When the buyer left it (default: now), so feedback delivered late or backfilled "
            "keeps its date (API-8). Not before the order's purchase, not more than 90 days "
            "after it (FB-3), not in the future."
        ),
    )

    def to_data(self) -> services.FeedbackInput:
        data = dict(self.validated_data)
        data["external_id"] = data.pop("feedback_id")
        return services.FeedbackInput(**data)


class FeedbackBatchInput(BatchInput):
    feedback = FeedbackInput(many=True, allow_empty=False, max_length=500)


# ---- seller-scoped --------------------------------------------------------------------------


class FeedbackArea:
    permission_classes = [HasAreaAccess]
    area = Area.FEEDBACK


@extend_schema(tags=["Feedback"], summary="List the seller's feedback (FB-8)")
class FeedbackListApi(FeedbackArea, generics.ListAPIView):
    serializer_class = FeedbackSerializer
    filterset_class = FeedbackFilter
    ordering = "-left_at"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Feedback.objects.none()
        return selectors.feedback_of_seller(seller_id=self.request.user.seller_id).only(
            *FeedbackSerializer.columns
        )


@extend_schema(
    tags=["Feedback"],
    summary="Feedback figures for 30, 90, 365 days and lifetime in one marketplace (FB-8, FB-10)",
    parameters=[OpenApiParameter("marketplace", str, required=True, description="e.g. FR")],
    responses={200: SummarySerializer, **ERROR_RESPONSES},
)
class FeedbackSummaryApi(FeedbackArea, APIView):
    def get(self, request):
        marketplace = required_marketplace(
            seller_id=request.user.seller_id, code=request.query_params.get("marketplace")
        )
        summary = selectors.feedback_summary(
            seller_id=request.user.seller_id, marketplace_id=marketplace.pk
        )
        return Response(SummarySerializer({"marketplace_id": marketplace.code, **summary}).data)


@extend_schema(tags=["Feedback"], summary="Get one feedback")
class FeedbackDetailApi(FeedbackArea, APIView):
    @extend_schema(responses={200: FeedbackSerializer, **ERROR_RESPONSES})
    def get(self, request, pk: int):
        feedback = selectors.feedback_detail(seller_id=request.user.seller_id, feedback_id=pk)
        if feedback is None:
            raise NotFound(_("No such feedback."))
        return Response(FeedbackSerializer(feedback).data)


@extend_schema(tags=["Feedback"])
class FeedbackReplyApi(FeedbackArea, APIView):
    @extend_schema(
        summary="Post the public reply (FB-6: one, not editable)",
        description=(
            "409 `Conflict` when the feedback has a reply; 422 `ReplyDeleted` when its reply "
            "was deleted (none can be posted again), `CommunicationGuidelines` when the text "
            "tries to influence feedback or reviews (RV-7)."
        ),
        request=ReplyInput,
        responses={201: ReplySerializer, **ERROR_RESPONSES},
    )
    def post(self, request, pk: int):
        data = ReplyInput(data=request.data)
        data.is_valid(raise_exception=True)
        reply = services.reply_to_feedback(
            user=request.user, feedback_id=pk, text=data.validated_data["text"]
        )
        return Response(ReplySerializer(reply).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Delete the public reply (FB-6: it can never be posted again)",
        responses={204: None, **ERROR_RESPONSES},
    )
    def delete(self, request, pk: int):
        services.delete_feedback_reply(user=request.user, feedback_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    tags=["Feedback"],
    summary="Request removal of a feedback (FB-7)",
    description=(
        "Clear cases are decided at once (contact details, listed abusive words, fulfilment "
        "complaints on marketplace-fulfilled orders, product-only comments); the others wait "
        "for marketplace staff: `status` is `pending` until then. 422 `GroundAlreadyUsed` for a "
        "ground already used on this feedback, `GroundNotApplicable` for one that can never "
        "apply to it (positive feedback, no comment, a fulfilment complaint on an order the "
        "seller fulfilled)."
    ),
    request=RemovalInput,
    responses={201: RemovalRequestSerializer, **ERROR_RESPONSES},
)
class FeedbackRemovalApi(FeedbackArea, APIView):
    def post(self, request, pk: int):
        data = RemovalInput(data=request.data)
        data.is_valid(raise_exception=True)
        removal = services.request_feedback_removal(
            user=request.user, feedback_id=pk, **data.validated_data
        )
        return Response(RemovalRequestSerializer(removal).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["Solicitations"])
class SolicitationActionsApi(FeedbackArea, APIView):
    @extend_schema(
        summary="The solicitation actions available for an order (FB-11)",
        responses={200: SolicitationActionsSerializer, **ERROR_RESPONSES},
    )
    def get(self, request, pk: int):
        actions, reason = services.solicitation_actions(user=request.user, order_id=pk)
        return Response(
            {
                "actions": actions,
                "reason_code": reason,
                "reason": services.SkipReason.label(reason) if reason else None,
            }
        )


@extend_schema(
    tags=["Solicitations"],
    summary="Send the productReviewAndSellerFeedback request for an order (FB-11)",
    request=None,
    responses={201: None, **ERROR_RESPONSES},
)
class SolicitationCreateApi(FeedbackArea, APIView):
    def post(self, request, pk: int):
        services.request_review(user=request.user, order_id=pk)
        return Response(status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["Solicitations"],
    summary="Request reviews for every eligible order of a date range (FB-11)",
    description=(
        "Sends the productReviewAndSellerFeedback request to every order of the purchase-date "
        "range that may get one now, and reports how many were sent and, by reason, why the "
        "others were not. With `dryRun: true` nothing is sent: the same report says what would "
        "be sent (UX-4); the send checks everything again. 400 `InvalidInput` when `purchasedTo` "
        "is before `purchasedFrom` or the range is longer than "
        f"{rules.BULK_REQUEST_MAX_DAYS} days."
    ),
    request=BulkSolicitationInput,
    responses={200: BulkReportSerializer, **ERROR_RESPONSES},
)
class BulkSolicitationApi(FeedbackArea, APIView):
    def post(self, request):
        data = BulkSolicitationInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        action = (
            services.plan_review_requests_in_bulk
            if values["dry_run"]
            else services.request_reviews_in_bulk
        )
        report = action(
            user=request.user,
            purchased_from=values["purchased_from"],
            purchased_to=values["purchased_to"],
            marketplace_code=values.get("marketplace_id"),
        )
        return Response(
            BulkReportSerializer(
                {
                    "dry_run": report.dry_run,
                    "eligible": report.eligible,
                    "sent": report.sent,
                    "skipped": report.skipped,
                }
            ).data
        )


# ---- marketplace-scoped (the buyer, through the storefront) ---------------------------------


@extend_schema(
    tags=["Ingestion (marketplace)"],
    summary="A buyer leaves feedback on an order (FB-1 … FB-3)",
    description=(
        "201 when stored, 200 when this feedback was already stored (idempotent: the same "
        "feedback sent again answers the stored one; without `leftAt` a resend keeps the stored "
        "date), 409 when the order already has other feedback or this feedbackId was stored with "
        "other content. 422 `RuleViolation` when `leftAt` is before the order's purchase, "
        "`FeedbackWindowClosed` when it is more than 90 days after the order date (FB-3, judged "
        "at `leftAt`, not at arrival); `details` names `leftAt`."
    ),
    request=FeedbackInput,
    responses={201: FeedbackSerializer, 200: FeedbackSerializer, **ERROR_RESPONSES},
)
class LeaveFeedbackApi(StorefrontApi):
    def post(self, request):
        data = FeedbackInput(data=request.data)
        data.is_valid(raise_exception=True)
        feedback, created = services.leave_feedback(
            marketplace=request.user.marketplace, data=data.to_data()
        )
        feedback = selectors.feedback_detail(seller_id=feedback.seller_id, feedback_id=feedback.pk)
        return Response(
            FeedbackSerializer(feedback).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@extend_schema(
    tags=["Ingestion (marketplace)"],
    summary="A batch of buyer feedback, all or nothing, idempotent on feedbackId",
    description=(
        "Each row as `POST /marketplace/feedback`, with its own `leftAt`. With any row refused, "
        "nothing is stored: 422 with every refused row, each with its code (`NotFound`, "
        "`Conflict`, `RuleViolation`, `FeedbackWindowClosed`) and path (`feedback[3].leftAt`)."
    ),
    request=FeedbackBatchInput,
    responses={200: None, **ERROR_RESPONSES},
)
class FeedbackBatchApi(StorefrontApi):
    def post(self, request):
        data = FeedbackBatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        rows = [
            services.FeedbackInput(external_id=row.pop("feedback_id"), **row)
            for row in data.validated_data["feedback"]
        ]
        result = services.leave_feedback_batch(marketplace=request.user.marketplace, rows=rows)
        return Response({"payload": result})


@extend_schema(
    tags=["Ingestion (marketplace)"],
    summary="The buyer removes their feedback (FB-5: within 60 days of leaving it)",
    request=None,
    responses={204: None, **ERROR_RESPONSES},
)
class BuyerRemovesFeedbackApi(StorefrontApi):
    def delete(self, request, feedback_id: str):
        services.remove_feedback_as_buyer(
            marketplace=request.user.marketplace, external_id=feedback_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
