"""Issue #8: the bench code itself, at the tiny scale (no timings are asserted: speed is what
``make bench`` measures). The generator's data must be as consistent as the product's own:
every foreign key resolves (the load skips the FK triggers), the denormalised inbox columns
match the messages, the ratios are those of the scale; and every scenario runs end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import psycopg2
import pytest

from benchmarks import generate
from benchmarks.scales import SCALES

ROOT = Path(__file__).resolve().parent.parent.parent
DATABASE = f"sellercx_bench_tiny_{os.environ.get('TEST_DATABASE_NAME', 'test_sellercx')}"


def bench(*args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.fixture(scope="module")
def tiny():
    url = generate.database_url("tiny", DATABASE)
    bench("benchmarks.generate", "--scale", "tiny", "--database", DATABASE, "--force", "--quiet")
    conn = psycopg2.connect(url)
    yield conn
    conn.close()
    generate.drop_database(url)


def one(conn, sql: str, params=None):
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def test_every_foreign_key_of_the_generated_data_resolves(tiny):
    with tiny.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text
            FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
            """
        )
        keys = cursor.fetchall()
    assert len(keys) > 40
    orphans = {}
    for child, column, parent in keys:
        n = one(
            tiny,
            f"SELECT count(*) FROM {child} c WHERE c.{column} IS NOT NULL"  # noqa: S608
            f" AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.id = c.{column})",
        )
        if n:
            orphans[f"{child}.{column}"] = n
    assert orphans == {}


def test_the_scale_sets_the_volumes(tiny):
    scale = SCALES["tiny"]
    assert one(tiny, "SELECT count(*) FROM sellercx_selleraccount") == scale.sellers
    assert one(tiny, "SELECT count(*) FROM sellercx_order") == scale.orders
    for table, wanted in [
        ("feedback_feedback", scale.feedback),
        ("reviews_review", scale.reviews),
        ("messaging_conversation", scale.conversations),
    ]:
        got = one(tiny, f"SELECT count(*) FROM {table}")  # noqa: S608
        assert 0.8 * wanted <= got <= 1.05 * wanted, table
    meta = generate_meta(tiny)
    assert meta["scale"] == "tiny" and meta["version"] == generate.GENERATOR_VERSION
    # The biggest seller has far more orders than the median one: a power law.
    biggest = one(
        tiny, "SELECT max(n) FROM (SELECT count(*) n FROM sellercx_order GROUP BY seller_id) t"
    )
    assert biggest > 3 * scale.orders / scale.sellers


def generate_meta(conn) -> dict:
    with conn.cursor() as cursor:
        cursor.execute("SELECT scale, version FROM bench_meta")
        scale, version = cursor.fetchone()
    return {"scale": scale, "version": version}


def test_generated_inbox_columns_match_the_messages(tiny):
    mismatched = one(
        tiny,
        """
        SELECT count(*) FROM messaging_conversation c
        WHERE (c.awaiting_reply, c.last_body, c.last_buyer_message_at, c.unread_count)
              IS DISTINCT FROM (
            coalesce((SELECT m.direction = 'buyer' FROM messaging_message m
                      WHERE m.conversation_id = c.id ORDER BY m.sent_at DESC, m.id DESC LIMIT 1),
                     false),
            coalesce((SELECT m.body FROM messaging_message m
                      WHERE m.conversation_id = c.id ORDER BY m.sent_at DESC, m.id DESC LIMIT 1),
                     ''),
            (SELECT max(m.sent_at) FROM messaging_message m
             WHERE m.conversation_id = c.id AND m.direction = 'buyer'),
            (SELECT count(*)::int FROM messaging_message m
             WHERE m.conversation_id = c.id AND m.direction = 'buyer' AND m.read_at IS NULL))
        """,
    )
    assert mismatched == 0


def test_generated_first_replies_match_the_messages(tiny):
    mismatched = one(
        tiny,
        """
        SELECT count(*) FROM messaging_message b
        WHERE b.first_reply_at IS DISTINCT FROM (
            SELECT min(s.sent_at) FROM messaging_message s
            WHERE s.conversation_id = b.conversation_id AND s.direction = 'seller'
              AND s.sent_at > b.sent_at)
          AND b.direction = 'buyer'
        """,
    )
    assert mismatched == 0


# API-8: what the generator stores, a storefront could have sent: each query counts the rows
# whose time is out of order.
TIMES_OUT_OF_ORDER = {
    "order promised or delivered before its purchase": """
        SELECT count(*) FROM sellercx_order
        WHERE promised_delivery_at < purchased_at OR delivered_at < purchased_at
           OR fully_delivered_at < delivered_at
           OR greatest(purchased_at, delivered_at, fully_delivered_at) > now()""",
    **{
        f"{table} before its order's purchase": f"""
        SELECT count(*) FROM {table} e JOIN sellercx_order o ON o.id = e.order_id
        WHERE e.occurred_at < o.purchased_at OR e.occurred_at > now()"""  # noqa: S608
        for table in (
            "sellercx_return",
            "sellercx_refund",
            "sellercx_atozclaim",
            "sellercx_chargeback",
            "sellercx_customerservicecontact",
        )
    },
    "feedback before its order's purchase or after FB-3's 90 days": """
        SELECT count(*) FROM feedback_feedback f JOIN sellercx_order o ON o.id = f.order_id
        WHERE f.left_at < o.purchased_at OR f.left_at > now()
           OR (f.left_at AT TIME ZONE 'UTC')::date - (o.purchased_at AT TIME ZONE 'UTC')::date
              > 90""",
    "survey answer before the message that carried it": """
        SELECT count(*) FROM messaging_survey s JOIN messaging_message m ON m.id = s.message_id
        WHERE s.answered_at < m.sent_at OR s.answered_at > now()""",
    "buyer message before its order's purchase": """
        SELECT count(*) FROM messaging_message m
        JOIN messaging_conversation c ON c.id = m.conversation_id
        JOIN sellercx_order o ON o.id = c.order_id
        WHERE m.direction = 'buyer' AND m.sent_at < o.purchased_at OR m.sent_at > now()""",
}


def test_api8_the_generated_times_are_in_order(tiny):
    found = {label: one(tiny, sql) for label, sql in TIMES_OUT_OF_ORDER.items()}
    assert {label: n for label, n in found.items() if n} == {}


def test_generated_lines_carry_their_order_date_and_cancellation(tiny):
    mismatched = one(
        tiny,
        """
        SELECT count(*) FROM sellercx_orderline l JOIN sellercx_order o ON o.id = l.order_id
        WHERE l.purchased_at IS DISTINCT FROM o.purchased_at
           OR l.order_cancelled <> (o.status = 'cancelled')
        """,
    )
    assert mismatched == 0


def test_generated_lines_carry_the_bits_the_triggers_would_set(tiny):
    """VC-3: each line holds the bits voc 0006 (0007) computes from the sources themselves."""
    migration = import_module("voc.migrations.0007_feedback_bit_as_of")
    bits = migration.order_bits("l.order_id", migration.SOURCES)
    marked = one(tiny, "SELECT count(*) FROM sellercx_orderline WHERE experience_sources <> 0")
    mismatched = one(
        tiny,
        "SELECT count(*) FROM sellercx_orderline l"  # noqa: S608 - our own SQL
        f" WHERE l.experience_sources <> {bits}",
    )
    assert marked > 0
    assert mismatched == 0


# SC-4: the generated history reached SellerCX when it happened, so past periods count it.
ARRIVED_LATE = {
    "sellercx_order": "received_at <> purchased_at",
    "sellercx_orderline": "received_at <> purchased_at",
    **dict.fromkeys(
        (
            "sellercx_return",
            "sellercx_refund",
            "sellercx_atozclaim",
            "sellercx_chargeback",
            "sellercx_customerservicecontact",
        ),
        "received_at <> occurred_at",
    ),
    "feedback_feedback": "received_at <> left_at",
    "reviews_review": "received_at <> posted_at",
    "messaging_message": "received_at <> sent_at",
    "messaging_survey": "answer_received_at IS DISTINCT FROM answered_at",
}


def test_sc4_the_generated_rows_arrived_when_they_happened(tiny):
    found = {
        table: one(tiny, f"SELECT count(*) FROM {table} WHERE {late}")  # noqa: S608
        for table, late in ARRIVED_LATE.items()
    }
    assert {table: n for table, n in found.items() if n} == {}


def test_generated_offers_carry_their_product_category(tiny):
    mismatched = one(
        tiny,
        """
        SELECT count(*) FROM sellercx_offer o JOIN sellercx_product p ON p.id = o.product_id
        WHERE o.category_id IS DISTINCT FROM p.category_id
        """,
    )
    assert mismatched == 0


def test_a_second_generate_of_the_same_scale_is_a_no_op(tiny):
    done = bench("benchmarks.generate", "--scale", "tiny", "--database", DATABASE)
    assert "already loaded" in done.stderr


def test_every_scenario_runs_and_writes_its_table(tiny, tmp_path):
    output = tmp_path / "tiny.json"
    scenarios = "recomputes,pages,api,ingestion"
    done = bench(
        "benchmarks.run", "--scale", "tiny", "--database", DATABASE, "--no-generate",
        "--runs", "1", "--min-seconds", "0", "--requests", "2", "--batches", "2",
        "--only", scenarios,
        "--output", str(output),
    )  # fmt: skip
    results = json.loads(output.read_text())
    assert set(results["scenarios"]) == set(scenarios.split(","))
    recomputes = results["scenarios"]["recomputes"]
    assert "cs-rating" in recomputes and recomputes["cs-rating"]["ratio"] > 0
    assert all(page["queries"] > 0 for page in results["scenarios"]["pages"].values())
    ingestion = results["scenarios"]["ingestion"]
    assert ingestion["stored"] == ingestion["orders"] == 1000  # no accepted row is lost
    # …and gone afterwards: the next scenarios and runs read the generated data only.
    assert one(tiny, "SELECT count(*) FROM sellercx_order WHERE external_id LIKE 'BENCH-%'") == 0
    assert "| scenario |" in done.stdout


def test_the_probe_reports_its_own_peak_memory_not_its_parents():
    """A probe started by a process that had grown to 400 MB reports its own few MB (it read
    ``ru_maxrss``, which a child inherits: 168 MB after a bench had loaded its data)."""
    child = "from benchmarks.probe import peak_rss_mb; print(peak_rss_mb())"
    parent = (
        "import subprocess, sys\n"
        "ballast = bytearray(400 * 1024 * 1024)\n"
        f"print(subprocess.run([sys.executable, '-c', {child!r}], capture_output=True,"
        " text=True, check=True).stdout)"
    )
    done = subprocess.run(  # noqa: S603 - our own code
        [sys.executable, "-c", parent], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert float(done.stdout) < 100
