"""Reads of the performance metrics, scoped to one seller account (AC-1)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from feedback.models import Feedback
from messaging.selectors import rating_band
from sellercx import periods
from sellercx.models import AtoZClaim, Chargeback, Order, SellerAccount
from sellercx.selectors import seller_marketplaces

from .definitions import (
    DEFECT_KINDS,
    DEFECT_LABELS,
    DEFINITIONS,
    STATUS_COLOURS,
    Metric,
    Status,
    counts_toward_overall,
    overall_status,
    status_of,
    windows,
    worst,
)
from .models import MetricSnapshot


def _card(snapshot: MetricSnapshot) -> dict:
    """One metric as the page and the API show it: the snapshot, its definition, and for the
    ODR each defect kind with its count, rate and status against the same target."""
    definition = DEFINITIONS[Metric(snapshot.metric)]
    defects = []
    if snapshot.metric.startswith("odr_"):
        for kind in DEFECT_KINDS:
            count = int(snapshot.breakdown.get(kind, 0))
            rate = (
                (Decimal(count) / snapshot.denominator).quantize(Decimal("0.000001"))
                if snapshot.denominator
                else None
            )
            defects.append(
                {
                    "kind": kind,
                    "label": DEFECT_LABELS[kind],
                    "count": count,
                    "rate": rate,
                    "status": status_of(
                        rate, snapshot.target, snapshot.at_risk_margin, snapshot.condition
                    ),
                }
            )
            defects[-1]["colour"] = STATUS_COLOURS[Status(defects[-1]["status"])]
            defects[-1]["word"] = Status(defects[-1]["status"]).label
    card = {
        "counts": counts_text(snapshot),
        "metric": snapshot.metric,
        "label": definition.label,
        "help": definition.help,
        "unit": definition.unit,
        "places": definition.places,
        "informational": definition.informational,
        "band": None,
        "snapshot": snapshot,
        "status": snapshot.status,
        # PM-3: an indicator with no target is never graded, though it has a value.
        "status_word": _("Indicator")
        if snapshot.status == Status.NONE and snapshot.value is not None
        else Status(snapshot.status).label,
        "colour": STATUS_COLOURS[Status(snapshot.status)],
        "defects": defects,
    }
    if snapshot.metric == Metric.CS_RATING and snapshot.value is not None:
        # CS-8: the rating reads in its own band words (CS-6), not as good / at risk / failing.
        band = rating_band(snapshot.value)
        card.update(band=band["key"], status_word=band["word"], colour=band["colour"])
    return card


def counts_text(snapshot: MetricSnapshot) -> str:
    """The counts behind a value, in the seller's words ("12 defects out of 1,480 orders")."""
    n, total = intcomma(snapshot.numerator), intcomma(snapshot.denominator)
    metric = snapshot.metric
    if metric.startswith("odr_"):
        return _("%(n)s orders with a defect out of %(total)s orders") % {"n": n, "total": total}
    if metric == Metric.NEGATIVE_FEEDBACK:
        return _("%(n)s negative out of %(total)s feedback") % {"n": n, "total": total}
    if metric == Metric.POSITIVE_FEEDBACK:
        return _("%(n)s positive out of %(total)s feedback") % {"n": n, "total": total}
    if metric in (Metric.AVERAGE_RATING, Metric.FEEDBACK_COUNT):
        return _("%(total)s feedback") % {"total": total}
    if metric == Metric.FEEDBACK_SCORE:
        return _("%(n)s orders without a defect out of %(total)s orders") % {
            "n": n,
            "total": total,
        }
    if metric == Metric.CS_RATING:
        return _("%(n)s “yes” out of %(total)s answers") % {"n": n, "total": total}
    return _("%(n)s answered within 24 hours out of %(total)s buyer messages") % {
        "n": n,
        "total": total,
    }


def account_health(*, seller_id: int, marketplace_id: int | None = None) -> dict[int, list[dict]]:
    """PM-6: every metric's latest snapshot, per marketplace (one marketplace, or all of the
    account's), in the catalogue's order. Two queries whatever the data; empty before the
    first recompute."""
    rows = MetricSnapshot.objects.filter(seller_id=seller_id)
    if marketplace_id:
        rows = rows.filter(marketplace_id=marketplace_id)
    latest = rows.aggregate(day=Max("day"))["day"]
    if latest is None:
        return {}
    order = {m.value: n for n, m in enumerate(Metric)}
    cards: dict[int, list[dict]] = defaultdict(list)
    for snapshot in sorted(
        rows.filter(day=latest).select_related("marketplace"),
        key=lambda s: (s.marketplace.code, order[s.metric]),
    ):
        cards[snapshot.marketplace_id].append(_card(snapshot))
    return dict(cards)


def history(
    *,
    seller_id: int,
    marketplace_id: int | None = None,
    days: int = 90,
    metric: str | None = None,
) -> dict[tuple[int, str], list[dict]]:
    """PM-5: each (marketplace, metric)'s daily values over the last ``days`` days, oldest
    first, for the trend charts. One query."""
    since = periods.today() - timedelta(days=days - 1)
    rows = MetricSnapshot.objects.filter(seller_id=seller_id, day__gte=since)
    if marketplace_id:
        rows = rows.filter(marketplace_id=marketplace_id)
    if metric:
        rows = rows.filter(metric=metric)
    series: dict[tuple[int, str], list[dict]] = defaultdict(list)
    for marketplace, metric_key, day, value, status in rows.order_by(
        "marketplace_id", "metric", "day"
    ).values_list("marketplace_id", "metric", "day", "value", "status"):
        series[(marketplace, metric_key)].append(
            {
                "week": day.isoformat(),  # the charts label the x axis with "week"
                "day": day,
                "value": value,
                "status": status,
            }
        )
    return dict(series)


def snapshots(*, seller_id: int) -> QuerySet[MetricSnapshot]:
    """Every snapshot of the account, with its marketplace (the API's history list)."""
    return MetricSnapshot.objects.filter(seller_id=seller_id).select_related("marketplace")


def side_by_side(*, seller_id: int) -> dict:
    """UX-2 under "All marketplaces": each marketplace's latest figures side by side, one
    column per marketplace of the account (by code) and one row per metric, in the catalogue's
    order; a cell is the metric's card, or ``None`` where that marketplace has no snapshot.
    Each column has its overall status (CS-8: informational metrics left out). Three queries
    whatever the data."""
    marketplaces = list(seller_marketplaces(seller=seller_id))
    cards = account_health(seller_id=seller_id)
    by_metric = {
        (marketplace_id, card["metric"]): card
        for marketplace_id, marketplace_cards in cards.items()
        for card in marketplace_cards
    }
    rows = [
        {
            "metric": metric.value,
            "label": DEFINITIONS[metric].label,
            "help": DEFINITIONS[metric].help,
            "informational": DEFINITIONS[metric].informational,
            "cells": [by_metric.get((m.pk, metric.value)) for m in marketplaces],
        }
        for metric in Metric
    ]
    columns = [
        {
            "marketplace": m,
            "status": status_display(
                overall_status((c["metric"], c["status"]) for c in cards.get(m.pk, []))
            ),
        }
        for m in marketplaces
    ]
    day = next((c[0]["snapshot"].day for c in cards.values() if c), None)
    return {"columns": columns, "rows": rows if cards else [], "day": day}


def status_display(status: str, *, standing: str = SellerAccount.Standing.GOOD) -> dict:
    """An overall status as the seller reads it: its key, word and colour. A deactivated
    account never reads as good, whatever its metrics: it reads "Deactivated"."""
    if standing == SellerAccount.Standing.DEACTIVATED:
        word = SellerAccount.Standing.DEACTIVATED.label
        return {"key": "deactivated", "word": word, "colour": "red"}
    return {"key": status, "word": Status(status).label, "colour": STATUS_COLOURS[Status(status)]}


def account_standing(*, seller_id: int) -> SellerAccount.Standing:
    """The account's standing (good, at risk, deactivated). One query."""
    standing = SellerAccount.objects.filter(pk=seller_id).values_list("standing", flat=True)
    return SellerAccount.Standing(standing.get())


def health_by_marketplace(*, seller_id: int, marketplace_code: str | None = None) -> dict:
    """The home panel: the overall status of the latest snapshots in each marketplace (or the
    one given) and over them, with the metrics at risk or failing; informational metrics never
    count (CS-8). ``status`` is the metrics' overall status; ``word`` and ``colour`` are what
    the seller reads, "Deactivated" for a deactivated account (``deactivated``). Three
    queries."""
    standing = account_standing(seller_id=seller_id)
    rows = MetricSnapshot.objects.filter(seller_id=seller_id)
    if marketplace_code:
        rows = rows.filter(marketplace__code=marketplace_code)
    latest = rows.aggregate(day=Max("day"))["day"]
    statuses: dict[str, list[tuple[str, str]]] = defaultdict(list)
    failing: dict[str, list[str]] = defaultdict(list)
    if latest is not None:
        for code, metric, status in (
            rows.filter(day=latest)
            .order_by("marketplace__code", "metric")
            .values_list("marketplace__code", "metric", "status")
        ):
            statuses[code].append((metric, status))
            if status in (Status.FAILING, Status.AT_RISK) and counts_toward_overall(metric):
                failing[code].append(str(DEFINITIONS[Metric(metric)].label))
    marketplaces = []
    for code, pairs in statuses.items():
        display = status_display(overall_status(pairs))
        marketplaces.append(
            {
                "code": code,
                "status": display["key"],
                "word": display["word"],
                "colour": display["colour"],
                "metrics": failing[code],
            }
        )
    overall = worst(m["status"] for m in marketplaces)
    shown = status_display(overall, standing=standing)
    return {
        "status": overall,
        "word": shown["word"],
        "colour": shown["colour"],
        "deactivated": shown["key"] == "deactivated",
        "marketplaces": marketplaces,
        "day": latest,
    }


def _defects(as_of: datetime, seller_id: int | None) -> dict[str, QuerySet]:
    """PM-1: each kind of defect that counts as of ``as_of`` (the seller's only, with
    ``seller_id``); the same conditions as ``definitions.DEFECTS_SQL``."""
    mine = Q(seller_id=seller_id) if seller_id is not None else Q()
    counting_then = (Q(removed_at__isnull=True) | Q(removed_at__gte=as_of)) & (
        Q(struck_through_at__isnull=True) | Q(struck_through_at__gte=as_of)
    )
    arrived = Q(received_at__lt=as_of)  # SC-4
    return {
        "negative_feedback": Feedback.objects.filter(
            mine, arrived, counting_then, rating__lte=2, left_at__lt=as_of
        ),
        "claim": AtoZClaim.objects.filter(mine, arrived, occurred_at__lt=as_of).exclude(
            status=AtoZClaim.Status.WITHDRAWN
        ),
        "chargeback": Chargeback.objects.filter(mine, arrived, occurred_at__lt=as_of),
    }


def defect_flags(as_of: datetime, seller_id: int | None = None) -> dict:
    """PM-1: an order's defects as of ``as_of``, as annotations; the same conditions as
    ``definitions.DEFECTS_SQL``. With ``seller_id``, each defect table is read for that seller
    only: PostgreSQL may hash a subquery's defects once, and without it that would be every
    seller's (benchmarks, issue #8)."""
    order = OuterRef("pk")
    return {
        kind: Exists(defects.filter(order=order))
        for kind, defects in _defects(as_of, seller_id).items()
    }


def defective_order_ids(*, seller_id: int, as_of: datetime) -> QuerySet:
    """PM-1: the ids of the seller's orders with at least one defect as of ``as_of``, as one
    ``UNION`` of the three defect tables (a subquery that PostgreSQL reads once and joins)."""
    feedback, claims, chargebacks = _defects(as_of, seller_id).values()
    return (
        feedback.values("order_id")
        .order_by()
        .union(claims.values("order_id").order_by(), chargebacks.values("order_id").order_by())
    )


def odr_window(*, seller_id: int, marketplace_id: int | None) -> tuple[date, date, date]:
    """The ODR window the page shows: that of the latest snapshot (its day, first and last
    order day), or today's when there is none yet."""
    rows = MetricSnapshot.objects.filter(seller_id=seller_id, metric=Metric.ODR_MERCHANT)
    if marketplace_id:
        rows = rows.filter(marketplace_id=marketplace_id)
    latest = rows.order_by("-day").values_list("day", "window_start", "window_end").first()
    if latest:
        return latest
    day = periods.today()
    start, end = windows(day)["odr"]
    return day, start, end - timedelta(days=1)


def _orders_of_the_window(
    *, seller_id: int, as_of: datetime, window_start: date, window_end: date
) -> QuerySet[Order]:
    """The orders of the ODR window (order dates ``window_start`` to ``window_end`` included),
    each annotated with its defects as of ``as_of`` (negative_feedback, claim, chargeback)."""
    return (
        Order.objects.filter(
            seller_id=seller_id,
            purchased_at__gte=periods.at_midnight(window_start),
            purchased_at__lt=periods.at_midnight(window_end + timedelta(days=1)),
            received_at__lt=as_of,  # SC-4, as the snapshot counted them
        )
        .exclude(status=Order.Status.CANCELLED)
        .annotate(**defect_flags(as_of, seller_id))
        .select_related("marketplace", "buyer")
    )


def defective_orders(
    *, seller_id: int, day: date, window_start: date, window_end: date
) -> QuerySet[Order]:
    """PM-6 drill-down: the orders of the ODR window (order dates ``window_start`` to
    ``window_end`` included) with at least one defect as of the start of ``day``, each
    annotated with which (negative_feedback, claim, chargeback), in one query.

    For listing a page: PostgreSQL walks the window newest first, tests each order against
    the hashed defects of the seller and stops at the page. Count the same orders with
    ``defective_orders_to_count`` (issue #8)."""
    return _orders_of_the_window(
        seller_id=seller_id,
        as_of=periods.at_midnight(day),
        window_start=window_start,
        window_end=window_end,
    ).filter(Q(negative_feedback=True) | Q(claim=True) | Q(chargeback=True))


def defective_orders_to_count(
    *, seller_id: int, day: date, window_start: date, window_end: date
) -> QuerySet[Order]:
    """The same orders as ``defective_orders``, for counting them (the drill-down's
    paginator): chosen with ``defective_order_ids``, a join of the window with the few
    thousand orders that have a defect. Counted with the ``OR`` of three subplans instead,
    PostgreSQL tested every order of the window and estimated a cost so high that it
    compiled the count with JIT: 63-100 ms for the biggest seller of the medium bench, now
    25-30 ms (issue #8)."""
    as_of = periods.at_midnight(day)
    return _orders_of_the_window(
        seller_id=seller_id, as_of=as_of, window_start=window_start, window_end=window_end
    ).filter(pk__in=defective_order_ids(seller_id=seller_id, as_of=as_of))
