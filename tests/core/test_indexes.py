"""What the migrations leave in the database, where a ``RunPython`` does it (#8): the VOC
experience sources are looked up by order through covering indexes, which replaced the order
keys' own indexes; no table keeps a single-column index that a composite one leading with the
same column makes redundant."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def indexes(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


@pytest.mark.parametrize(
    ("table", "cover", "column"),
    [
        ("sellercx_return", "return_order_cover", "order_id"),
        ("sellercx_refund", "refund_order_cover", "order_id"),
        ("sellercx_customerservicecontact", "contact_order_cover", "order_id"),
        ("reviews_review", "review_verified_order_cover", "verified_order_id"),
        ("messaging_survey", "survey_seller_answered", "seller_id"),
        ("metrics_metricsnapshot", "metric_snapshot_latest", "seller_id"),
    ],
)
def test_a_key_lead_by_a_composite_index_has_no_index_of_its_own(table, cover, column):
    found = indexes(table)
    assert f"({column}) INCLUDE" in found[cover] or f"({column}, " in found[cover]
    alone = [name for name, definition in found.items() if definition.endswith(f"({column})")]
    assert alone == []


@pytest.mark.parametrize(
    ("table", "name"),
    [("sellercx_atozclaim", "atozclaim_order"), ("sellercx_chargeback", "chargeback_order")],
)
def test_claims_and_chargebacks_keep_one_plain_index_on_the_order(table, name):
    found = indexes(table)
    assert found[name].endswith("(order_id)")
    assert [n for n, definition in found.items() if "(order_id" in definition] == [name]


def test_cancelled_orders_are_read_from_their_lines_not_indexed():
    """VC-2: only the VOC recompute read them; it now reads the lines' own copy (0013, 0014)."""
    found = indexes("sellercx_order")
    assert "order_cancelled" not in found
    assert "order_cancelled_date" not in found


def test_an_offers_lines_of_a_window_come_with_what_the_recompute_reads():
    found = indexes("sellercx_orderline")
    assert "order_line_offer_date" not in found
    assert found["order_line_offer_window"].endswith(
        "(offer_id, purchased_at)"
        " INCLUDE (order_id, experience_sources, order_cancelled, received_at)"
    )


@pytest.mark.parametrize(
    ("table", "cover", "columns"),
    [
        ("sellercx_order", "order_seller_date_cover", ["received_at"]),
        ("sellercx_return", "return_order_cover", ["received_at"]),
        ("sellercx_refund", "refund_order_cover", ["received_at"]),
        ("sellercx_customerservicecontact", "contact_order_cover", ["received_at"]),
        ("reviews_review", "review_verified_order_cover", ["received_at", "edited_at", "id"]),
        ("feedback_feedback", "feedback_not_as_described", ["received_at", "removed_at"]),
        ("feedback_feedback", "feedback_seller_mkt_left_cover", ["received_at"]),
        ("messaging_message", "message_seller_sent_cover", ["received_at"]),
        ("messaging_survey", "survey_seller_answered", ["answer_received_at"]),
    ],
)
def test_sc4_the_covers_the_recomputes_read_hold_what_they_judge_as_of_then(table, cover, columns):
    """A recompute reads each row's arrival (and a review's edit, a feedback's removal) from
    the index it reads the row from, not from the table (#8)."""
    included = indexes(table)[cover].split(" INCLUDE ")[1]
    assert [c for c in columns if c not in included] == []
