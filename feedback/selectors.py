"""Reads of seller feedback, scoped to one seller account (AC-1)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.utils import timezone

from . import rules
from .checks import Ground
from .models import Feedback, FeedbackReply, RemovalRequest, counting
from .policies import NEGATIVE_RATE_WARNING, REMOVAL_REVIEW_DAYS

KINDS = {"positive": Q(rating__gte=4), "neutral": Q(rating=3), "negative": Q(rating__lte=2)}


def _period_key(days: int | None) -> str:
    return f"d{days}" if days else "lifetime"


def feedback_summary(*, seller_id: int, marketplace_id: int) -> dict:
    """FB-8, FB-10: for 30, 90 and 365 days and lifetime, in one marketplace, the count and
    share of positive, neutral and negative feedback and the average rating — one aggregate
    query for all periods. FB-9: the warning when the 90-day negative share is too high."""
    now = timezone.now()
    aggregates = {}
    for days in rules.SUMMARY_PERIODS:
        key = _period_key(days)
        in_period = Q(left_at__gte=now - timedelta(days=days)) if days else Q()
        aggregates[f"{key}_total"] = Count("id", filter=in_period)
        aggregates[f"{key}_average"] = Avg("rating", filter=in_period)
        for kind, condition in KINDS.items():
            aggregates[f"{key}_{kind}"] = Count("id", filter=in_period & condition)
    row = Feedback.objects.filter(
        counting(), seller_id=seller_id, marketplace_id=marketplace_id
    ).aggregate(**aggregates)
    periods = []
    for days in rules.SUMMARY_PERIODS:
        key = _period_key(days)
        total = row[f"{key}_total"]
        average = row[f"{key}_average"]
        periods.append(
            {
                "days": days,
                "total": total,
                "average": round(Decimal(average), 2) if average is not None else None,
                **{
                    kind: {
                        "count": row[f"{key}_{kind}"],
                        "percent": round(Decimal(100 * row[f"{key}_{kind}"]) / total, 1)
                        if total
                        else None,
                    }
                    for kind in KINDS
                },
            }
        )
    threshold = NEGATIVE_RATE_WARNING.value()
    negative_90 = periods[1]["negative"]["percent"]
    return {
        "periods": periods,
        "warning_threshold": threshold,
        "negative_rate_warning": negative_90 is not None and negative_90 > threshold,
    }


def feedback_of_seller(*, seller_id: int) -> QuerySet[Feedback]:
    """Every feedback of the account (removed ones too: they stay visible as removed), with
    the order, the buyer, the reply and the removal requests, in a fixed number of queries.
    (``has_pending_removal`` reads the prefetched requests.)"""
    return (
        Feedback.objects.filter(seller_id=seller_id)
        .select_related("order", "buyer", "marketplace", "reply")
        # to_attr: a plain list per feedback, not a related manager built for each row.
        .prefetch_related(
            Prefetch(
                "removals",
                RemovalRequest.objects.order_by("-requested_at"),
                to_attr="removal_list",
            )
        )
    )


def feedback_detail(*, seller_id: int, feedback_id: int) -> Feedback | None:
    return feedback_of_seller(seller_id=seller_id).filter(pk=feedback_id).first()


def removal_grounds(feedback: Feedback) -> list[str]:
    """FB-7: the grounds the seller may still ask the removal of this feedback on: those that
    could apply (``Feedback.removal_grounds_that_apply``) and were not used by an earlier
    request; none once it no longer counts or while a request is under review (one open
    request per feedback). Reads the prefetched requests: no query."""
    removals = feedback.removal_list
    if not feedback.counts or any(r.status == RemovalRequest.Status.PENDING for r in removals):
        return []
    used = {r.ground for r in removals}
    return [g for g in feedback.removal_grounds_that_apply if g not in used]


def with_seller_actions(feedbacks: Iterable[Feedback], *, now: datetime) -> None:
    """What the manager offers on each feedback, set on the rows of a page in one query (the
    review time): ``removal_choices``, the (ground, label) pairs of ``removal_grounds``; and on
    each request under review for more than 3 days (FB-7: overdue), ``expected_by``, the day
    the marketplace's review time ends, and ``late`` once that day is past."""
    review_days = int(REMOVAL_REVIEW_DAYS.value())
    overdue_since = rules.removal_overdue_since(now)
    today = rules.utc_day(now)
    for feedback in feedbacks:
        feedback.removal_choices = [(g, Ground(g).label) for g in removal_grounds(feedback)]
        for removal in feedback.removal_list:
            removal.overdue = (
                removal.status == RemovalRequest.Status.PENDING
                and removal.requested_at < overdue_since
            )
            if removal.overdue:
                removal.review_days = review_days
                removal.expected_by = rules.removal_decision_expected_by(
                    requested_at=removal.requested_at, review_days=review_days
                )
                removal.late = today > removal.expected_by


def removal_queue() -> QuerySet[RemovalRequest]:
    """Staff: pending requests, oldest first (FB-7)."""
    return (
        RemovalRequest.objects.filter(status=RemovalRequest.Status.PENDING)
        .select_related("feedback__order", "feedback__marketplace", "seller")
        .order_by("requested_at")
    )


def visible_reply(feedback: Feedback) -> FeedbackReply | None:
    reply = getattr(feedback, "reply", None)
    return reply if reply is not None and reply.deleted_at is None else None


def negative_rates_90_days(*, seller_id: int, marketplace_code: str | None = None) -> list[dict]:
    """FB-8, FB-9 on the dashboard home: per marketplace, the 90-day feedback count, average
    stars, positive count and negative share, one query."""
    since = timezone.now() - timedelta(days=90)
    rows = Feedback.objects.filter(counting(), seller_id=seller_id, left_at__gte=since)
    if marketplace_code:
        rows = rows.filter(marketplace__code=marketplace_code)
    threshold = NEGATIVE_RATE_WARNING.value()
    result = []
    # Not COUNT(id): the id is not in the covering (seller, marketplace, date) index, and every
    # column counted here is, so PostgreSQL counts from the index alone, one marketplace at a
    # time (#8). A rating <= 2 is never null: COUNT(rating) of those counts the same rows.
    for row in (
        rows.values("marketplace__code")
        .annotate(
            total=Count("*"),
            negative=Count("rating", filter=KINDS["negative"]),
            positive=Count("rating", filter=KINDS["positive"]),
            average=Avg("rating"),
        )
        .order_by("marketplace__code")
    ):
        percent = round(Decimal(100 * row["negative"]) / row["total"], 1)
        result.append(
            {
                "marketplace": row["marketplace__code"],
                "total": row["total"],
                "negative": row["negative"],
                "positive": row["positive"],
                "average": row["average"],
                "percent": percent,
                "warning": percent > threshold,
            }
        )
    return result
