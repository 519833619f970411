"""Reads of Voice of the Customer, scoped to one seller account (AC-1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from sellercx.errors import NotFound
from sellercx.models import Offer, ReasonCode

from .models import CXStatus, OfferCXStatus, OfferCXWeek
from .recomputes import FEEDBACK_REASON, REVIEW_REASON, experience_sources
from .rules import Thresholds

# VC-10: a deleted offer stays on the dashboard for one year after its deletion.
DELETED_KEPT_DAYS = 365

# Worst first: the order "sort by status" follows, and the colour each status is shown in.
STATUS_RANK = {
    CXStatus.VERY_POOR: 6,
    CXStatus.POOR: 5,
    CXStatus.INSUFFICIENT: 4,
    CXStatus.FAIR: 3,
    CXStatus.GOOD: 2,
    CXStatus.EXCELLENT: 1,
}
STATUS_COLOUR = {
    CXStatus.EXCELLENT: "green",
    CXStatus.GOOD: "lightgreen",
    CXStatus.FAIR: "yellow",
    CXStatus.POOR: "orange",
    CXStatus.VERY_POOR: "red",
    CXStatus.INSUFFICIENT: "grey",
}
STATUS_MEANING = {
    CXStatus.EXCELLENT: _l("Significantly better than similar offers."),
    CXStatus.GOOD: _l("As good as or better than similar offers."),
    CXStatus.FAIR: _l("Comparable to similar offers."),
    CXStatus.POOR: _l("Worse than similar offers: at risk of closure for negative experiences."),
    CXStatus.VERY_POOR: _l(
        "Significantly worse than similar offers: may already be closed for negative experiences."
    ),
    CXStatus.INSUFFICIENT: _l("Too few negative experiences yet to justify Poor or Very poor."),
}
# Labels of the reasons of sources that carry no reason code of their own (VC-3).
SOURCE_REASONS = {
    REVIEW_REASON: _l("Low-star product review"),
    FEEDBACK_REASON: _l("Item not as described"),
}
SOURCE_NAMES = {
    "return": _l("Return"),
    "refund": _l("Refund"),
    "contact": _l("Customer-service contact"),
    "review": _l("Product review"),
    "feedback": _l("Seller feedback"),
}


def reason_label(code: str, label: str | None = None) -> str:
    if not code:
        return ""
    return label or str(SOURCE_REASONS.get(code, code))


def _reason_label_sql():
    """The most common reason's label: the reason code's, or the source's (VC-3)."""
    return Coalesce(
        Subquery(
            ReasonCode.objects.filter(code=OuterRef("seller_cx__top_reason")).values("label")[:1]
        ),
        Case(
            *[
                When(seller_cx__top_reason=code, then=Value(str(label)))
                for code, label in SOURCE_REASONS.items()
            ],
            default=F("seller_cx__top_reason"),
            output_field=CharField(),
        ),
    )


def has_cx_page(offer: Offer, now: datetime | None = None) -> bool:
    """Whether the offer has its VOC page (``offer_with_cx_status``): every offer but those
    deleted over a year ago (VC-10), for the links other pages give to it."""
    if offer.deleted_at is None:
        return True
    return offer.deleted_at >= (now or timezone.now()) - timedelta(days=DELETED_KEPT_DAYS)


def offers_with_cx_status(*, seller_id: int) -> QuerySet[Offer]:
    """VC-1: the seller's offers with their current CX figures (none for VC-7), deleted ones
    for one year (VC-10), and whether action is required (VC-9). One query, and one each for
    the page's marketplaces and products.

    The figures come from ``seller_cx``: the offer's status row joined on the seller too
    (AC-1; it is the offer's seller by DERIVED_KEY), so that PostgreSQL reads only this
    seller's rows by the (seller, status) index instead of every seller's (#8). The
    marketplace and product are prefetched for the rows of the page only: sorting a page
    needs the offer and its figures, not a join to every product (#8)."""
    kept_since = timezone.now() - timedelta(days=DELETED_KEPT_DAYS)
    return (
        Offer.objects.filter(seller_id=seller_id)
        .filter(Q(deleted_at__isnull=True) | Q(deleted_at__gte=kept_since))
        .annotate(seller_cx=FilteredRelation("cx", condition=Q(cx__seller_id=seller_id)))
        .prefetch_related("marketplace", "product")
        .annotate(
            cx_status=Coalesce("seller_cx__status", Value("")),
            status_rank=Case(
                *[
                    When(seller_cx__status=s.value, then=Value(rank))
                    for s, rank in STATUS_RANK.items()
                ],
                default=Value(0),
                output_field=IntegerField(),
            ),
            ncx_rate=F("seller_cx__ncx_rate"),
            ncx_orders=F("seller_cx__ncx_orders"),
            cx_orders=F("seller_cx__orders"),
            last_updated=F("seller_cx__last_updated"),
            top_reason_label=_reason_label_sql(),
            action_required=ExpressionWrapper(
                Q(status=Offer.Status.CLOSED, closure_reason=Offer.ClosureReason.NCX),
                output_field=BooleanField(),
            ),
        )
    )


def status_counts(queryset: QuerySet[Offer]) -> dict[str, int]:
    """The number of offers per CX status ('' for none) in ``queryset`` (of
    ``offers_with_cx_status``): one query. Each offer has at most one status row, so a plain
    count is the number of offers (#8: no DISTINCT)."""
    rows = (
        queryset.order_by()
        .values("cx_status")
        .annotate(n=Count("pk"))
        .values_list("cx_status", "n")
    )
    return dict(rows)


def offer_with_cx_status(*, seller_id: int, offer_id: int) -> Offer:
    """One of the seller's offers with its figures, or NotFound (AC-1)."""
    offer = (
        offers_with_cx_status(seller_id=seller_id)
        .prefetch_related(None)
        .select_related("marketplace", "product__category", "product__brand", "cx")
        .filter(pk=offer_id)
        .first()
    )
    if offer is None:
        raise NotFound(_("No such offer."))
    return offer


def offer_history(*, offer: Offer, weeks: int = 26) -> list[OfferCXWeek]:
    """VC-13: the weekly figures, oldest first."""
    rows = OfferCXWeek.objects.filter(offer=offer, seller_id=offer.seller_id).order_by(
        "-week_start"
    )[:weeks]
    return list(reversed(rows))


def history_points(history: list[OfferCXWeek]) -> list[dict]:
    """The chart's data: the rate, its interval and the peer rate, in percent."""

    def pct(value: Decimal | None) -> float | None:
        return None if value is None else round(float(value) * 100, 2)

    return [
        {
            "week": row.week_start.isoformat(),
            "rate": pct(row.ncx_rate),
            "low": pct(row.ci_low),
            "high": pct(row.ci_high),
            "peer": pct(row.peer_rate),
            "status": row.status,
        }
        for row in history
    ]


@dataclass(frozen=True)
class Comment:
    source: str
    source_name: str
    id: int
    order_external_id: str
    reason_code: str
    reason: str
    occurred_at: datetime
    text: str


COMMENTS_SQL = """
SELECT x.source, x.id, d.external_id, x.reason, rc.label, x.occurred_at, x.comment
FROM ({sources}) x
JOIN sellercx_order d ON d.id = x.order_id
LEFT JOIN sellercx_reasoncode rc ON rc.code = x.reason
WHERE (x.offer_id IS NULL OR x.offer_id = %(offer)s)
  AND (x.product_id IS NULL OR x.product_id = %(product)s)
  AND x.occurred_at >= %(since)s
ORDER BY x.occurred_at DESC, x.source, x.id
LIMIT %(limit)s
"""


def comments_window(offer: Offer, days: int) -> tuple[datetime, datetime]:
    """The recent comments: the last ``days`` days, up to its deletion for a deleted offer
    (VC-10 keeps the comments received before it)."""
    end = offer.deleted_at or timezone.now()
    return end - timedelta(days=days), end


def offer_comments(*, offer: Offer, limit: int = 50) -> list[Comment]:
    """VC-1, VC-3, VC-11: the recent negative experiences of an offer from every source, with
    their reason (the same rows the NCX rate counts; delivery-related ones never), newest
    first. One query."""
    from sellercx import policy

    from .policies import LOW_STAR_MAX, WINDOW_DAYS

    values = policy.values(WINDOW_DAYS, LOW_STAR_MAX)
    since, end = comments_window(offer, int(values[WINDOW_DAYS.key]))
    orders = (
        "SELECT l.order_id FROM sellercx_orderline l WHERE l.offer_id = %(offer)s"
        " AND l.seller_id = %(seller)s"
    )
    sql = COMMENTS_SQL.format(sources=experience_sources(orders))
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "offer": offer.pk,
                "seller": offer.seller_id,
                "product": offer.product_id,
                "since": since,
                "period_end": end,
                "low_star": int(values[LOW_STAR_MAX.key]),
                "limit": limit,
            },
        )
        rows = cursor.fetchall()
    return [
        Comment(
            source=source,
            source_name=str(SOURCE_NAMES[source]),
            id=pk,
            order_external_id=external_id,
            reason_code=code,
            reason=reason_label(code, label),
            occurred_at=occurred_at,
            text=text or "",
        )
        for source, pk, external_id, code, label, occurred_at, text in rows
    ]


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def explanation(offer: Offer, thresholds: Thresholds | None = None) -> list[str]:
    """VC-5 … VC-7 in words: why the offer has its status."""
    cx: OfferCXStatus | None = getattr(offer, "cx", None)
    if cx is None or cx.orders == 0:
        return [
            _(
                "This offer had no order in the window: it has no NCX rate and no CX status "
                "(new offers and offers without recent sales)."
            )
        ]
    t = thresholds or Thresholds.current()
    words = {
        "rate": _pct(cx.ncx_rate),
        "ncx": cx.ncx_orders,
        "orders": cx.orders,
        "low": _pct(cx.ci_low),
        "high": _pct(cx.ci_high),
        "peer": _pct(cx.peer_rate),
        "confidence": _confidence(t.z),
    }
    lines = [
        _(
            "%(ncx)s of %(orders)s orders had a product- or offer-related negative experience: "
            "an NCX rate of %(rate)s."
        )
        % words,
        _(
            "With %(confidence)s confidence, the true rate is between %(low)s and %(high)s "
            "(Wilson interval)."
        )
        % words,
    ]
    if cx.peer_rate is None:
        lines.append(_("No similar offer (same category and marketplace) had orders: no status."))
        return lines
    lines.append(
        _("Similar offers (same category and marketplace, this one excluded): %(peer)s.") % words
    )
    status = cx.status
    if status == CXStatus.EXCELLENT:
        lines.append(_("Even the upper bound is below the similar offers' rate: Excellent."))
    elif status == CXStatus.GOOD:
        lines.append(_("The rate is at or below the similar offers' rate: Good."))
    elif status == CXStatus.FAIR:
        lines.append(
            _(
                "The rate is above the similar offers' rate, but the lower bound is not: "
                "the difference may be chance. Fair."
            )
        )
    elif status == CXStatus.INSUFFICIENT:
        lines.append(
            _(
                "The lower bound is above the similar offers' rate, but with fewer than "
                "%(min)s NCX orders there is too little feedback to say Poor: Insufficient "
                "feedback."
            )
            % {"min": t.min_ncx_orders}
        )
    elif status == CXStatus.VERY_POOR:
        lines.append(
            _("Even the lower bound is over %(x)s× the similar offers' rate: Very poor.")
            % {"x": f"{t.very_poor_multiple:g}"}
        )
    elif status == CXStatus.POOR:
        lines.append(_("Even the lower bound is above the similar offers' rate: Poor."))
    return lines


def _confidence(z: float) -> str:
    known = {1.645: "90%", 1.96: "95%", 2.576: "99%"}
    return known.get(round(z, 3), f"z = {z:g}")


def home_summary(*, seller_id: int, marketplace_code: str | None = None) -> dict:
    """The home panel: offers Poor, Very poor, and closed for NCX needing action. Two queries,
    each reading only the offers it counts (#8): the Poor and Very poor ones by the status
    index, the closed ones by the offers' (seller, marketplace, status) index."""
    offers = offers_with_cx_status(seller_id=seller_id).prefetch_related(None)
    if marketplace_code:
        offers = offers.filter(marketplace__code=marketplace_code)
    counts = offers.filter(seller_cx__status__in=[CXStatus.POOR, CXStatus.VERY_POOR]).aggregate(
        poor=Count("pk", filter=Q(seller_cx__status=CXStatus.POOR)),
        very_poor=Count("pk", filter=Q(seller_cx__status=CXStatus.VERY_POOR)),
    )
    counts["action_required"] = offers.filter(
        status=Offer.Status.CLOSED, closure_reason=Offer.ClosureReason.NCX
    ).count()
    return counts
