"""Reads of buyer–seller messaging, scoped to one seller account (AC-1)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from sellercx.models import OrderLine

from .models import Conversation, CustomerServiceRating, Message


def inbox(*, seller_id: int) -> QuerySet[Conversation]:
    """MS-4: conversations with what the inbox shows, awaiting a reply first (a conversation
    awaits one when its last message is the buyer's), in one query on indexed columns that
    triggers keep (migration 0005): no aggregate over the account's messages per page view."""
    return (
        Conversation.objects.filter(seller_id=seller_id)
        .select_related("buyer", "order", "marketplace")
        .annotate(
            awaiting=F("awaiting_reply"),
            last_buyer_at=F("last_buyer_message_at"),
            unread=F("unread_count"),
        )
        .order_by("-awaiting_reply", "-last_message_at", "-id")
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


BANDS = (  # CS-6: (lowest value, key, word, colour)
    (Decimal("8.0"), "keep_it_up", _("Keep it up"), "green"),
    (Decimal("6.0"), "needs_improvement", _("Needs improvement"), "yellow"),
    (Decimal("0"), "needs_attention", _("Needs attention"), "red"),
)


def rating_band(value: Decimal) -> dict:
    """CS-6: below 6.0 Needs attention (red), 6.0–7.9 Needs improvement (yellow), 8.0 and
    above Keep it up (green)."""
    for lowest, key, word, colour in BANDS:
        if value >= lowest:
            return {"key": key, "word": word, "colour": colour}
    raise ValueError(value)


def current_rating(*, seller_id: int, marketplace_id: int) -> dict:
    """CS-5: the latest weekly rating computed with enough answers, with its week; the latest
    one too when it had too few; ``None`` values when there never were enough. Two queries."""
    from .policies import CS_MIN_ANSWERS

    minimum = int(CS_MIN_ANSWERS.value())
    history = CustomerServiceRating.objects.filter(
        seller_id=seller_id, marketplace_id=marketplace_id
    ).order_by("-week_start")
    latest = history.first()
    shown = (
        latest
        if latest and latest.answers >= minimum
        else (history.filter(answers__gte=minimum).first())
    )
    return {
        "latest": latest,
        "shown": shown,
        "is_fallback": shown is not None and shown != latest,
        "band": rating_band(shown.value) if shown else None,
        "minimum": minimum,
    }


def rating_history(*, seller_id: int, marketplace_id: int, weeks: int = 26) -> list[dict]:
    """CS-9: the weekly values, oldest first, for the trend chart."""
    rows = CustomerServiceRating.objects.filter(
        seller_id=seller_id, marketplace_id=marketplace_id
    ).order_by("-week_start")[:weeks]
    return [
        {"week": r.week_start.isoformat(), "value": float(r.value), "answers": r.answers}
        for r in reversed(rows)
    ]


def no_answers(*, seller_id: int, marketplace_id: int, since, until, limit: int = 50):
    """The surveys answered "no" in the window, newest first, with their conversation: what
    went wrong (CS-1)."""
    from .models import Survey

    return (
        Survey.objects.filter(
            seller_id=seller_id,
            marketplace_id=marketplace_id,
            answer="no",
            answered_at__gte=since,
            answered_at__lt=until,
        )
        .select_related("conversation__buyer", "conversation__order", "message")
        .order_by("-answered_at")[:limit]
    )


RESPONSE_TIME_SQL = """
SELECT %(days)s AS days,
       count(*) FILTER (WHERE due) AS due,
       count(*) FILTER (WHERE due AND answered_at - sent_at <= interval '24 hours') AS on_time,
       count(*) FILTER (WHERE due AND (answered_at IS NULL
                                       OR answered_at - sent_at > interval '24 hours')) AS late,
       extract(epoch FROM avg(answered_at - sent_at)) AS average_seconds
FROM (
    SELECT b.sent_at, b.first_reply_at AS answered_at,
           (b.first_reply_at IS NOT NULL OR b.sent_at < now() - interval '24 hours') AS due
    FROM messaging_message b
    WHERE b.seller_id = %(seller)s AND b.marketplace_id = %(marketplace)s
      AND b.direction = 'buyer' AND b.no_response_needed_at IS NULL
      AND b.sent_at >= now() - make_interval(days => %(days)s)
) buyer_messages
"""


def response_times(*, seller_id: int, marketplace_id: int) -> list[dict]:
    """MS-5: over 7, 30 and 90 days, the share of buyer messages answered within 24 hours, the
    number answered late (or not at all past 24 hours) and the average response time.

    A response is the first seller message after the buyer's in the conversation (kept on the
    buyer message as ``first_reply_at``), so proactive messages never count; messages marked
    "no response needed" stop counting; a message under
    24 hours old without a reply is not due yet. One query per period, three in all.
    """
    from django.db import connection

    from .policies import RESPONSE_TIME_TARGET

    target = RESPONSE_TIME_TARGET.value()
    result = []
    with connection.cursor() as cursor:
        for days in (7, 30, 90):
            cursor.execute(
                RESPONSE_TIME_SQL,
                {"days": days, "seller": seller_id, "marketplace": marketplace_id},
            )
            _days, due, on_time, late, average = cursor.fetchone()
            share = round(Decimal(100 * on_time) / due, 1) if due else None
            result.append(
                {
                    "days": days,
                    "due": due,
                    "on_time": on_time,
                    "late": late,
                    "percent": share,
                    "average_hours": round(Decimal(average) / 3600, 1) if average else None,
                    "meets_target": share is not None and share >= target,
                    "target": target,
                }
            )
    return result
