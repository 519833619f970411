"""Reads of buyer–seller messaging, scoped to one seller account (AC-1)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sellercx.errors import NotFound
from sellercx.models import Marketplace, Order, OrderLine

from .models import Conversation, CustomerServiceRating, Message

# MS-4, MS-5: a buyer expects an answer within 24 hours; past that, the wait is late.
REPLY_WITHIN = timedelta(hours=24)


def inbox(
    *, seller_id: int, marketplace_code: str | None = None, now: datetime | None = None
) -> QuerySet[Conversation]:
    """MS-4: the conversations of the account (of one marketplace when ``marketplace_code`` is
    given), those awaiting a reply first — the longest waiting first — then the others, the
    most recent first; ``is_late`` when the wait passed 24 hours.

    A conversation awaits a reply from its oldest buyer message that has no seller message
    after it and is not marked "no response needed" (``waiting_since``, kept by triggers,
    migration 0010), as MS-5's response times count them (UX-6). One query on indexed columns:
    no aggregate over the account's messages per page view.
    """
    late_before = (now or timezone.now()) - REPLY_WITHIN
    conversations = Conversation.objects.filter(seller_id=seller_id)
    if marketplace_code:
        # By id through a subquery, so the (seller, marketplace, waiting_since, ...) index
        # serves the filter and the order at once.
        conversations = conversations.filter(
            marketplace_id=Subquery(
                Marketplace.objects.filter(code=marketplace_code).values("pk")[:1]
            )
        )
    return (
        conversations.select_related("buyer", "order", "marketplace")
        .annotate(
            awaiting=F("awaiting_reply"),
            unread=F("unread_count"),
            is_late=Case(
                When(waiting_since__lt=late_before, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by(F("waiting_since").asc(nulls_last=True), "-last_message_at", "-id")
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


def buyer_contact_state(*, seller_id: int, order: Order) -> dict:
    """UX-5, FB-11: whether the seller may "Contact the buyer" of ``order`` (a proactive
    message, the order's one non-critical contact), in two queries whatever the order holds.

    ``allowed``; ``reason`` (translated) and ``code`` when not; ``conversation``: the one to
    write in or to open, if any. Not allowed when the buyer already wrote about the order (the
    seller replies in that conversation: a reply is not an unsolicited contact), when a
    proactive message was already sent, or when a review request was (FB-11: they exclude each
    other). ``messaging.services.contact_buyer`` applies the same reading under the order's lock.
    """
    from feedback.models import Solicitation

    if order.seller_id != seller_id:
        raise NotFound(_("No such order."))
    conversations = list(
        Conversation.objects.filter(seller_id=seller_id, order_id=order.pk)
        .annotate(
            buyer_wrote=Exists(
                Message.objects.filter(
                    conversation=OuterRef("pk"), direction=Message.Direction.BUYER
                )
            ),
            proactive_sent=Exists(
                Message.objects.filter(conversation=OuterRef("pk"), proactive=True)
            ),
        )
        .order_by("created_at", "id")
    )
    solicited = Solicitation.objects.filter(order_id=order.pk).exists()

    def refused(code: str, reason: str, conversation: Conversation | None) -> dict:
        return {"allowed": False, "code": code, "reason": reason, "conversation": conversation}

    written = next((c for c in conversations if c.buyer_wrote), None)
    if written is not None:
        return refused(
            "ReplyInConversation",
            gettext(
                "The buyer already wrote to you about this order: answer them in the conversation."
            ),
            written,
        )
    contacted = next((c for c in conversations if c.proactive_sent), None)
    if contacted is not None:
        return refused(
            "OneContactPerOrder",
            gettext(
                "You already sent the buyer a message about this order: one unsolicited "
                "contact per order."
            ),
            contacted,
        )
    if solicited:
        return refused(
            "OneContactPerOrder",
            gettext(
                "A review request was already sent for this order: a proactive message "
                "would be a second unsolicited contact."
            ),
            conversations[0] if conversations else None,
        )
    return {
        "allowed": True,
        "code": None,
        "reason": None,
        "conversation": conversations[0] if conversations else None,
    }


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
    """CS-9: the weekly values, oldest first, for the trend chart. One query.

    UX-7, CS-5: a week with fewer answers than the minimum has no rating to show, so its
    ``value`` is ``None`` (a gap in the chart, never a point drawn as if valid) and ``shown``
    is false; its ``answers`` say why.
    """
    from .policies import CS_MIN_ANSWERS

    minimum = int(CS_MIN_ANSWERS.value())
    rows = CustomerServiceRating.objects.filter(
        seller_id=seller_id, marketplace_id=marketplace_id
    ).order_by("-week_start")[:weeks]
    return [
        {
            "week": r.week_start.isoformat(),
            "value": float(r.value) if r.answers >= minimum else None,
            "answers": r.answers,
            "shown": r.answers >= minimum,
        }
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
           (b.first_reply_at IS NOT NULL OR b.sent_at < %(now)s - interval '24 hours') AS due
    FROM messaging_message b
    WHERE b.seller_id = %(seller)s AND b.marketplace_id = %(marketplace)s
      AND b.direction = 'buyer' AND b.no_response_needed_at IS NULL
      AND b.sent_at >= %(now)s - make_interval(days => %(days)s)
) buyer_messages
"""


def response_times(
    *, seller_id: int, marketplace_id: int, now: datetime | None = None
) -> list[dict]:
    """MS-5: over 7, 30 and 90 days, the share of buyer messages answered within 24 hours, the
    number answered late (or not at all past 24 hours) and the average response time.

    A response is the first seller message after the buyer's in the conversation (kept on the
    buyer message as ``first_reply_at``), so proactive messages never count; messages marked
    "no response needed" stop counting; a message under
    24 hours old without a reply is not due yet. One query per period, three in all.

    A buyer message late here is one the inbox shows waiting past 24 hours (UX-6): both read
    the same reply (no seller message after it) and the same mark.
    """
    from django.db import connection

    from .policies import RESPONSE_TIME_TARGET

    target = RESPONSE_TIME_TARGET.value()
    now = now or timezone.now()
    result = []
    with connection.cursor() as cursor:
        for days in (7, 30, 90):
            cursor.execute(
                RESPONSE_TIME_SQL,
                {"days": days, "seller": seller_id, "marketplace": marketplace_id, "now": now},
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
