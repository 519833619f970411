"""Product reviews on the REST API: the brand's reviews with their RV-4 eligibility
(seller-scoped), contacting a customer, and the storefront's review ingestion."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sellercx.api.fields import InstantField
from sellercx.api.inputs import BatchInput, InputSerializer
from sellercx.api.permissions import HasAreaAccess
from sellercx.api.views import ERROR_RESPONSES, StorefrontApi
from sellercx.models import SellerAccount
from sellercx.permissions import Area

from . import selectors, services
from .eligibility import contact_eligibility
from .filters import ReviewFilter
from .models import CustomerContact, Review


class EligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    reason_code = serializers.CharField(source="reason", allow_null=True)
    message = serializers.CharField()


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = CustomerContact
        fields = ["id", "reason", "created_at", "email_status", "email_sent_at", "language"]


class ReviewSerializer(serializers.ModelSerializer):
    marketplace_id = serializers.CharField(source="marketplace.code")
    asin = serializers.CharField(source="product.asin")
    product_title = serializers.CharField(source="product.title")
    brand = serializers.CharField(source="brand.name", allow_null=True, default=None)
    verified_purchase = serializers.BooleanField(source="is_verified_purchase")
    eligibility = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = [
            "id",
            "marketplace_id",
            "asin",
            "product_title",
            "brand",
            "rating",
            "title",
            "text",
            "verified_purchase",
            "posted_at",
            "edited_at",
            "eligibility",
            "contact",
        ]

    @extend_schema_field(EligibilitySerializer)
    def get_eligibility(self, review) -> dict:
        context = self.context["eligibility"]
        result = contact_eligibility(review=review, now=timezone.now(), **context)
        return EligibilitySerializer(result).data

    @extend_schema_field(ContactSerializer(allow_null=True))
    def get_contact(self, review) -> dict | None:
        contact = getattr(review, "contact", None)
        return ContactSerializer(contact).data if contact else None


class ReviewsArea:
    permission_classes = [HasAreaAccess]
    area = Area.REVIEWS

    def eligibility_context(self) -> dict:
        seller_id = self.request.user.seller_id
        return {
            "account": SellerAccount.objects.get(pk=seller_id),
            "represented_brand_ids": set(selectors.represented_brand_ids(seller_id=seller_id)),
        }


@extend_schema(tags=["Customer reviews"], summary="Reviews of the brands you represent (RV-3)")
class ReviewListApi(ReviewsArea, generics.ListAPIView):
    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter
    ordering = ("-posted_at", "-id")  # the id orders reviews of the same instant: a stable cursor

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Review.objects.none()
        return selectors.reviews_for_brand_dashboard(seller_id=self.request.user.seller_id)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["eligibility"] = self.eligibility_context()
        return context

    def paginate_queryset(self, queryset):
        """The page's keys first (sorted on the covering index, with the fields a nextToken
        is made of), then its reviews in that order (#8)."""
        keys = super().paginate_queryset(queryset.values("id", "posted_at", "rating"))
        if keys is None:
            return None
        return selectors.reviews_in_order(
            seller_id=self.request.user.seller_id, ids=[key["id"] for key in keys]
        )


class CustomerContactInput(InputSerializer):
    reason = serializers.ChoiceField(choices=CustomerContact.Reason.choices)


@extend_schema(
    tags=["Customer reviews"],
    summary="Contact the customer of a review (RV-4, RV-5)",
    description=_(
        "courtesy_refund: a fixed e-mail offering a full refund of the order line, and a refund "
        "pending the buyer's acceptance. customer_service: a fixed e-mail asking permission to "
        "talk through buyer-seller messaging. One contact per review; 422 with the reason when "
        "the review is not eligible."
    ),
    request=CustomerContactInput,
    responses={201: ContactSerializer, **ERROR_RESPONSES},
)
class ContactCustomerApi(ReviewsArea, APIView):
    def post(self, request, pk: int):
        data = CustomerContactInput(data=request.data)
        data.is_valid(raise_exception=True)
        contact = services.contact_customer(
            user=request.user, review_id=pk, reason=data.validated_data["reason"]
        )
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)


class ReviewInput(InputSerializer):
    review_id = serializers.CharField(max_length=64)
    asin = serializers.RegexField(r"^[A-Z0-9]{10}$")
    buyer_id = serializers.CharField(max_length=64)
    rating = serializers.IntegerField(min_value=1, max_value=5)
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(max_length=20000)
    date = InstantField(required=False)


class ReviewBatchInput(BatchInput):
    reviews = ReviewInput(many=True, allow_empty=False, max_length=500)


@extend_schema(
    tags=["Ingestion (marketplace)"],
    summary="A batch of new or edited product reviews (RV-1, RV-2)",
    description=_(
        "Idempotent on reviewId; a changed review is an edit and its earlier version is kept. "
        "The verified-purchase flag is computed from the buyer's orders. All or nothing."
    ),
    request=ReviewBatchInput,
    responses={200: None, **ERROR_RESPONSES},
)
class ReviewBatchApi(StorefrontApi):
    def post(self, request):
        data = ReviewBatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        rows = [
            services.ReviewInput(
                external_id=row["review_id"],
                asin=row["asin"],
                buyer_id=row["buyer_id"],
                rating=row["rating"],
                title=row["title"],
                text=row["text"],
                posted_at=row.get("date"),
            )
            for row in data.validated_data["reviews"]
        ]
        result = services.ingest_reviews(marketplace=request.user.marketplace, rows=rows)
        return Response({"payload": result})
