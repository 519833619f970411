"""VC-2 … VC-8, VC-13: every offer's weekly NCX rate and CX status, one SQL statement per chunk
of sellers, upserted per offer and week (SC-1, SC-3), then into the current-status table.

Peer groups (same category and marketplace, VC-5) cross sellers: the statement computes the
totals of every offer in the chunk's peer groups, whoever sells it, so an offer's peer rate
never depends on the chunk it was computed in. Rows are written only for the chunk's offers.
"""

from __future__ import annotations

import math
from datetime import date

from django.db import IntegrityError, connection, transaction

from sellercx import periods, policy, recompute

from .policies import ALL, CONFIDENCE_Z, LOW_STAR_MAX, MIN_NCX_ORDERS, VERY_POOR_MULTIPLE
from .policies import WINDOW_DAYS as WINDOW_POLICY

# Reason codes of the two sources that carry none of their own (VC-3).
REVIEW_REASON = "NEGATIVE_REVIEW"
FEEDBACK_REASON = "NOT_AS_DESCRIBED"


# Each source's bit in ``OrderLine.experience_sources``, kept by the triggers of voc 0006
# (0007: feedback "not as described" whatever its removal, which a past week judges as of then).
SOURCE_BITS = {"return": 1, "refund": 2, "contact": 4, "review": 8, "feedback": 16}


def experience_sources(orders: str) -> str:
    """VC-3, VC-4: the negative experiences on the orders ``orders`` (a SQL set of distinct
    order ids, joined to each source in the order it lists them) as they stood at
    ``%(period_end)s`` (SC-4): rows that happened and had reached SellerCX before it, judged as
    they were then. Product/offer-related returns, refunds and customer-service contacts,
    verified reviews that had at most ``%(low_star)s`` stars then (a review edited since counts
    with the version of its revisions that stood then), feedback saying "item not as
    described" not yet removed or struck through then. ``{bit}`` in ``orders`` becomes each
    source's bit (``SOURCE_BITS``), so a set can hold only the orders with rows in that source.
    ``offer_id`` is null when the source names no offer (the experience then concerns every
    line of the order); ``product_id`` is set for reviews."""

    def source_orders(source: str) -> str:
        return orders.replace("{bit}", str(SOURCE_BITS[source]))

    return f"""
    SELECT 'return' AS source, r.id, r.order_id, r.offer_id, NULL::bigint AS product_id,
           rc.code AS reason, r.occurred_at, r.comment
    FROM ({source_orders("return")}) w(order_id)
    JOIN sellercx_return r ON r.order_id = w.order_id
    JOIN sellercx_reasoncode rc ON rc.id = r.reason_id AND rc.category = 'product'
    WHERE r.occurred_at < %(period_end)s AND r.received_at < %(period_end)s
    UNION ALL
    SELECT 'refund', r.id, r.order_id, r.offer_id, NULL, rc.code, r.occurred_at, r.comment
    FROM ({source_orders("refund")}) w(order_id)
    JOIN sellercx_refund r ON r.order_id = w.order_id
    JOIN sellercx_reasoncode rc ON rc.id = r.reason_id AND rc.category = 'product'
    WHERE r.occurred_at < %(period_end)s AND r.received_at < %(period_end)s
    UNION ALL
    SELECT 'contact', c.id, c.order_id, c.offer_id, NULL, rc.code, c.occurred_at, c.comment
    FROM ({source_orders("contact")}) w(order_id)
    JOIN sellercx_customerservicecontact c ON c.order_id = w.order_id
    JOIN sellercx_reasoncode rc ON rc.id = c.reason_id AND rc.category = 'product'
    WHERE c.occurred_at < %(period_end)s AND c.received_at < %(period_end)s
    UNION ALL
    SELECT 'review', v.id, v.verified_order_id, NULL, v.product_id, '{REVIEW_REASON}',
           v.posted_at, v.title || ': ' || v.text
    FROM ({source_orders("review")}) w(order_id)
    JOIN reviews_review v ON v.verified_order_id = w.order_id
    WHERE v.posted_at < %(period_end)s AND v.received_at < %(period_end)s
      AND CASE WHEN v.edited_at IS NULL THEN v.rating  -- never edited: no revisions
               -- the first version whose replacing edit had not happened, or not arrived
               ELSE coalesce((SELECT e.rating FROM reviews_reviewrevision e
                              WHERE e.review_id = v.id
                                AND (e.replaced_at >= %(period_end)s
                                     OR e.received_at >= %(period_end)s)
                              ORDER BY e.id LIMIT 1), v.rating) END <= %(low_star)s
    UNION ALL
    SELECT 'feedback', f.id, f.order_id, NULL, NULL, '{FEEDBACK_REASON}', f.left_at, f.comment
    FROM ({source_orders("feedback")}) w(order_id)
    JOIN feedback_feedback f ON f.order_id = w.order_id
    WHERE f.item_as_described = false
      AND (f.removed_at IS NULL OR f.removed_at >= %(period_end)s)
      AND (f.struck_through_at IS NULL OR f.struck_through_at >= %(period_end)s)
      AND f.left_at < %(period_end)s AND f.received_at < %(period_end)s
    """  # noqa: S608 - only our own fragments are formatted in; values are parameters


# VC-2: orders of the window (cancelled ones never count) with at least one experience.
# VC-5: peer totals by window SUM over (category, marketplace) minus the offer's own.
# VC-7: no order, no rate and no status. VC-8: last order or experience. VC-10: an offer
# deleted before the period gets no new row, so its current status stays its last one.
# The chunk: the offers whose rows are written, and their peer groups. By sellers (one seller
# by hand, tests): the sellers' offers, whose groups are read whole for the peer totals.
BY_SELLERS = """
chunk_offers AS (
    SELECT o.id
    FROM sellercx_offer o
    WHERE o.seller_id = ANY(%(sellers)s)
      AND (o.deleted_at IS NULL OR o.deleted_at >= %(period_end)s)
),
groups AS (
    SELECT DISTINCT o.category_id, o.marketplace_id
    FROM sellercx_offer o
    WHERE o.id IN (SELECT id FROM chunk_offers)
)"""
# By peer groups (the scheduled run, chunked by ``peer_group_chunks``): every offer of the
# groups, so each group is read once in a run, whoever sells in it. Its chunk offers come from
# ``scope`` (the groups' offers, read once), hence a part after it.
BY_GROUPS = """
groups AS (
    SELECT * FROM unnest(%(categories)s::bigint[], %(marketplaces)s::bigint[])
        AS g(category_id, marketplace_id)
)"""
BY_GROUPS_OFFERS = """,
chunk_offers AS (
    SELECT offer_id AS id FROM scope
    WHERE deleted_at IS NULL OR deleted_at >= %(period_end)s
)"""

CX_TEMPLATE = f"""
WITH {{chunk}},
scope AS (  -- each group's offers: one range of ``offer_peer_group``
    SELECT o.id AS offer_id, o.seller_id, o.marketplace_id, o.product_id, o.category_id,
           o.deleted_at
    FROM groups g
    JOIN sellercx_offer o ON o.marketplace_id = g.marketplace_id AND o.category_id = g.category_id
){{chunk_offers}},
recent_lines AS (  -- the window, and the week before it (to clear a status, VC-7)
    SELECT l.offer_id, s.product_id, l.order_id, l.purchased_at, l.experience_sources,
           l.purchased_at >= %(window_start)s AS in_window
    FROM scope s
    JOIN sellercx_orderline l ON l.offer_id = s.offer_id
    WHERE l.purchased_at >= %(window_start)s - interval '7 days'
      AND l.purchased_at < %(period_end)s
      AND l.received_at < %(period_end)s  -- SC-4: the order's, on its lines (sellercx 0017)
      AND NOT l.order_cancelled  -- the order's, on its lines (sellercx 0013, #8)
),
lines AS (
    SELECT offer_id, product_id, order_id, purchased_at, experience_sources
    FROM recent_lines WHERE in_window
),
-- The window's orders with a row in some source (their lines' bits, voc 0006), once, in id
-- order: each source is probed only for the orders with its bit, and its index page after
-- page instead of at random (#8: every order of the window, in all five, took half a chunk).
window_orders AS (
    SELECT order_id, bit_or(experience_sources) AS sources
    FROM lines WHERE experience_sources <> 0
    GROUP BY order_id ORDER BY order_id
),
experiences AS (
    SELECT l.offer_id, l.order_id, x.reason, x.occurred_at
    FROM ({experience_sources("SELECT order_id FROM window_orders WHERE sources & {bit} <> 0")}) x
    JOIN lines l ON l.order_id = x.order_id
     AND (x.offer_id IS NULL OR l.offer_id = x.offer_id)
     AND (x.product_id IS NULL OR l.product_id = x.product_id)
),
sold AS (
    SELECT offer_id, count(*) FILTER (WHERE in_window) AS orders,
           max(purchased_at) FILTER (WHERE in_window) AS last_order,
           count(*) AS recent_orders
    FROM recent_lines GROUP BY offer_id
),
ncx AS (
    SELECT offer_id, count(DISTINCT order_id) AS ncx_orders, max(occurred_at) AS last_experience
    FROM experiences GROUP BY offer_id
),
reasons AS (
    SELECT offer_id, reason,
           row_number() OVER (PARTITION BY offer_id ORDER BY count(*) DESC, reason) AS rank
    FROM experiences GROUP BY offer_id, reason
),
per_offer AS (
    SELECT s.offer_id, s.seller_id, s.marketplace_id,
           coalesce(sold.orders, 0) AS orders, coalesce(ncx.ncx_orders, 0) AS ncx_orders,
           greatest(sold.last_order, ncx.last_experience) AS last_event,
           coalesce(sold.recent_orders, 0) AS recent_orders,
           sum(coalesce(sold.orders, 0))
               OVER (PARTITION BY s.category_id, s.marketplace_id)
               - coalesce(sold.orders, 0) AS peer_orders,
           sum(coalesce(ncx.ncx_orders, 0))
               OVER (PARTITION BY s.category_id, s.marketplace_id)
               - coalesce(ncx.ncx_orders, 0) AS peer_ncx_orders
    FROM scope s
    LEFT JOIN sold ON sold.offer_id = s.offer_id
    LEFT JOIN ncx ON ncx.offer_id = s.offer_id
),
rates AS (
    SELECT p.*,
           CASE WHEN p.orders > 0 THEN p.ncx_orders::float8 / p.orders END AS rate,
           CASE WHEN p.peer_orders > 0
                THEN p.peer_ncx_orders::float8 / p.peer_orders END AS peer_rate,
           p.orders::float8 AS n, %(z)s::float8 AS z
    FROM per_offer p
    WHERE p.offer_id IN (SELECT id FROM chunk_offers)
      -- VC-7: an offer without orders gets a row only to clear the status it had: when it
      -- sold in last week's window, or its current status is older and had orders (a missed
      -- week). Both keep a rerun of any week writing the same rows (SC-3). The status is
      -- looked up by the offer's key, for the offers without orders only (as an EXISTS, it was
      -- hashed: every chunk read every offer's status, #8).
      AND (p.recent_orders > 0 OR (
          SELECT c.week_start < %(week)s AND c.orders > 0
          FROM voc_offercxstatus c WHERE c.offer_id = p.offer_id))
),
wilson AS (
    SELECT r.*,
           CASE WHEN n > 0 THEN greatest(0::float8,
               ((rate + z * z / (2 * n)) - z * sqrt(rate * (1 - rate) / n + z * z / (4 * n * n)))
               / (1 + z * z / n)) END AS low,
           CASE WHEN n > 0 THEN least(1::float8,
               ((rate + z * z / (2 * n)) + z * sqrt(rate * (1 - rate) / n + z * z / (4 * n * n)))
               / (1 + z * z / n)) END AS high
    FROM rates r
),
figures AS (
    SELECT w.*,
           CASE WHEN w.orders = 0 OR w.peer_rate IS NULL THEN ''
                WHEN w.high < w.peer_rate THEN 'excellent'
                WHEN w.rate <= w.peer_rate THEN 'good'
                WHEN w.low <= w.peer_rate THEN 'fair'
                WHEN w.ncx_orders < %(min_ncx)s THEN 'insufficient'
                WHEN w.low > w.peer_rate * %(multiple)s::float8 THEN 'very_poor'
                ELSE 'poor' END AS status,
           coalesce(rs.reason, '') AS top_reason
    FROM wilson w
    LEFT JOIN reasons rs ON rs.offer_id = w.offer_id AND rs.rank = 1
),
written AS (
    INSERT INTO voc_offercxweek
        (offer_id, seller_id, marketplace_id, week_start, orders, ncx_orders, ncx_rate, ci_low,
         ci_high, peer_rate, peer_orders, status, top_reason, last_updated, computed_at)
    SELECT offer_id, seller_id, marketplace_id, %(week)s, orders, ncx_orders,
           round(rate::numeric, 6), round(low::numeric, 6), round(high::numeric, 6),
           round(peer_rate::numeric, 6), peer_orders, status, top_reason,
           (last_event AT TIME ZONE 'UTC')::date, now()
    FROM figures
    ORDER BY offer_id
    {{on_conflict}}
    RETURNING *
),
-- The latest figures of each offer, probed by its key (an UPDATE … FROM hash-joined the whole
-- table for every chunk, which grows with chunks × offers); the update stays on its page (0004).
current_status AS (
    INSERT INTO voc_offercxstatus
        (offer_id, seller_id, marketplace_id, week_start, orders, ncx_orders, ncx_rate, ci_low,
         ci_high, peer_rate, peer_orders, status, top_reason, last_updated, computed_at)
    SELECT offer_id, seller_id, marketplace_id, week_start, orders, ncx_orders, ncx_rate,
           ci_low, ci_high, peer_rate, peer_orders, status, top_reason, last_updated,
           computed_at
    FROM written
    ORDER BY offer_id
    ON CONFLICT (offer_id) DO UPDATE
       SET week_start = EXCLUDED.week_start, orders = EXCLUDED.orders,
           ncx_orders = EXCLUDED.ncx_orders, ncx_rate = EXCLUDED.ncx_rate,
           ci_low = EXCLUDED.ci_low, ci_high = EXCLUDED.ci_high,
           peer_rate = EXCLUDED.peer_rate, peer_orders = EXCLUDED.peer_orders,
           status = EXCLUDED.status, top_reason = EXCLUDED.top_reason,
           last_updated = EXCLUDED.last_updated, computed_at = EXCLUDED.computed_at
       WHERE voc_offercxstatus.week_start <= EXCLUDED.week_start
    RETURNING 1
)
SELECT (SELECT count(*) FROM written), (SELECT count(*) FROM current_status)
"""  # noqa: S608 - no user input is formatted in; values are parameters
# A week's first run inserts its history rows; a rerun of the week (or a run at the same time)
# finds some of them there and rewrites them (SC-3). The plain insert skips the speculative
# insertion an ON CONFLICT does for every row (a fifth of the writes' time, #8).
REWRITE = """ON CONFLICT (offer_id, week_start) DO UPDATE
       SET orders = EXCLUDED.orders, ncx_orders = EXCLUDED.ncx_orders,
           ncx_rate = EXCLUDED.ncx_rate, ci_low = EXCLUDED.ci_low, ci_high = EXCLUDED.ci_high,
           peer_rate = EXCLUDED.peer_rate, peer_orders = EXCLUDED.peer_orders,
           status = EXCLUDED.status, top_reason = EXCLUDED.top_reason,
           last_updated = EXCLUDED.last_updated, computed_at = EXCLUDED.computed_at"""
CX_SQL = {
    rewrite: CX_TEMPLATE.format(
        chunk=BY_SELLERS, chunk_offers="", on_conflict=REWRITE if rewrite else ""
    )
    for rewrite in (False, True)
}
CX_BY_GROUPS_SQL = {
    rewrite: CX_TEMPLATE.format(
        chunk=BY_GROUPS, chunk_offers=BY_GROUPS_OFFERS, on_conflict=REWRITE if rewrite else ""
    )
    for rewrite in (False, True)
}
# The figures alone, with no writes: ``make bench`` runs them over every peer group at once as
# the recompute's baseline.
FIGURES_SQL = CX_TEMPLATE.split(",\nwritten AS (")[0].format(
    chunk=BY_GROUPS, chunk_offers=BY_GROUPS_OFFERS
) + ("\nSELECT * FROM figures")


def window(week: date, days: int) -> tuple:
    """VC-2: ``[week - days, week)`` in UTC, as aware datetimes."""
    return periods.days_before(week, days)


def parameters(*, week: date, seller_ids: list[int] | None = None) -> dict:
    values = policy.values(*ALL)
    window_start, period_end = window(week, int(values[WINDOW_POLICY.key]))
    return {
        "sellers": list(seller_ids or []),
        "week": week,
        "window_start": window_start,
        "period_end": period_end,
        "low_star": int(values[LOW_STAR_MAX.key]),
        "z": float(values[CONFIDENCE_Z.key]),
        "min_ncx": int(values[MIN_NCX_ORDERS.key]),
        "multiple": float(values[VERY_POOR_MULTIPLE.key]),
    }


# A chunk of the scheduled run holds about this many offers per seller of the chunk size.
OFFERS_PER_SELLER = 50


def peer_group_chunks(seller_ids: list[int] | None = None, size: int | None = None) -> list:
    """VC-5: the run's work as whole peer groups (category, marketplace), packed into chunks
    of about ``size`` × 50 offers. A group is never split, so its totals are read once per
    run, not once per chunk that has an offer in it. With ``seller_ids``, the groups where
    those sellers have offers (every offer of them is then recomputed: peers move together)."""
    from django.conf import settings

    target = (size or settings.SELLERCX_RECOMPUTE_CHUNK_SIZE) * OFFERS_PER_SELLER
    where = ""
    params: list = []
    if seller_ids is not None:
        where = """WHERE (o.category_id, o.marketplace_id) IN (
            SELECT o2.category_id, o2.marketplace_id FROM sellercx_offer o2
            WHERE o2.seller_id = ANY(%s))"""
        params = [list(seller_ids)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT o.category_id, o.marketplace_id, count(*) FROM sellercx_offer o"  # noqa: S608
            f" {where} GROUP BY 1, 2 ORDER BY 1, 2",
            params,
        )
        groups = cursor.fetchall()
    # As few chunks as the size allows, evenly filled: a small last chunk would pay a whole
    # chunk's fixed cost (its scans of the offers) for a few groups.
    total = sum(offers for _, _, offers in groups)
    share = total / max(1, math.ceil(total / target))
    chunks: list[dict] = []
    current: dict = {"categories": [], "marketplaces": []}
    filled = 0
    for category, marketplace, offers in groups:
        current["categories"].append(category)
        current["marketplaces"].append(marketplace)
        filled += offers
        if filled >= share:
            chunks.append(current)
            current, filled = {"categories": [], "marketplaces": []}, 0
    if filled:
        chunks.append(current)
    return chunks


def _constraint(error: IntegrityError) -> str | None:
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


@recompute.register(
    "voc",
    cadence="weekly",
    description="NCX rate and CX status (VC-1 … VC-13)",
    chunker=peer_group_chunks,
)
def recompute_cx_status(
    *,
    period: date,
    seller_ids: list[int] | None = None,
    categories: list[int] | None = None,
    marketplaces: list[int] | None = None,
) -> int:
    """The CX figures of the week starting ``period`` (a Monday, UTC) for these sellers'
    offers, or every offer of these peer groups (``categories[i]``, ``marketplaces[i]``);
    returns the history rows written."""
    week = periods.week_start(period)
    params = parameters(week=week, seller_ids=seller_ids)
    statements = CX_SQL
    if categories is not None:
        statements = CX_BY_GROUPS_SQL
        params.update(categories=list(categories), marketplaces=list(marketplaces or []))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        try:
            with transaction.atomic():  # a savepoint: the rewrite starts from a clean slate
                cursor.execute(statements[False], params)
        except IntegrityError as error:
            if _constraint(error) != "offer_cx_week_unique":
                raise
            cursor.execute(statements[True], params)  # the week's rows are there: rewrite them
        history_rows, _current_rows = cursor.fetchone()
    return history_rows
