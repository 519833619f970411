"""Reads of buyer–seller messaging, scoped to one seller account (AC-1)."""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from sellercx.models import OrderLine

from .models import Conversation, Message


def inbox(*, seller_id: int) -> QuerySet[Conversation]:
    """MS-4: conversations with what the inbox shows, awaiting a reply first (a conversation
    awaits one when its last message is the buyer's), in one query."""
    last = Message.objects.filter(conversation=OuterRef("pk")).order_by("-sent_at", "-id")
    return (
        Conversation.objects.filter(seller_id=seller_id)
        .select_related("buyer", "order", "marketplace")
        .annotate(
            last_direction=Subquery(last.values("direction")[:1]),
            last_body=Subquery(last.values("body")[:1]),
            last_buyer_at=Max("messages__sent_at", filter=Q(messages__direction="buyer")),
            unread=Count(
                "messages", filter=Q(messages__direction="buyer", messages__read_at__isnull=True)
            ),
        )
        .annotate(
            awaiting=ExpressionWrapper(Q(last_direction="buyer"), output_field=BooleanField())
        )
        .order_by("-awaiting", "-last_message_at", "-id")
    )


def conversation_detail(*, seller_id: int, conversation_id: int) -> Conversation | None:
    """One conversation with its messages and the order beside it (MS-4)."""
    return (
        Conversation.objects.filter(seller_id=seller_id, pk=conversation_id)
        .select_related("buyer", "marketplace", "order", "contact__review__product")
        .prefetch_related(
            Prefetch("messages", Message.objects.select_related("author", "survey")),
            Prefetch("order__lines", OrderLine.objects.select_related("offer__product")),
        )
        .annotate(has_messages=Exists(Message.objects.filter(conversation=OuterRef("pk"))))
        .first()
    )
