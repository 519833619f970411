"""PM-1 … PM-5, SC-2: the daily metric snapshots, one SQL statement per chunk of sellers.

A snapshot of day D is computed *as of the start of D* (UTC, SC-4): only what existed before D
counts — feedback left before D and not removed or struck through by then, claims and
chargebacks filed before D, messages sent before D — and only what had reached SellerCX by then
(``received_at``), so a late delivery or a backfill never changes a past day. Defects belong
to the order's purchase date, whatever day they arrived (PM-1). Every (seller, marketplace,
metric) of the chunk gets a row, with ``none`` status when there is no data, upserted on
(seller, marketplace, metric, day): running twice gives the same rows; the frame's advisory
lock serialises two runs.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from django.db import connection

from sellercx import periods, recompute

from . import definitions
from .definitions import DEFECTS_SQL

SNAPSHOT_TEMPLATE = """
WITH sm AS (
    SELECT seller_id, marketplace_id FROM sellercx_sellermarketplace
    WHERE seller_id = ANY(%(sellers)s)
),
-- PM-1, PM-3: every order of the chunk with its defects as of D (attributed to its date), read
-- once from the orders' covering index, each order's defects computed once ...
orders AS MATERIALIZED (
    SELECT o.seller_id, o.marketplace_id, o.fulfilment_channel AS channel,
           o.purchased_at >= %(odr_from)s AND o.purchased_at < %(odr_to)s AS in_odr,
           o.purchased_at >= %(fb90_from)s AS in_score, {defects}
    FROM sellercx_order o
    WHERE o.seller_id = ANY(%(sellers)s) AND o.status <> 'cancelled'
      AND o.purchased_at >= %(orders_from)s AND o.purchased_at < %(as_of)s
      AND o.received_at < %(as_of)s
),
-- ... and counted by seller, marketplace and channel in one hash of a few thousand groups:
-- joining the orders to the sellers first sorted them all, twice (#8: at `large`, the chunk
-- of the biggest sellers has 1.8 million orders).
order_counts AS (
    SELECT seller_id, marketplace_id, channel,
           count(*) FILTER (WHERE in_odr) AS orders,
           count(*) FILTER (WHERE in_odr AND (negative_feedback OR claim OR chargeback))
               AS defective,
           count(*) FILTER (WHERE in_odr AND negative_feedback) AS negative_feedback,
           count(*) FILTER (WHERE in_odr AND claim) AS claim,
           count(*) FILTER (WHERE in_odr AND chargeback) AS chargeback,
           count(*) FILTER (WHERE in_score) AS score_orders,
           count(*) FILTER (WHERE in_score AND NOT (negative_feedback OR claim OR chargeback))
               AS score_clean,
           count(*) FILTER (WHERE in_score AND negative_feedback) AS score_negative
    FROM orders
    GROUP BY seller_id, marketplace_id, channel
),
odr AS (
    SELECT sm.seller_id, sm.marketplace_id, ch.channel,
           coalesce(c.orders, 0) AS orders, coalesce(c.defective, 0) AS defective,
           coalesce(c.negative_feedback, 0) AS negative_feedback,
           coalesce(c.claim, 0) AS claim, coalesce(c.chargeback, 0) AS chargeback
    FROM sm CROSS JOIN (VALUES ('merchant'), ('marketplace')) AS ch(channel)
    LEFT JOIN order_counts c ON c.seller_id = sm.seller_id
         AND c.marketplace_id = sm.marketplace_id AND c.channel = ch.channel
),
score AS (
    SELECT sm.seller_id, sm.marketplace_id,
           coalesce(sum(c.score_orders), 0) AS orders,
           coalesce(sum(c.score_clean), 0) AS clean,
           coalesce(sum(c.score_negative), 0) AS negative
    FROM sm LEFT JOIN order_counts c
         ON c.seller_id = sm.seller_id AND c.marketplace_id = sm.marketplace_id
    GROUP BY sm.seller_id, sm.marketplace_id
),
fb AS (  -- PM-2: removed and struck-through feedback never counts (FB-5, FB-7); counts
        -- a column of the covering index, so the feedback is read from it alone
    SELECT sm.seller_id, sm.marketplace_id,
           count(f.rating) FILTER (WHERE f.left_at >= %(fb90_from)s) AS n90,
           count(f.rating) FILTER (WHERE f.left_at >= %(fb90_from)s AND f.rating <= 2) AS neg90,
           count(f.rating) AS n365,
           count(f.rating) FILTER (WHERE f.rating >= 4) AS pos365,
           count(f.rating) FILTER (WHERE f.rating = 3) AS neutral365,
           count(f.rating) FILTER (WHERE f.rating <= 2) AS neg365,
           sum(f.rating) AS stars365
    FROM sm LEFT JOIN feedback_feedback f
         ON f.seller_id = sm.seller_id AND f.marketplace_id = sm.marketplace_id
         AND f.left_at >= %(fb365_from)s AND f.left_at < %(as_of)s
         AND f.received_at < %(as_of)s
         AND (f.removed_at IS NULL OR f.removed_at >= %(as_of)s)
         AND (f.struck_through_at IS NULL OR f.struck_through_at >= %(as_of)s)
    GROUP BY sm.seller_id, sm.marketplace_id
),
cs AS (  -- PM-4, CS-5: the latest weekly rating with enough answers
    SELECT DISTINCT ON (r.seller_id, r.marketplace_id)
           r.seller_id, r.marketplace_id, r.value, r.answers, r.yes_answers, r.week_start
    FROM messaging_customerservicerating r
    WHERE r.seller_id = ANY(%(sellers)s) AND r.week_start <= %(day)s
      AND r.answers >= %(cs_min)s
    ORDER BY r.seller_id, r.marketplace_id, r.week_start DESC
),
resp AS (  -- PM-4, MS-5: buyer messages answered within 24 hours, as of D
    SELECT sm.seller_id, sm.marketplace_id,
           count(m.sent_at) FILTER (WHERE m.due) AS due,
           count(m.sent_at) FILTER (
               WHERE m.due AND m.answered_at - m.sent_at <= interval '24 hours') AS on_time,
           extract(epoch FROM avg(m.answered_at - m.sent_at)) AS average_seconds
    FROM sm LEFT JOIN LATERAL (
        SELECT b.sent_at, r.answered_at,
               (r.answered_at IS NOT NULL OR b.sent_at < %(as_of)s - interval '24 hours') AS due
        FROM messaging_message b
        -- The first reply, if it was sent before D (kept on the message: messaging 0006).
        CROSS JOIN LATERAL (
            SELECT CASE WHEN b.first_reply_at < %(as_of)s THEN b.first_reply_at END
                AS answered_at
        ) r
        WHERE b.seller_id = sm.seller_id AND b.marketplace_id = sm.marketplace_id
          AND b.direction = 'buyer'
          AND (b.no_response_needed_at IS NULL OR b.no_response_needed_at >= %(as_of)s)
          AND b.sent_at >= %(resp_from)s AND b.sent_at < %(as_of)s
          AND b.received_at < %(as_of)s
    ) m ON true
    GROUP BY sm.seller_id, sm.marketplace_id
),
measured AS (
    SELECT seller_id, marketplace_id, 'odr_' || channel AS metric,
           round(defective::numeric / nullif(orders, 0), 6) AS value,
           defective AS numerator, orders AS denominator,
           jsonb_build_object(
               'negative_feedback', negative_feedback, 'claim', claim,
               'chargeback', chargeback) AS breakdown,
           %(odr_from_day)s::date AS window_start, %(odr_to_day)s::date AS window_end
    FROM odr
    UNION ALL
    SELECT seller_id, marketplace_id, 'negative_feedback_rate',
           round(neg90::numeric / nullif(n90, 0), 6), neg90, n90, '{{}}'::jsonb,
           %(fb90_from_day)s::date, %(last_day)s::date
    FROM fb
    UNION ALL
    SELECT seller_id, marketplace_id, 'positive_feedback',
           round(pos365::numeric / nullif(n365, 0), 6), pos365, n365,
           jsonb_build_object('positive', pos365, 'neutral', neutral365, 'negative', neg365),
           %(fb365_from_day)s::date, %(last_day)s::date
    FROM fb
    UNION ALL
    SELECT seller_id, marketplace_id, 'average_rating',
           round(stars365::numeric / nullif(n365, 0), 6), coalesce(stars365, 0), n365,
           '{{}}'::jsonb, %(fb365_from_day)s::date, %(last_day)s::date
    FROM fb
    UNION ALL
    SELECT seller_id, marketplace_id, 'feedback_count',
           CASE WHEN n365 > 0 THEN n365 END, n365, n365, '{{}}'::jsonb,
           %(fb365_from_day)s::date, %(last_day)s::date
    FROM fb
    UNION ALL
    SELECT seller_id, marketplace_id, 'feedback_score',
           CASE WHEN orders > 0 THEN 100 * clean - 500 * negative END, clean, orders,
           jsonb_build_object('clean', clean, 'negative_feedback', negative,
                              'other_defects', orders - clean - negative),
           %(fb90_from_day)s::date, %(last_day)s::date
    FROM score
    UNION ALL
    SELECT sm.seller_id, sm.marketplace_id, 'cs_rating', cs.value,
           coalesce(cs.yes_answers, 0), coalesce(cs.answers, 0),
           CASE WHEN cs.week_start IS NOT NULL
                THEN jsonb_build_object('week_start', cs.week_start) ELSE '{{}}'::jsonb END,
           coalesce(cs.week_start - 28, %(cs_from_day)s::date),
           coalesce(cs.week_start - 1, %(last_day)s::date)
    FROM sm LEFT JOIN cs USING (seller_id, marketplace_id)
    UNION ALL
    SELECT seller_id, marketplace_id, 'response_time',
           round(on_time::numeric / nullif(due, 0), 6), on_time, due,
           jsonb_build_object('late', due - on_time,
                              'average_hours', round((average_seconds / 3600)::numeric, 1)),
           %(resp_from_day)s::date, %(last_day)s::date
    FROM resp
)
SELECT m.seller_id, m.marketplace_id, m.metric, %(day)s, m.value, m.numerator,
       m.denominator, m.breakdown, d.target, d.margin, d.condition,
       {status}, m.window_start, m.window_end, now()
FROM measured m
JOIN jsonb_to_recordset(%(definitions)s::jsonb)
     AS d(metric text, target numeric, margin numeric, condition text) USING (metric)
"""
# The rows of the chunk's snapshots (``make bench`` also runs it alone, for all sellers, as
# the recompute's baseline). Only our own SQL fragments are formatted in; every value is a
# query parameter.
ROWS_SQL = SNAPSHOT_TEMPLATE.format(  # noqa: S608
    defects=DEFECTS_SQL.format(order="o.id", as_of="%(as_of)s", sellers="%(sellers)s"),
    status=definitions.status_sql("m.value", "d.target", "d.margin", "d.condition"),
)
SNAPSHOT_SQL = (
    """
INSERT INTO metrics_metricsnapshot
    (seller_id, marketplace_id, metric, day, value, numerator, denominator, breakdown,
     target, at_risk_margin, condition, status, window_start, window_end, computed_at)
"""
    + ROWS_SQL
    + """
ON CONFLICT (seller_id, marketplace_id, metric, day) DO UPDATE
   SET value = EXCLUDED.value,
       numerator = EXCLUDED.numerator,
       denominator = EXCLUDED.denominator,
       breakdown = EXCLUDED.breakdown,
       target = EXCLUDED.target,
       at_risk_margin = EXCLUDED.at_risk_margin,
       condition = EXCLUDED.condition,
       status = EXCLUDED.status,
       window_start = EXCLUDED.window_start,
       window_end = EXCLUDED.window_end,
       computed_at = EXCLUDED.computed_at
"""
)


def parameters(day: date) -> dict:
    """The windows of day ``day``'s snapshot, all half-open ``[from, to)`` in UTC, and each
    metric's target, margin and condition (one query for the policies)."""
    from messaging.policies import CS_MIN_ANSWERS

    windows = definitions.windows(day)
    as_of = periods.at_midnight(day)
    odr_from, odr_to = windows["odr"]
    targets = definitions.targets()
    return {
        "day": day,
        "as_of": as_of,
        "last_day": day - timedelta(days=1),
        "orders_from": periods.at_midnight(min(odr_from, windows["fb90"][0])),
        "odr_from": periods.at_midnight(odr_from),
        "odr_to": periods.at_midnight(odr_to),
        "odr_from_day": odr_from,
        "odr_to_day": odr_to - timedelta(days=1),
        "fb90_from": periods.at_midnight(windows["fb90"][0]),
        "fb90_from_day": windows["fb90"][0],
        "fb365_from": periods.at_midnight(windows["fb365"][0]),
        "fb365_from_day": windows["fb365"][0],
        "resp_from": periods.at_midnight(windows["response"][0]),
        "resp_from_day": windows["response"][0],
        "cs_from_day": windows["cs"][0],
        "cs_min": int(CS_MIN_ANSWERS.value()),
        "definitions": json.dumps(
            [
                {
                    "metric": metric,
                    "target": str(target) if target is not None else None,
                    "margin": str(margin) if margin is not None else None,
                    "condition": condition,
                }
                for metric, (target, margin, condition) in targets.items()
            ]
        ),
    }


@recompute.register(
    "metrics", cadence="daily", description="Performance-metric snapshots (PM-1 … PM-5)"
)
def recompute_metrics(*, period: date, seller_ids: list[int]) -> int:
    """The snapshots of day ``period`` (as of its start, UTC) for these sellers."""
    params = {"sellers": list(seller_ids), **parameters(period)}
    with connection.cursor() as cursor:
        # The planner's JIT costs more than it saves on these short statements.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(SNAPSHOT_SQL, params)
        return cursor.rowcount
