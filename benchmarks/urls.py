"""The product's URLs plus the bare views the throughput scenario compares the API with: the
same query and the same JSON, written with nothing but Django (no DRF, no serializers)."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.urls import path

from feedback.models import Feedback, RemovalRequest
from sellercx.models import ApiToken, Order, hash_token
from sellercx.selectors import line_count
from sellercx.urls import urlpatterns as product_urlpatterns

PAGE = 20


def _seller_id(request) -> int | None:
    header = request.headers.get("Authorization", "")
    raw = header.removeprefix("Bearer ").strip()
    row = (
        ApiToken.objects.filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .values_list("user__seller_id", flat=True)
        .first()
    )
    return row


def _iso(moment) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def bare_orders(request):
    seller_id = _seller_id(request)
    if seller_id is None:
        return HttpResponse(status=401)
    rows = (
        Order.objects.filter(seller_id=seller_id)
        .annotate(item_count=line_count())
        .order_by("-purchased_at", "-id")
        .values(
            "id", "external_id", "marketplace__code", "buyer__alias", "status",
            "fulfilment_channel", "purchased_at", "promised_delivery_at", "delivered_at",
            "fully_delivered_at", "item_count", "total", "marketplace__currency",
        )[: PAGE + 1]
    )  # fmt: skip
    payload = [
        {
            "id": r["id"],
            "orderId": r["external_id"],
            "marketplaceId": r["marketplace__code"],
            "buyer": r["buyer__alias"],
            "status": r["status"],
            "fulfilmentChannel": r["fulfilment_channel"],
            "purchaseDate": _iso(r["purchased_at"]),
            "promisedDeliveryAt": _iso(r["promised_delivery_at"]),
            "deliveredAt": _iso(r["delivered_at"]),
            "fullyDeliveredAt": _iso(r["fully_delivered_at"]),
            "itemCount": r["item_count"],
            "total": {"amount": str(r["total"]), "currencyCode": r["marketplace__currency"]},
        }
        for r in rows[:PAGE]
    ]
    more = "next" if len(rows) > PAGE else None
    return JsonResponse({"payload": payload, "pagination": {"nextToken": more}})


def _kind(rating: int) -> str:
    return "negative" if rating <= 2 else "neutral" if rating == 3 else "positive"


def bare_feedback(request):
    seller_id = _seller_id(request)
    if seller_id is None:
        return HttpResponse(status=401)
    rows = list(
        Feedback.objects.filter(seller_id=seller_id)
        .order_by("-left_at", "-id")
        .values(
            "id", "order__external_id", "marketplace__code", "buyer__alias", "rating", "comment",
            "arrived_on_time", "item_as_described", "prompt_service", "left_at", "removed_at",
            "removed_by", "struck_through_at", "reply__text", "reply__created_at",
            "reply__deleted_at",
        )[: PAGE + 1]
    )  # fmt: skip
    removals: dict[int, list] = {}
    for r in RemovalRequest.objects.filter(feedback__in=[r["id"] for r in rows[:PAGE]]).values(
        "feedback_id", "id", "ground", "note", "status", "requested_at", "decided_at",
        "automatic", "decision_reason",
    ).order_by("-requested_at"):  # fmt: skip
        removals.setdefault(r["feedback_id"], []).append(
            {
                "id": r["id"],
                "ground": r["ground"],
                "note": r["note"],
                "status": r["status"],
                "requestedAt": _iso(r["requested_at"]),
                "decidedAt": _iso(r["decided_at"]),
                "decidedAutomatically": r["automatic"],
                "decisionReason": r["decision_reason"],
            }
        )
    payload = [
        {
            "id": r["id"],
            "orderId": r["order__external_id"],
            "marketplaceId": r["marketplace__code"],
            "buyer": r["buyer__alias"],
            "rating": r["rating"],
            "kind": _kind(r["rating"]),
            "comment": r["comment"],
            "arrivedOnTime": r["arrived_on_time"],
            "itemAsDescribed": r["item_as_described"],
            "promptService": r["prompt_service"],
            "leftAt": _iso(r["left_at"]),
            "removedAt": _iso(r["removed_at"]),
            "removedBy": r["removed_by"],
            "struckThroughAt": _iso(r["struck_through_at"]),
            "counts": r["removed_at"] is None and r["struck_through_at"] is None,
            "reply": (
                {"text": r["reply__text"], "postedAt": _iso(r["reply__created_at"])}
                if r["reply__text"] is not None and r["reply__deleted_at"] is None
                else None
            ),
            "removalRequests": removals.get(r["id"], []),
        }
        for r in rows[:PAGE]
    ]
    more = "next" if len(rows) > PAGE else None
    return JsonResponse({"payload": payload, "pagination": {"nextToken": more}})


urlpatterns = [
    path("bench/bare/orders", bare_orders),
    path("bench/bare/feedback", bare_feedback),
    *product_urlpatterns,
]
