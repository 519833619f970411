"""CS-2 … CS-4 and CS-9: the weekly customer-service rating, one SQL statement per chunk of
sellers, upserted per seller, marketplace and week (SC-1, SC-3)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection

from sellercx import periods, recompute

WINDOW_DAYS = 28  # CS-3: the 4 weeks before the week start

# CS-2: only the latest answer of each conversation in the window counts.
# CS-3: a week gets a row only when answers arrived during the week before it.
# CS-4: value = 10 × yes ÷ answers, one decimal.
# SC-4: only the answers that had reached SellerCX by the week start count.
RATING_SQL = """
WITH latest AS (
    SELECT DISTINCT ON (s.conversation_id)
           s.seller_id, s.marketplace_id, s.answer, s.answered_at
    FROM messaging_survey s
    WHERE s.seller_id = ANY(%(sellers)s)
      AND s.answer <> ''
      AND s.answered_at >= %(window_start)s AND s.answered_at < %(week_start)s
      AND s.answer_received_at < %(week_start)s
    ORDER BY s.conversation_id, s.answered_at DESC, s.id DESC
)
INSERT INTO messaging_customerservicerating
    (seller_id, marketplace_id, week_start, answers, yes_answers, value, computed_at)
SELECT seller_id, marketplace_id, %(week)s, count(*),
       count(*) FILTER (WHERE answer = 'yes'),
       round(10.0 * count(*) FILTER (WHERE answer = 'yes') / count(*), 1),
       now()
FROM latest
GROUP BY seller_id, marketplace_id
HAVING max(answered_at) >= %(new_since)s
ON CONFLICT (seller_id, marketplace_id, week_start) DO UPDATE
   SET answers = EXCLUDED.answers,
       yes_answers = EXCLUDED.yes_answers,
       value = EXCLUDED.value,
       computed_at = EXCLUDED.computed_at
"""


@recompute.register(
    "cs-rating", cadence="weekly", description="Customer-service rating (CS-1 … CS-9)"
)
def recompute_cs_rating(*, period: date, seller_ids: list[int]) -> int:
    """The ratings of the week starting ``period`` (a Monday, UTC) for these sellers."""
    week = periods.week_start(period)
    window_start, week_start = periods.days_before(week, WINDOW_DAYS)
    new_since = periods.at_midnight(week - timedelta(days=7))
    with connection.cursor() as cursor:
        cursor.execute(
            RATING_SQL,
            {
                "sellers": list(seller_ids),
                "window_start": window_start,
                "week_start": week_start,
                "new_since": new_since,
                "week": week,
            },
        )
        return cursor.rowcount
