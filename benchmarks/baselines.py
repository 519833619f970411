"""The baseline of each recompute: one hand-written SQL statement over every seller that
computes the same numbers, with no ORM, no chunks and no writes. The bench times it in the same
run as the product's recompute; product ÷ baseline is the figure (issue #8, scenario 4)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sellercx import periods

Baseline = Callable[[date], tuple[str, dict]]

CS_RATING = """
SELECT seller_id, marketplace_id, count(*) AS answers,
       count(*) FILTER (WHERE answer = 'yes') AS yes_answers,
       round(10.0 * count(*) FILTER (WHERE answer = 'yes') / count(*), 1) AS value
FROM (
    SELECT DISTINCT ON (conversation_id) seller_id, marketplace_id, answer, answered_at
    FROM messaging_survey
    WHERE answer <> '' AND answered_at >= %(window_start)s AND answered_at < %(week_start)s
    ORDER BY conversation_id, answered_at DESC, id DESC
) latest
GROUP BY seller_id, marketplace_id
HAVING max(answered_at) >= %(new_since)s
"""


def cs_rating(period: date) -> tuple[str, dict]:
    week = periods.week_start(period)
    window_start, week_start = periods.days_before(week, 28)
    new_since = periods.at_midnight(week - timedelta(days=7))
    return CS_RATING, {
        "window_start": window_start,
        "week_start": week_start,
        "new_since": new_since,
    }


BASELINES: dict[str, Baseline] = {"cs-rating": cs_rating}


def _all_sellers() -> list[int]:
    from sellercx.models import SellerAccount

    return list(SellerAccount.objects.values_list("pk", flat=True))


def metrics(period: date) -> tuple[str, dict]:
    """The snapshot rows of every seller in one statement: the recompute's own SELECT, with no
    chunks, no upsert and no transaction per chunk."""
    from metrics.recomputes import ROWS_SQL, parameters

    return ROWS_SQL, {"sellers": _all_sellers(), **parameters(period)}


BASELINES["metrics"] = metrics


def voc(period: date) -> tuple[str, dict]:
    """Every offer's figures (NCX rate, peers, Wilson bounds, status) in one statement over
    every peer group: the recompute's own figures, with no chunks and no writes."""
    from django.db import connection

    from voc.recomputes import FIGURES_SQL, parameters

    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT o.category_id, o.marketplace_id FROM sellercx_offer o")
        groups = cursor.fetchall()
    params = parameters(week=periods.week_start(period))
    params["categories"] = [c for c, _ in groups]
    params["marketplaces"] = [m for _, m in groups]
    return FIGURES_SQL, params


BASELINES["voc"] = voc


# What a scheduled run finds: no rows yet for its period, and tables autovacuum has been
# through since the last run. Before each timed run the bench deletes the period's rows and
# vacuums, so the recompute inserts as it would on Monday night instead of rewriting identical
# rows, and updates a week's current statuses over last week's, not over the dead versions of
# the bench's previous runs.
FORGET: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "cs-rating": ("messaging_customerservicerating", "week_start", ()),
    "metrics": ("metrics_metricsnapshot", "day", ()),
    "voc": ("voc_offercxweek", "week_start", ("voc_offercxstatus",)),
}
