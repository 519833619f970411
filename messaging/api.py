"""Messaging on the REST API: the seller's conversations (seller-scoped) and the storefront's
buyer messages (marketplace-scoped)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from sellercx.api.fields import InstantField
from sellercx.api.inputs import BatchInput, InputSerializer
from sellercx.api.permissions import HasAreaAccess, IsMarketplaceIntegration
from sellercx.api.views import ERROR_RESPONSES, StorefrontApi
from sellercx.errors import NotFound
from sellercx.permissions import Area

from . import selectors, services
from .models import Conversation, Message


class MessageSerializer(serializers.ModelSerializer):
    survey_id = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = [
            "id",
            "direction",
            "body",
            "attachments",
            "sent_at",
            "read_at",
            "no_response_needed_at",
            "survey_id",
        ]

    def get_survey_id(self, message) -> int | None:
        survey = getattr(message, "survey", None)
        return survey.pk if survey else None


class ConversationSerializer(serializers.ModelSerializer):
    marketplace_id = serializers.CharField(source="marketplace.code")
    buyer = serializers.CharField(source="buyer.alias")
    order_id = serializers.CharField(source="order.external_id", allow_null=True, default=None)
    awaiting_reply = serializers.BooleanField(
        source="awaiting",
        help_text=_(
            "MS-4: a buyer message has no seller message after it and is not marked "
            "“no response needed”"
        ),
    )
    waiting_since = serializers.DateTimeField(
        allow_null=True,
        help_text=_("The oldest buyer message awaiting a reply; null when none does"),
    )
    late = serializers.BooleanField(
        source="is_late", help_text=_("MS-4: awaiting a reply for more than 24 hours")
    )
    unread = serializers.IntegerField()
    last_message = serializers.CharField(source="last_body")

    class Meta:
        model = Conversation
        fields = [
            "id",
            "marketplace_id",
            "buyer",
            "order_id",
            "subject",
            "created_at",
            "last_message_at",
            "awaiting_reply",
            "waiting_since",
            "late",
            "unread",
            "last_message",
        ]


class SentMessageSerializer(MessageSerializer):
    conversation_id = serializers.IntegerField()
    proactive = serializers.BooleanField()

    class Meta(MessageSerializer.Meta):
        fields = ["conversation_id", *MessageSerializer.Meta.fields, "proactive"]


class ConversationDetailSerializer(serializers.ModelSerializer):
    marketplace_id = serializers.CharField(source="marketplace.code")
    buyer = serializers.CharField(source="buyer.alias")
    order_id = serializers.CharField(source="order.external_id", allow_null=True, default=None)
    messages = MessageSerializer(many=True)

    class Meta:
        model = Conversation
        fields = ["id", "marketplace_id", "buyer", "order_id", "subject", "created_at", "messages"]


class MessagesArea:
    permission_classes = [HasAreaAccess]
    area = Area.MESSAGES


@extend_schema(
    tags=["Messages"],
    summary="The seller's conversations, most recent first (awaitingReply marks those to answer)",
    description=_(
        "awaitingReply, waitingSince and late are the inbox's (MS-4), from the same columns: a "
        "buyer message marked “no response needed” or followed by a seller message awaits "
        "nothing (UX-6)."
    ),
)
class ConversationListApi(MessagesArea, generics.ListAPIView):
    serializer_class = ConversationSerializer
    ordering = ("-last_message_at",)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Conversation.objects.none()
        return selectors.inbox(seller_id=self.request.user.seller_id)


@extend_schema(
    tags=["Messages"],
    summary="One conversation with its messages",
    responses={200: ConversationDetailSerializer, **ERROR_RESPONSES},
)
class ConversationDetailApi(MessagesArea, APIView):
    def get(self, request, pk: int):
        conversation = selectors.conversation_detail(
            seller_id=request.user.seller_id, conversation_id=pk
        )
        if conversation is None:
            raise NotFound(_("No such conversation."))
        return Response(ConversationDetailSerializer(conversation).data)


class AttachmentInput(InputSerializer):
    name = serializers.CharField(max_length=200)
    content_type = serializers.CharField(max_length=100)
    size = serializers.IntegerField(min_value=0)


class BuyerMessageInput(InputSerializer):
    message_id = serializers.CharField(max_length=64)
    seller_id = serializers.IntegerField(min_value=1)
    buyer_id = serializers.CharField(max_length=64)
    order_id = serializers.CharField(max_length=64, required=False)
    contact_id = serializers.IntegerField(
        min_value=1, required=False, help_text=_("RV-6: the brand contact this message answers")
    )
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    body = serializers.CharField(max_length=20000)
    sent_at = InstantField(
        required=False,
        help_text=_(
            "When the buyer sent it (default: now). Not before the order's purchase, nor before "
            "the contact it answers (API-8)."
        ),
    )
    attachments = AttachmentInput(many=True, required=False, max_length=20)


class BuyerMessageBatchInput(BatchInput):
    messages = BuyerMessageInput(many=True, allow_empty=False, max_length=500)


@extend_schema(
    tags=["Ingestion (marketplace)"],
    summary="A batch of buyer messages (MS-1, RV-6), idempotent on messageId",
    description=_(
        "All or nothing: with any bad row nothing is stored and every bad row is reported with "
        "its path. 422 `RuleViolation` when every refused row is a time out of order (API-8): "
        "`sentAt` before the order's purchase or before the brand's contact it answers."
    ),
    request=BuyerMessageBatchInput,
    responses={200: None, **ERROR_RESPONSES},
)
class BuyerMessageBatchApi(StorefrontApi):
    def post(self, request):
        data = BuyerMessageBatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        rows = [
            services.BuyerMessageInput(
                external_id=row["message_id"],
                seller_id=row["seller_id"],
                buyer_id=row["buyer_id"],
                body=row["body"],
                order_id=row.get("order_id"),
                contact_id=row.get("contact_id"),
                subject=row.get("subject", ""),
                sent_at=row.get("sent_at"),
                attachments=[dict(a) for a in row.get("attachments", [])],
            )
            for row in data.validated_data["messages"]
        ]
        result = services.ingest_buyer_messages(marketplace=request.user.marketplace, rows=rows)
        return Response({"payload": result})


class SellerMessageInput(InputSerializer):
    body = serializers.CharField(max_length=20000)


@extend_schema(
    tags=["Messages"],
    summary="Write in a conversation (MS-2: a reply to a buyer carries the survey)",
    description=_(
        "422 with code CommunicationGuidelines when the text tries to influence reviews (RV-7)."
    ),
    request=SellerMessageInput,
    responses={201: MessageSerializer, **ERROR_RESPONSES},
)
class ReplyApi(MessagesArea, APIView):
    def post(self, request, pk: int):
        data = SellerMessageInput(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.reply_to_conversation(
            user=request.user, conversation_id=pk, body=data.validated_data["body"]
        )
        return Response(MessageSerializer(message).data, status=201)


@extend_schema(
    tags=["Messages"],
    summary='Mark a buyer message "no response needed" (MS-5)',
    description=_(
        "It stops counting in the response times and no longer keeps its conversation awaiting "
        "a reply. Idempotent; 422 with code AlreadyAnswered for a message the seller already "
        "answered (it counts with its answer)."
    ),
    request=None,
    responses={200: MessageSerializer, **ERROR_RESPONSES},
)
class NoResponseNeededApi(MessagesArea, APIView):
    def post(self, request, pk: int):
        message = services.mark_no_response_needed(user=request.user, message_id=pk)
        return Response(MessageSerializer(message).data)


class BuyerContactSerializer(serializers.Serializer):
    allowed = serializers.BooleanField()
    reason_code = serializers.CharField(
        source="code", allow_null=True, help_text=_("ReplyInConversation or OneContactPerOrder")
    )
    reason = serializers.CharField(allow_null=True)
    conversation_id = serializers.IntegerField(
        source="conversation.pk", allow_null=True, default=None
    )


class ContactBuyerInput(InputSerializer):
    subject = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Needed when the order has no conversation yet; else ignored"),
    )
    body = serializers.CharField(max_length=20000)


@extend_schema(tags=["Messages"])
class OrderMessagesApi(MessagesArea, APIView):
    """UX-5, FB-11: "Contact the buyer" of an order, as the Selling Partner API's Messaging
    API does it: the actions available for the order, then the message."""

    @extend_schema(
        summary="Whether the buyer of an order can be contacted (FB-11)",
        description=_(
            "allowed false, with the reason, when the buyer already wrote about the order "
            "(ReplyInConversation: reply in conversationId) or when the order's one non-critical "
            "contact was used (OneContactPerOrder: a proactive message or a review request)."
        ),
        responses={200: BuyerContactSerializer, **ERROR_RESPONSES},
    )
    def get(self, request, pk: int):
        from sellercx.selectors import orders_of_seller

        order = orders_of_seller(seller_id=request.user.seller_id).filter(pk=pk).first()
        if order is None:
            raise NotFound(_("No such order."))
        state = selectors.buyer_contact_state(seller_id=request.user.seller_id, order=order)
        return Response(BuyerContactSerializer(state).data)

    @extend_schema(
        summary="Send the buyer of an order a proactive message (FB-11, MS-2)",
        description=_(
            "The order's one non-critical contact, in its conversation with the buyer (created "
            "with the subject when there is none); no survey. 422 with code OneContactPerOrder "
            "after a proactive message or a review request, ReplyInConversation when the buyer "
            "already wrote (reply in that conversation instead), CommunicationGuidelines when "
            "the text tries to influence reviews (RV-7); 400 without a subject for a new "
            "conversation."
        ),
        request=ContactBuyerInput,
        responses={201: SentMessageSerializer, **ERROR_RESPONSES},
    )
    def post(self, request, pk: int):
        data = ContactBuyerInput(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.contact_buyer(
            user=request.user,
            order_id=pk,
            subject=data.validated_data["subject"],
            body=data.validated_data["body"],
        )
        return Response(SentMessageSerializer(message).data, status=201)


class SurveyAnswerInput(InputSerializer):
    answer_id = serializers.CharField(max_length=64)
    survey_id = serializers.IntegerField(min_value=1)
    answer = serializers.ChoiceField(choices=["yes", "no"])
    answered_at = InstantField(
        required=False,
        help_text=_(
            "When the buyer answered (default: now); not before the message that carried the "
            "survey (API-8)."
        ),
    )


class SurveyAnswerBatchInput(BatchInput):
    answers = SurveyAnswerInput(many=True, allow_empty=False, max_length=500)


@extend_schema(
    tags=["Ingestion (marketplace)"],
    summary='The buyers\' answers to "Did this resolve your issue?" (MS-3)',
    description=_(
        "Send only answers the buyer submitted explicitly (a POST from their page), never ones "
        "inferred from a followed link. Idempotent on answerId; 409 when a survey already has "
        "another answer; 422 `RuleViolation` when `answeredAt` precedes the message that carried "
        "the survey (API-8; `details`: `answers[3].answeredAt`). All or nothing."
    ),
    request=SurveyAnswerBatchInput,
    responses={200: None, **ERROR_RESPONSES},
)
class SurveyAnswerBatchApi(StorefrontApi):
    def post(self, request):
        data = SurveyAnswerBatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        rows = [
            services.SurveyAnswerInput(
                external_id=row["answer_id"],
                survey_id=row["survey_id"],
                answer=row["answer"],
                answered_at=row.get("answered_at"),
            )
            for row in data.validated_data["answers"]
        ]
        result = services.ingest_survey_answers(marketplace=request.user.marketplace, rows=rows)
        return Response({"payload": result})


class OutboxMessageSerializer(MessageSerializer):
    conversation_id = serializers.IntegerField()
    seller_id = serializers.IntegerField()
    buyer_id = serializers.CharField(source="conversation.buyer.external_id")

    class Meta(MessageSerializer.Meta):
        fields = ["conversation_id", "seller_id", "buyer_id", *MessageSerializer.Meta.fields]


@extend_schema(
    tags=["Ingestion (marketplace)"],
    summary="Seller messages to deliver to buyers, with their survey ids, oldest first",
)
class OutboxApi(generics.ListAPIView):
    """What the storefront shows buyers in their message centre (MS-2)."""

    permission_classes = [IsMarketplaceIntegration]
    serializer_class = OutboxMessageSerializer
    ordering = "id"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Message.objects.none()
        return Message.objects.filter(
            marketplace=self.request.user.marketplace, direction=Message.Direction.SELLER
        ).select_related("conversation__buyer", "survey")


class RatingWeekSerializer(serializers.Serializer):
    week = serializers.DateField()
    value = serializers.DecimalField(
        max_digits=3,
        decimal_places=1,
        allow_null=True,
        help_text=_("CS-5: null for a week with fewer answers than the minimum (not rated)"),
    )
    answers = serializers.IntegerField()
    shown = serializers.BooleanField(help_text=_("CS-5: the week had enough answers"))


class RatingSerializer(serializers.Serializer):
    marketplace_id = serializers.CharField()
    value = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)
    band = serializers.CharField(allow_null=True, help_text=_("CS-6 band key"))
    answers = serializers.IntegerField(allow_null=True)
    week_start = serializers.DateField(allow_null=True)
    is_fallback = serializers.BooleanField(help_text=_("CS-5: the last value with enough answers"))
    minimum_answers = serializers.IntegerField()
    history = RatingWeekSerializer(many=True)


@extend_schema(
    tags=["Messages"],
    summary="The customer-service rating of a marketplace, with its weekly history (CS-1 … CS-9)",
    parameters=[OpenApiParameter("marketplace", str, required=True, description="e.g. FR")],
    responses={200: RatingSerializer, **ERROR_RESPONSES},
)
class RatingApi(MessagesArea, APIView):
    def get(self, request):
        from sellercx.selectors import required_marketplace

        marketplace = required_marketplace(
            seller_id=request.user.seller_id, code=request.query_params.get("marketplace")
        )
        code = marketplace.code
        rating = selectors.current_rating(
            seller_id=request.user.seller_id, marketplace_id=marketplace.pk
        )
        shown = rating["shown"]
        history = selectors.rating_history(
            seller_id=request.user.seller_id, marketplace_id=marketplace.pk
        )
        return Response(
            RatingSerializer(
                {
                    "marketplace_id": code,
                    "value": shown.value if shown else None,
                    "band": rating["band"]["key"] if shown else None,
                    "answers": shown.answers if shown else None,
                    "week_start": shown.week_start if shown else None,
                    "is_fallback": rating["is_fallback"],
                    "minimum_answers": rating["minimum"],
                    "history": history,
                }
            ).data
        )


class ResponseTimeSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    due = serializers.IntegerField(help_text=_("Buyer messages answered, or waiting over 24 h"))
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    average_hours = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    meets_target = serializers.BooleanField()
    target = serializers.DecimalField(max_digits=6, decimal_places=2)


@extend_schema(
    tags=["Messages"],
    summary="Contact response time over 7, 30 and 90 days (MS-5)",
    parameters=[OpenApiParameter("marketplace", str, required=True, description="e.g. FR")],
    responses={200: ResponseTimeSerializer(many=True), **ERROR_RESPONSES},
)
class ResponseTimeApi(MessagesArea, APIView):
    def get(self, request):
        from sellercx.selectors import required_marketplace

        marketplace = required_marketplace(
            seller_id=request.user.seller_id, code=request.query_params.get("marketplace")
        )
        figures = selectors.response_times(
            seller_id=request.user.seller_id, marketplace_id=marketplace.pk
        )
        return Response(ResponseTimeSerializer(figures, many=True).data)
